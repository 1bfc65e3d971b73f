package dev.llmcalc.core.comms;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;

import dev.llmcalc.core.RandomArchitectures;
import dev.llmcalc.core.RandomLayouts;
import dev.llmcalc.core.Seeds;
import dev.llmcalc.core.hardware.Cluster;
import dev.llmcalc.core.hardware.GpuSpec;
import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.run.ActivationOptions;
import dev.llmcalc.core.run.AttentionKernel;
import dev.llmcalc.core.run.BatchShape;
import dev.llmcalc.core.run.Optimizer;
import dev.llmcalc.core.run.Precision;
import dev.llmcalc.core.run.Recomputation;
import dev.llmcalc.core.run.Training;
import dev.llmcalc.core.run.TrainingRun;
import dev.llmcalc.core.run.ZeroStage;
import dev.llmcalc.core.unit.DType;
import org.junit.jupiter.api.Test;

/**
 * Properties over random collectives and runs. The seed is fixed so runs repeat; override it with
 * {@code -Dproperty.seed=N} (and the case count with {@code -Dproperty.cases=N}). Every failure names it.
 */
class CommunicationPropertyTests {

    private static final long SEED = Seeds.seed();

    private static Collective collective(SplittableRandom random) {
        return Collective.values()[random.nextInt(Collective.values().length)];
    }

    private static Algorithm algorithm(SplittableRandom random, Collective collective) {
        boolean treeable = collective == Collective.ALL_REDUCE || collective == Collective.BROADCAST;
        return treeable && random.nextBoolean() ? Algorithm.TREE : Algorithm.RING;
    }

    private static int ranks(SplittableRandom random) {
        return random.nextBoolean() ? random.nextInt(1, 17) : random.nextInt(1, Collectives.MAX_RANKS + 1);
    }

    @Test
    void volumeShouldNeverBeNegativeAndNeverExceedTwiceTheBuffer() {
        SplittableRandom random = Seeds.random();
        for (int i = 0; i < Seeds.cases(); i++) {
            Collective collective = collective(random);
            Algorithm algorithm = algorithm(random, collective);
            int n = ranks(random);
            long s = random.nextLong(0, 1L << 50);
            CollectiveCost cost = Collectives.cost(collective, algorithm, n, s);
            String seen = "seed " + SEED + ", case " + i + ": " + collective + " " + algorithm + " n = " + n + ", S = " + s;
            assertThat(cost.steps()).as(seen).isNotNegative();
            assertThat(cost.roles()).as(seen).allSatisfy((role) -> {
                assertThat(role.bytesSent()).isNotNegative().isLessThanOrEqualTo(2 * s);
                assertThat(role.bytesReceived()).isNotNegative().isLessThanOrEqualTo(2 * s);
            });
            if (n == 1) {
                assertThat(cost.busiestRankBytes()).as(seen).isZero();
            }
        }
    }

    @Test
    void volumeAndTimeShouldGrowWithTheMessage() {
        SplittableRandom random = Seeds.random();
        Link link = new Link(LinkKind.INTRA_NODE, 450e9, 3.4e-6);
        for (int i = 0; i < Seeds.cases(); i++) {
            Collective collective = collective(random);
            Algorithm algorithm = algorithm(random, collective);
            int n = ranks(random);
            long small = random.nextLong(0, 1L << 50);
            long large = small + random.nextLong(1, 1L << 40);
            String seen = "seed " + SEED + ", case " + i + ": " + collective + " " + algorithm + " n = " + n + ", S = "
                    + small + " < " + large;
            CollectiveCost a = Collectives.cost(collective, algorithm, n, small);
            CollectiveCost b = Collectives.cost(collective, algorithm, n, large);
            assertThat(b.bytesSentPerRank()).as(seen).isGreaterThanOrEqualTo(a.bytesSentPerRank());
            assertThat(b.bytesReceivedPerRank()).as(seen).isGreaterThanOrEqualTo(a.bytesReceivedPerRank());
            assertThat(b.seconds(link)).as(seen).isGreaterThanOrEqualTo(a.seconds(link));
            if (n > 1) {
                assertThat(b.busiestRankBytes()).as(seen).isGreaterThan(a.busiestRankBytes());
            }
        }
    }

    @Test
    void intraNodeShouldNeverBeSlowerWhenItsLinkIsAtLeastAsFast() {
        SplittableRandom random = Seeds.random();
        for (int i = 0; i < Seeds.cases(); i++) {
            Collective collective = collective(random);
            Algorithm algorithm = algorithm(random, collective);
            int n = ranks(random);
            long s = random.nextLong(0, 1L << 45);
            double inter = Math.pow(10, random.nextDouble(8, 12));
            double intra = inter * random.nextDouble(1, 50);
            double interLatency = random.nextDouble(0, 1e-4);
            double intraLatency = interLatency * random.nextDouble();
            CollectiveCost cost = Collectives.cost(collective, algorithm, n, s);
            assertThat(cost.seconds(new Link(LinkKind.INTRA_NODE, intra, intraLatency)))
                    .as("seed %d, case %d: %s n = %d, S = %d, β %s ≥ %s", SEED, i, collective, n, s, intra, inter)
                    .isLessThanOrEqualTo(cost.seconds(new Link(LinkKind.INTER_NODE, inter, interLatency)));
        }
    }

    @Test
    void ledgerShouldBeNonNegativeGrowWithTheMicroBatchAndBeFasterInsideOneNode() {
        SplittableRandom random = Seeds.random();
        GpuSpec gpu = GpuSpec.custom(80L << 30, 1e15, 400e9, 40e9);
        for (int i = 0; i < Seeds.cases() / 5; i++) {
            Architecture model = RandomArchitectures.any(random);
            Parallelism par = RandomLayouts.fitting(random, model, 6);
            long s = (long) par.context() * par.tensor() * random.nextInt(1, 257);
            long b = random.nextInt(1, 5);
            ActivationOptions options = new ActivationOptions(Recomputation.values()[random.nextInt(3)],
                    AttentionKernel.FLASH, random.nextBoolean(), false, false, true, DType.BF16);
            Training training = new Training(Precision.values()[random.nextInt(Precision.values().length)],
                    Optimizer.ADAMW, ZeroStage.of(random.nextInt(4)));
            RankOrder order = RankOrder.MEGATRON;
            String seen = "seed " + SEED + ", case " + i + ": " + model + ", " + par + ", b = " + b + ", s = " + s
                    + ", " + options + ", " + training;
            CommunicationEstimate one = CommunicationCalculator.estimate(
                    TrainingRun.full(model, new BatchShape(b, s, 0), training, options, par), order, null);
            CommunicationEstimate more = CommunicationCalculator.estimate(
                    TrainingRun.full(model, new BatchShape(b + 1, s, 0), training, options, par), order, null);
            assertThat(one.busiest().transfers()).as(seen).allSatisfy((t) -> {
                assertThat(t.bytes()).isNotNegative();
                assertThat(t.count()).isPositive();
            });
            for (int k = 0; k < one.stages().size(); k++) {
                assertThat(more.stages().get(k).totalBytes()).as(seen + ", stage " + k)
                        .isGreaterThanOrEqualTo(one.stages().get(k).totalBytes());
            }
            int gpus = (int) par.gpuCount();
            Network onOneNode = Network.of(new Cluster(gpu, gpus, gpus));
            Network oneGpuPerNode = Network.of(new Cluster(gpu, gpus, 1));
            StageTraffic inside = CommunicationCalculator.estimate(
                    TrainingRun.full(model, new BatchShape(b, s, 0), training, options, par), order, onOneNode).busiest();
            StageTraffic across = CommunicationCalculator.estimate(
                    TrainingRun.full(model, new BatchShape(b, s, 0), training, options, par), order, oneGpuPerNode).busiest();
            assertThat(inside.totalSeconds()).as(seen).isLessThanOrEqualTo(across.totalSeconds());
            assertThat(inside.exposedSeconds()).as(seen).isBetween(0.0, inside.totalSeconds());
            assertThat(across.exposedSeconds()).as(seen).isBetween(0.0, across.totalSeconds());
        }
    }
}
