package dev.llmcalc.core.comms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.llmcalc.core.comms.RankOrder.Dimension;
import dev.llmcalc.core.comms.RankOrder.Group;
import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.unit.InvalidInputException;

class RankOrderTests {

    @Test
    void megatronOrderShouldPutTensorInnermostAndPipelineOutermost() {
        Parallelism par = new Parallelism(4, 2, 3, 4, 2);
        var dense = RankOrder.denseView(par);
        var expert = RankOrder.expertView(par);
        RankOrder order = RankOrder.MEGATRON;
        assertThat(order.stride(Dimension.TP, dense)).isEqualTo(1);
        assertThat(order.stride(Dimension.CP, dense)).isEqualTo(2);
        assertThat(order.stride(Dimension.DP, dense)).isEqualTo(4);
        assertThat(order.stride(Dimension.PP, dense)).isEqualTo(16);
        // expert view: tp 2, ep 4, dp = 4·2/4 = 2, pp 3: expert-parallel ranks at stride t
        assertThat(order.stride(Dimension.EP, expert)).isEqualTo(2);
        assertThat(order.stride(Dimension.DP, expert)).isEqualTo(8);
        assertThat(order.stride(Dimension.PP, expert)).isEqualTo(16);
    }

    @Test
    void dataTimesContextGroupShouldBeOneBlockAtStrideT() {
        Parallelism par = new Parallelism(4, 2, 1, 1, 2);
        Group group = RankOrder.MEGATRON.group("dp×cp", Set.of(Dimension.CP, Dimension.DP), RankOrder.denseView(par));
        assertThat(group).isEqualTo(new Group("dp×cp", 8, 2, 16));
        assertThat(group.fitsInNode(8, 16)).isFalse();
        assertThat(group.fitsInNode(16, 32)).isTrue();
    }

    @Test
    void groupShouldFitOnlyWhenItsBlockDividesTheNode() {
        // t = 2, c = 3: context groups {o, o+2, o+4} in blocks of 6 ranks; with 8 per node the block 6..11 crosses
        Parallelism par = new Parallelism(2, 2, 1, 1, 3);
        Group context = RankOrder.MEGATRON.group("cp", Set.of(Dimension.CP), RankOrder.denseView(par));
        assertThat(context.span()).isEqualTo(6);
        assertThat(context.fitsInNode(8, 12)).isFalse();
        assertThat(context.fitsInNode(6, 12)).isTrue();
        // a job on one node never leaves it
        assertThat(context.fitsInNode(16, 12)).isTrue();
        // size-1 groups never communicate
        assertThat(RankOrder.MEGATRON.group("ep", Set.of(Dimension.EP), RankOrder.denseView(par)).fitsInNode(1, 12))
                .isTrue();
    }

    @Test
    void orderShouldParseAnyPermutationCaseInsensitively() {
        RankOrder order = RankOrder.parse("TP-DP-CP-EP-PP");
        assertThat(order.toString()).isEqualTo("tp-dp-cp-ep-pp");
        Parallelism par = new Parallelism(4, 2, 1, 1, 2);
        assertThat(order.stride(Dimension.CP, RankOrder.denseView(par))).isEqualTo(8);
    }

    @Test
    void malformedOrdersShouldNameTheField() {
        for (String bad : new String[] { "tp-cp-ep-dp", "tp-cp-ep-dp-pp-tp", "tp-cp-xx-dp-pp", "tp-tp-ep-dp-pp", "",
                "tp--cp-ep-dp-pp" }) {
            assertThatExceptionOfType(InvalidInputException.class).as(bad).isThrownBy(() -> RankOrder.parse(bad))
                    .satisfies((ex) -> assertThat(ex.field()).isEqualTo("placement"));
        }
    }

    @Test
    void pipelineBeforeOtherDimensionsShouldNeedMatchingPipelineGroups() {
        // tp-cp-pp-ep-dp with c = 2, e = 2: dense pp stride t·c = 4, expert pp stride t = 2: Megatron-Core rejects it
        Parallelism par = new Parallelism(2, 2, 2, 2, 2);
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> RankOrder.parse("tp-cp-pp-ep-dp").requireConsistent(par));
        RankOrder.parse("tp-cp-ep-dp-pp").requireConsistent(par);
        RankOrder.parse("tp-pp-cp-ep-dp").requireConsistent(new Parallelism(2, 2, 2, 1, 1));
    }
}
