package dev.llmcalc.core.comms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.llmcalc.core.comms.RankOrder.Dimension;
import dev.llmcalc.core.hardware.Cluster;
import dev.llmcalc.core.hardware.GpuPresets;
import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.model.ModelPresets;
import dev.llmcalc.core.parallel.LocalParameters;
import dev.llmcalc.core.parallel.ParameterPlacement;
import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.run.ActivationOptions;
import dev.llmcalc.core.run.BatchShape;
import dev.llmcalc.core.run.FineTuning;
import dev.llmcalc.core.run.Offload;
import dev.llmcalc.core.run.Optimizer;
import dev.llmcalc.core.run.Precision;
import dev.llmcalc.core.run.Recomputation;
import dev.llmcalc.core.run.TargetModule;
import dev.llmcalc.core.run.Training;
import dev.llmcalc.core.run.TrainingMethod;
import dev.llmcalc.core.run.TrainingRun;
import dev.llmcalc.core.run.ZeroStage;
import org.junit.jupiter.api.Test;

/**
 * Hybrid sharding's traffic (PyTorch FSDP HYBRID_SHARD; ZeRO++ hpZ, arXiv:2306.10209 §3.2): ZeRO's collectives inside
 * the shard group, the gradient shard all-reduced across the replica groups once per step.
 */
class HybridShardingCommunicationTests {

    /** Llama-2-70B: Φ = 68,976,648,192; 2Φ = 137,953,296,384 bytes of bf16 gradients (or weights). */
    private static final long TWO_PHI_70B = 137_953_296_384L;

    private static Architecture preset(String id) {
        return ModelPresets.find(id).orElseThrow().architecture();
    }

    private static Training hybrid(ZeroStage zero, int shardGroupSize) {
        return new Training(Precision.MIXED_BF16, Optimizer.ADAMW, zero, Offload.NONE, shardGroupSize);
    }

    private static TrainingRun run(String model, Training training, Parallelism par) {
        return TrainingRun.full(preset(model), new BatchShape(1, 4096, 0), training,
                CommunicationCalculatorTests.options(Recomputation.NONE, false), par);
    }

    private static Network h100Nodes(int gpus) {
        return Network.of(new Cluster(GpuPresets.find("h100-sxm-80gb").orElseThrow(), gpus, 8));
    }

    private static Transfer entry(CommunicationEstimate estimate, String source) {
        return estimate.busiest().transfers().stream().filter((t) -> t.source().startsWith(source)).findFirst()
                .orElseThrow();
    }

    @Test
    void seventyBOver64GpusShouldGatherInsideTheNodeAndReduceTheShardAcrossTheEightGroups() {
        // issue 16 item 4: d = 64 on 8 nodes of 8 H100s, ZeRO-3, g = 8 (one node each), one micro-batch
        CommunicationEstimate estimate = CommunicationCalculator.estimate(
                run("llama-2-70b", hybrid(ZeroStage.ZERO_3, 8), Parallelism.dataParallel(64)), RankOrder.MEGATRON,
                h100Nodes(64));
        // in-group all-gather of the bf16 weights layer by layer, before forward and before backward: 2 × 80 calls of
        // ceil(Φ / 80) = 862,208,103 parameters, 1,724,416,206 bytes, each sending ceil(7/8 of it) = 1,508,864,181
        // bytes over 8 ranks on NVLink (450 GB/s, 7 steps of 3.4 µs each): 2 × 7/8 · 2Φ and 288 bytes of rounding
        Transfer gather = entry(estimate, "ZeRO-3 weight all-gather");
        assertThat(gather.count()).isEqualTo(2 * 80);
        assertThat(gather.messageBytes()).isEqualTo(2 * 862_208_103L).isEqualTo(TWO_PHI_70B / 80 + 2);
        assertThat(gather.bytes()).isEqualTo(160 * 1_508_864_181L).isEqualTo(2 * 120_709_134_336L + 288);
        assertThat(gather.groupSize()).isEqualTo(8);
        assertThat(gather.link()).isEqualTo(LinkKind.INTRA_NODE);
        assertThat(gather.layerByLayer()).isTrue();
        assertThat(gather.seconds()).isCloseTo(160 * (7 * 3.4e-6 + 1_508_864_181L / 450e9), within(1e-12));
        // the calls' latency, apart: ZeRO-3's bandwidth share does not scale it
        assertThat(gather.latencySeconds()).isCloseTo(160 * 7 * 3.4e-6, within(1e-15));
        // in-group reduce-scatter of the bf16 gradients, layer by layer: 80 calls, 7/8 · 2Φ on NVLink
        Transfer reduceScatter = entry(estimate, "ZeRO-3 gradient reduce-scatter");
        assertThat(reduceScatter.count()).isEqualTo(80);
        assertThat(reduceScatter.bytes()).isEqualTo(80 * 1_508_864_181L);
        assertThat(reduceScatter.groupSize()).isEqualTo(8);
        assertThat(reduceScatter.link()).isEqualTo(LinkKind.INTRA_NODE);
        // across the 8 groups: all-reduce of this rank's gradient shard, 2Φ/8 = 17,244,162,048 bytes, over the 8 ranks
        // holding the same shard (one per node): 2 · 7/8 · 17,244,162,048 = 30,177,283,584 bytes on the network
        // (50 GB/s, 14 steps of 9.6 µs), overlapped like the data-parallel all-reduce
        Transfer replicas = entry(estimate, "hybrid sharding: gradient shard all-reduced");
        assertThat(replicas.collective()).isEqualTo(Collective.ALL_REDUCE);
        assertThat(replicas.parallelism()).isEqualTo(ParallelismKind.DATA);
        assertThat(replicas.count()).isEqualTo(1);
        assertThat(replicas.messageBytes()).isEqualTo(17_244_162_048L);
        assertThat(replicas.bytes()).isEqualTo(30_177_283_584L);
        assertThat(replicas.groupSize()).isEqualTo(8);
        assertThat(replicas.link()).isEqualTo(LinkKind.INTER_NODE);
        assertThat(replicas.seconds()).isCloseTo(14 * 9.6e-6 + 30_177_283_584L / 50e9, within(1e-12));
        assertThat(replicas.overlappable()).isTrue();
        assertThat(replicas.layerByLayer()).isFalse();
        assertThat(replicas.exposedSeconds()).isZero();
        assertThat(estimate.busiest().transfers()).hasSize(3);
        // the groups: shard groups of 8 consecutive ranks (one node), replica groups at stride 8 over all 64
        assertThat(estimate.groups()).extracting((g) -> g.group().name(), (g) -> g.group().size(),
                (g) -> g.group().stride(), (g) -> g.group().span(), CommunicationEstimate.GroupPlacement::link)
                .containsExactly(
                        tuple(TrafficGroup.DATA_SHARD.label(), 8L, 1L, 8L, LinkKind.INTRA_NODE),
                        tuple(TrafficGroup.DATA_REPLICA.label(), 8L, 8L, 64L, LinkKind.INTER_NODE));
        assertThat(estimate.assumptions()).anySatisfy((a) -> assertThat(a).contains("shard groups of 8 GPUs")
                .contains("all-reduced across the 8 replica groups"));
    }

    @Test
    void zero1And2ShouldReduceScatterInTheGroupAndAllReduceTheShardOncePerStep() {
        // 8 micro-batches; ZeRO-2 reduce-scatters every micro-batch in the group, all-reduces the shard once per step
        BatchShape batch = new BatchShape(1, 4096, 8 * 64);
        for (ZeroStage zero : new ZeroStage[] { ZeroStage.ZERO_1, ZeroStage.ZERO_2 }) {
            CommunicationEstimate estimate = CommunicationCalculator.estimate(TrainingRun.full(preset("llama-2-70b"),
                    batch, hybrid(zero, 8), CommunicationCalculatorTests.options(Recomputation.NONE, false),
                    Parallelism.dataParallel(64)), RankOrder.MEGATRON, null);
            List<Transfer> data = CommunicationCalculatorTests.entries(estimate, ParallelismKind.DATA);
            assertThat(data).extracting(Transfer::count)
                    .containsExactly(zero == ZeroStage.ZERO_2 ? 8L : 1L, 1L, 1L);
            assertThat(data).extracting(Transfer::groupSize).containsExactly(8L, 8L, 8L);
            assertThat(data.get(2).messageBytes()).isEqualTo(TWO_PHI_70B / 8);
        }
    }

    @Test
    void tensorParallelRanksInsideTheNodePushTheShardGroupAcrossNodes() {
        // t = 8 fills each node, so a shard group of 8 data ranks sits at stride 8 over 64 ranks: the network
        CommunicationEstimate estimate = CommunicationCalculator.estimate(
                run("llama-2-70b", hybrid(ZeroStage.ZERO_3, 8), new Parallelism(64, 8, 1, 1, 1)), RankOrder.MEGATRON,
                h100Nodes(512));
        assertThat(entry(estimate, "ZeRO-3 weight all-gather").link()).isEqualTo(LinkKind.INTER_NODE);
        assertThat(entry(estimate, "hybrid sharding").groupSize()).isEqualTo(8);
    }

    @Test
    void expertsShouldGatherOverTheShardGroupDividedByExpertAndReduceAcrossAsManyGroups() {
        // d = 16, e = 4, g = 8: dense collectives over 8 ranks, experts' over 8 / 4 = 2; both replicated twice
        Architecture mixtral = preset("mixtral-8x7b");
        Parallelism par = new Parallelism(16, 1, 1, 4, 1);
        CommunicationEstimate estimate = CommunicationCalculator.estimate(
                run("mixtral-8x7b", hybrid(ZeroStage.ZERO_3, 8), par), RankOrder.MEGATRON, null);
        LocalParameters local = ParameterPlacement.stages(mixtral, par).get(0);
        List<Transfer> data = CommunicationCalculatorTests.entries(estimate, ParallelismKind.DATA);
        assertThat(data).extracting(Transfer::source).containsExactly(
                "ZeRO-3 weight all-gather (dense parameters), layer by layer before forward and again before "
                        + "backward, every micro-batch (prefetched)",
                "ZeRO-3 gradient reduce-scatter (dense parameters), layer by layer, every micro-batch",
                "hybrid sharding: gradient shard all-reduced across the replica groups (dense parameters), once per "
                        + "step after the last micro-batch",
                "ZeRO-3 weight all-gather (expert parameters), layer by layer before forward and again before "
                        + "backward, every micro-batch (prefetched)",
                "ZeRO-3 gradient reduce-scatter (expert parameters), layer by layer, every micro-batch",
                "hybrid sharding: gradient shard all-reduced across the replica groups (expert parameters), once per "
                        + "step after the last micro-batch");
        assertThat(data).extracting(Transfer::groupSize).containsExactly(8L, 8L, 2L, 2L, 2L, 2L);
        assertThat(data.get(2).messageBytes()).isEqualTo(2 * -Math.floorDiv(-local.dense(), 8));
        assertThat(data.get(5).messageBytes()).isEqualTo(2 * -Math.floorDiv(-local.expert(), 2));
        assertThat(estimate.groups()).extracting((g) -> g.group().name()).contains(TrafficGroup.DATA_SHARD.label(),
                TrafficGroup.DATA_REPLICA.label(), TrafficGroup.EXPERT_DATA_SHARD.label(),
                TrafficGroup.EXPERT_DATA_REPLICA.label()).doesNotContain(TrafficGroup.DATA.label(),
                        TrafficGroup.EXPERT_DATA.label());
    }

    @Test
    void loraShouldReduceTheAdaptersShardAndGatherTheFrozenWeightsInTheGroup() {
        FineTuning lora = new FineTuning(TrainingMethod.LORA, 8, 16, Set.of(TargetModule.Q, TargetModule.V), null);
        TrainingRun run = TrainingRun.of(preset("llama-2-7b"), hybrid(ZeroStage.ZERO_3, 4), lora,
                new BatchShape(1, 4096, 0), CommunicationCalculatorTests.options(Recomputation.NONE, false),
                Parallelism.dataParallel(16));
        List<Transfer> data = CommunicationCalculatorTests.entries(
                CommunicationCalculator.estimate(run, RankOrder.MEGATRON, null), ParallelismKind.DATA);
        assertThat(data).extracting(Transfer::groupSize).containsExactly(4L, 4L, 4L, 4L);
        assertThat(data.get(2).source()).startsWith("hybrid sharding").contains("dense adapters");
        assertThat(data.get(3).source()).contains("frozen dense weights");
    }

    @Test
    void secondsShouldBeExactlyTheLedgersWithAShardGroup() {
        Network network = h100Nodes(64);
        for (ZeroStage zero : new ZeroStage[] { ZeroStage.ZERO_1, ZeroStage.ZERO_2, ZeroStage.ZERO_3 }) {
            for (Parallelism par : List.of(Parallelism.dataParallel(64), new Parallelism(8, 2, 2, 1, 2),
                    new Parallelism(16, 1, 2, 1, 2))) {
                BatchShape batch = new BatchShape(1, 4096, 4L * par.data());
                ActivationOptions options = CommunicationCalculatorTests.options(Recomputation.NONE, par.tensor() > 1);
                TrainingRun run = TrainingRun.full(preset("llama-2-7b"), batch, hybrid(zero, 4), options, par);
                CommunicationSeconds seconds = CommunicationSeconds.of(run, RankOrder.MEGATRON, network);
                StageSeconds[] fast = seconds.stages(batch, run.training(), options);
                List<StageTraffic> ledger = CommunicationCalculator.estimate(run, RankOrder.MEGATRON, network).stages();
                for (StageSeconds stage : fast) {
                    // records compare their doubles bit for bit (Double.compare)
                    assertThat(ledger).as(zero + " " + par).anySatisfy((s) -> assertThat(s.seconds()).isEqualTo(stage));
                }
            }
        }
    }

    @Test
    void aLayoutBuiltWithoutTheShardGroupShouldRefuseToPriceIt() {
        Parallelism par = Parallelism.dataParallel(64);
        CommunicationSeconds seconds = CommunicationSeconds.of(preset("llama-2-70b"), par, RankOrder.MEGATRON,
                h100Nodes(64));
        assertThatIllegalArgumentException().isThrownBy(() -> seconds.stages(new BatchShape(1, 4096, 0),
                hybrid(ZeroStage.ZERO_3, 8), CommunicationCalculatorTests.options(Recomputation.NONE, false)))
                .withMessageContaining("shard group");
    }

    @Test
    void splitShouldPutTheShardGroupInnermost() {
        Set<Dimension> data = Set.of(Dimension.CP, Dimension.DP);
        // d = 64: shard groups of 8 consecutive ranks (span 8), replicas at stride 8 over all 64
        RankOrder.Split plain = RankOrder.MEGATRON.split("shard", "replica", data,
                RankOrder.denseView(Parallelism.dataParallel(64)), 8);
        assertThat(plain.shard()).isEqualTo(new RankOrder.Group("shard", 8, 1, 8));
        assertThat(plain.replica()).isEqualTo(new RankOrder.Group("replica", 8, 8, 64));
        // t = 2, c = 2, d = 8, g = 4: cp (stride 2) whole, then 2 of dp (stride 4): span 8; replicas at stride 8
        Map<Dimension, Long> view = RankOrder.denseView(new Parallelism(8, 2, 1, 1, 2));
        RankOrder.Split mixed = RankOrder.MEGATRON.split("shard", "replica", data, view, 4);
        assertThat(mixed.shard()).isEqualTo(new RankOrder.Group("shard", 4, 2, 8));
        assertThat(mixed.replica()).isEqualTo(new RankOrder.Group("replica", 4, 8, 32));
        // a shard group of every data rank: no replicas
        RankOrder.Split whole = RankOrder.MEGATRON.split("shard", "replica", data, view, 16);
        assertThat(whole.shard()).isEqualTo(RankOrder.MEGATRON.group("shard", data, view));
        assertThat(whole.replica().size()).isEqualTo(1);
        // c = 4 and d = 3 with tp between them: a group of 6 cuts dp unevenly, so it gets the whole group's span
        Map<Dimension, Long> uneven = RankOrder.denseView(new Parallelism(3, 2, 1, 1, 4));
        RankOrder.Split cut = RankOrder.parse("cp-tp-dp-ep-pp").split("shard", "replica", data, uneven, 6);
        assertThat(cut.shard().span()).isEqualTo(RankOrder.parse("cp-tp-dp-ep-pp").group("g", data, uneven).span());
    }
}
