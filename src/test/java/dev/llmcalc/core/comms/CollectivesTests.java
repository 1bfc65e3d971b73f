package dev.llmcalc.core.comms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.within;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import dev.llmcalc.core.unit.InvalidInputException;
import dev.llmcalc.core.unit.OverflowException;

class CollectivesTests {

    /** 1 GiB: divisible by every n below, so the ring formulas hold without rounding. */
    private static final long S = 1L << 30;

    private static final Link NVLINK = new Link(LinkKind.INTRA_NODE, 450e9, 3.4e-6);

    static Stream<Arguments> ranks() {
        return Stream.of(1, 2, 8, 1024).map(Arguments::of);
    }

    private static CollectiveCost ring(Collective collective, int n) {
        return Collectives.cost(collective, Algorithm.RING, n, S);
    }

    private static RankTraffic role(CollectiveCost cost, String role) {
        return cost.roles().stream().filter((r) -> r.role().equals(role)).findFirst().orElseThrow();
    }

    @ParameterizedTest
    @MethodSource("ranks")
    void allReduceShouldSendAndReceiveTwiceNMinusOneOverNOfTheBuffer(int n) {
        CollectiveCost cost = ring(Collective.ALL_REDUCE, n);
        // n = 8: 2·7/8·2^30 = 1,879,048,192; n = 1024: 2·1023/1024·2^30 = 2,145,386,496
        assertThat(cost.bytesSentPerRank()).isEqualTo(2 * (n - 1) * (S / n));
        assertThat(cost.bytesReceivedPerRank()).isEqualTo(2 * (n - 1) * (S / n));
        assertThat(cost.steps()).isEqualTo(2L * (n - 1));
        assertThat(cost.busBandwidthFactor()).isCloseTo(2.0 * (n - 1) / n, within(1e-15));
    }

    @ParameterizedTest
    @MethodSource("ranks")
    void allGatherReduceScatterAndAllToAllShouldMoveNMinusOneOverN(int n) {
        for (Collective collective : new Collective[] { Collective.ALL_GATHER, Collective.REDUCE_SCATTER,
                Collective.ALL_TO_ALL }) {
            CollectiveCost cost = ring(collective, n);
            assertThat(cost.bytesSentPerRank()).as(collective.name()).isEqualTo((n - 1) * (S / n));
            assertThat(cost.bytesReceivedPerRank()).as(collective.name()).isEqualTo((n - 1) * (S / n));
            assertThat(cost.steps()).as(collective.name()).isEqualTo(n - 1);
            assertThat(cost.busBandwidthFactor()).as(collective.name()).isCloseTo((n - 1.0) / n, within(1e-15));
        }
    }

    @ParameterizedTest
    @MethodSource("ranks")
    void broadcastShouldHaveTheRootSendTheWholeBufferDownAChain(int n) {
        CollectiveCost cost = ring(Collective.BROADCAST, n);
        if (n == 1) {
            assertThat(cost.busiestRankBytes()).isZero();
            return;
        }
        assertThat(role(cost, "root")).isEqualTo(new RankTraffic("root", 1, S, 0));
        assertThat(role(cost, "last rank of the chain")).isEqualTo(new RankTraffic("last rank of the chain", 1, 0, S));
        if (n > 2) {
            assertThat(role(cost, "relay")).isEqualTo(new RankTraffic("relay", n - 2, S, S));
        }
        assertThat(cost.roles().stream().mapToInt(RankTraffic::ranks).sum()).isEqualTo(n);
        assertThat(cost.steps()).isEqualTo(n - 1);
        assertThat(cost.busBandwidthFactor()).isEqualTo(1.0);
    }

    @ParameterizedTest
    @MethodSource("ranks")
    void reduceShouldMirrorBroadcast(int n) {
        CollectiveCost cost = ring(Collective.REDUCE, n);
        if (n == 1) {
            assertThat(cost.busiestRankBytes()).isZero();
            return;
        }
        assertThat(role(cost, "root")).isEqualTo(new RankTraffic("root", 1, 0, S));
        assertThat(role(cost, "first rank of the chain")).isEqualTo(new RankTraffic("first rank of the chain", 1, S, 0));
        assertThat(cost.bytesSentPerRank()).isEqualTo(S);
        assertThat(cost.bytesReceivedPerRank()).isEqualTo(S);
    }

    @ParameterizedTest
    @MethodSource("ranks")
    void scatterShouldSendEveryOtherRankItsShardFromTheRoot(int n) {
        CollectiveCost cost = ring(Collective.SCATTER, n);
        if (n == 1) {
            assertThat(cost.busiestRankBytes()).isZero();
            return;
        }
        assertThat(role(cost, "root")).isEqualTo(new RankTraffic("root", 1, (n - 1) * (S / n), 0));
        assertThat(role(cost, "every other rank")).isEqualTo(new RankTraffic("every other rank", n - 1, 0, S / n));
        assertThat(cost.busBandwidthFactor()).isCloseTo((n - 1.0) / n, within(1e-15));
    }

    @ParameterizedTest
    @MethodSource("ranks")
    void gatherShouldMirrorScatter(int n) {
        CollectiveCost cost = ring(Collective.GATHER, n);
        if (n == 1) {
            assertThat(cost.busiestRankBytes()).isZero();
            return;
        }
        assertThat(role(cost, "root")).isEqualTo(new RankTraffic("root", 1, 0, (n - 1) * (S / n)));
        assertThat(role(cost, "every other rank")).isEqualTo(new RankTraffic("every other rank", n - 1, S / n, 0));
    }

    @Test
    void oneRankShouldMoveNothingAndTakeNoTime() {
        for (Collective collective : Collective.values()) {
            CollectiveCost cost = ring(collective, 1);
            assertThat(cost.bytesSentPerRank()).as(collective.name()).isZero();
            assertThat(cost.bytesReceivedPerRank()).as(collective.name()).isZero();
            assertThat(cost.steps()).as(collective.name()).isZero();
            assertThat(cost.seconds(NVLINK)).as(collective.name()).isZero();
        }
    }

    @Test
    void unevenSharesShouldReportTheMostLoadedRank() {
        // S = 10 bytes over n = 3: shards of 4, 3, 3; a ring rank sends all shards but its own smallest: 10 − 3 = 7
        assertThat(Collectives.cost(Collective.ALL_GATHER, Algorithm.RING, 3, 10).bytesSentPerRank()).isEqualTo(7);
        // all-reduce: ceil(2·2/3·10) = ceil(13.33) = 14
        assertThat(Collectives.cost(Collective.ALL_REDUCE, Algorithm.RING, 3, 10).bytesSentPerRank()).isEqualTo(14);
        // scatter: a non-root receives at most ceil(10/3) = 4
        assertThat(Collectives.cost(Collective.SCATTER, Algorithm.RING, 3, 10).bytesReceivedPerRank()).isEqualTo(4);
    }

    @Test
    void timeShouldBeLatencyPerStepPlusBusiestBytesOverBandwidth() {
        // all-reduce over 8 ranks: 14 steps · 3.4 µs + 1,879,048,192 B / 450e9 B/s
        CollectiveCost cost = ring(Collective.ALL_REDUCE, 8);
        assertThat(cost.seconds(NVLINK)).isCloseTo(14 * 3.4e-6 + 1_879_048_192 / 450e9, within(1e-15));
        // the bus bandwidth then approaches the link's for large S: S / (t − α·steps) × factor = β
        double algorithmBandwidth = S / (cost.seconds(NVLINK) - 14 * 3.4e-6);
        assertThat(algorithmBandwidth * cost.busBandwidthFactor()).isCloseTo(450e9, within(1.0));
    }

    @Test
    void treeAllReduceShouldTradeBandwidthForLogarithmicLatency() {
        // double binary tree over 1024 ranks: 2·⌈log2 1024⌉ = 20 steps (ring: 2046); busiest rank moves 2S (ring: 2·1023/1024·S)
        CollectiveCost tree = Collectives.cost(Collective.ALL_REDUCE, Algorithm.TREE, 1024, S);
        assertThat(tree.steps()).isEqualTo(20);
        assertThat(tree.bytesSentPerRank()).isEqualTo(2 * S);
        assertThat(tree.bytesReceivedPerRank()).isEqualTo(2 * S);
        // over 1024 ranks the ring's 2046 latencies dominate up to ~500 GB: (2046 − 20)·α > 2S/(1024·β)
        Link network = new Link(LinkKind.INTER_NODE, 50e9, 9.6e-6);
        assertThat(tree.seconds(network)).isLessThan(ring(Collective.ALL_REDUCE, 1024).seconds(network));
        // over 8 ranks a 1 GiB message is bandwidth-bound: the ring's 7/4·S beats the tree's 2S
        assertThat(Collectives.cost(Collective.ALL_REDUCE, Algorithm.TREE, 8, S).seconds(NVLINK))
                .isGreaterThan(ring(Collective.ALL_REDUCE, 8).seconds(NVLINK));
        assertThat(Collectives.cost(Collective.ALL_REDUCE, Algorithm.TREE, 8, 1 << 10).seconds(NVLINK))
                .isLessThan(Collectives.cost(Collective.ALL_REDUCE, Algorithm.RING, 8, 1 << 10).seconds(NVLINK));
    }

    @Test
    void treeAllReduceShouldCountTheBusiestRanksTreeLinks() {
        // n = 2: each rank is the other's only child in one tree: S; n = 3, 4: 3 links · S/2; n ≥ 5: 4 · S/2
        assertThat(Collectives.cost(Collective.ALL_REDUCE, Algorithm.TREE, 2, S).bytesSentPerRank()).isEqualTo(S);
        assertThat(Collectives.cost(Collective.ALL_REDUCE, Algorithm.TREE, 3, S).bytesSentPerRank()).isEqualTo(3 * S / 2);
        assertThat(Collectives.cost(Collective.ALL_REDUCE, Algorithm.TREE, 4, S).bytesSentPerRank()).isEqualTo(3 * S / 2);
        assertThat(Collectives.cost(Collective.ALL_REDUCE, Algorithm.TREE, 8, S).bytesSentPerRank()).isEqualTo(2 * S);
        assertThat(Collectives.cost(Collective.ALL_REDUCE, Algorithm.TREE, 8, S).steps()).isEqualTo(6);
    }

    @Test
    void treeBroadcastShouldTakeLog2Steps() {
        CollectiveCost tree = Collectives.cost(Collective.BROADCAST, Algorithm.TREE, 1024, S);
        assertThat(tree.steps()).isEqualTo(10);
        assertThat(role(tree, "root")).isEqualTo(new RankTraffic("root", 1, S, 0));
        assertThat(tree.bytesReceivedPerRank()).isEqualTo(S);
        assertThat(tree.busiestRankBytes()).isEqualTo(S);
        assertThat(Collectives.cost(Collective.BROADCAST, Algorithm.TREE, 2, S).roles())
                .contains(new RankTraffic("busiest other rank (inner node of one tree)", null, 0, S));
    }

    @Test
    void sendRecvShouldMoveTheBufferInOneStep() {
        CollectiveCost cost = ring(Collective.SEND_RECV, 2);
        assertThat(cost.bytesSentPerRank()).isEqualTo(S);
        assertThat(cost.steps()).isEqualTo(1);
    }

    @Test
    void treeForOtherCollectivesShouldBeRejected() {
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> Collectives.cost(Collective.ALL_GATHER, Algorithm.TREE, 8, S))
                .satisfies((ex) -> assertThat(ex.field()).isEqualTo("algorithm"));
    }

    @Test
    void bytesBeyondLongShouldOverflowNotWrap() {
        assertThatExceptionOfType(OverflowException.class)
                .isThrownBy(() -> Collectives.cost(Collective.ALL_REDUCE, Algorithm.RING, 8, Long.MAX_VALUE / 2 + 1));
        // (n−1)/n·S never exceeds S, so it cannot overflow
        assertThat(Collectives.cost(Collective.ALL_GATHER, Algorithm.RING, 8, Long.MAX_VALUE).bytesSentPerRank())
                .isEqualTo(Long.MAX_VALUE - Long.MAX_VALUE / 8);
    }

    @Test
    void ceilLog2ShouldCountLevels() {
        assertThat(Collectives.ceilLog2(1)).isZero();
        assertThat(Collectives.ceilLog2(2)).isEqualTo(1);
        assertThat(Collectives.ceilLog2(5)).isEqualTo(3);
        assertThat(Collectives.ceilLog2(1024)).isEqualTo(10);
        assertThat(Collectives.ceilLog2(1025)).isEqualTo(11);
    }
}
