package dev.llmcalc.core.comms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import dev.llmcalc.core.hardware.Cluster;
import dev.llmcalc.core.hardware.GpuPresets;
import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.model.MlpType;
import dev.llmcalc.core.model.ModelPresets;
import dev.llmcalc.core.model.MoeConfig;
import dev.llmcalc.core.model.NormType;
import dev.llmcalc.core.model.PositionEmbedding;
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
import dev.llmcalc.core.unit.InvalidInputException;
import dev.llmcalc.core.unit.OverflowException;
import org.junit.jupiter.api.Test;

class CommunicationCalculatorTests {

    /** GPT-3 175B (Brown et al. 2020): h = 12288, 96 layers of 96 heads. */
    static Architecture gpt3() {
        return Architecture.builder().vocabSize(50_257).hiddenSize(12_288).numLayers(96).numAttentionHeads(96)
                .intermediateSize(4 * 12_288).mlp(MlpType.STANDARD).norm(NormType.LAYER_NORM).qkvBias(true)
                .attentionOutputBias(true).mlpBias(true).positionEmbedding(PositionEmbedding.LEARNED)
                .maxPositionEmbeddings(2048).tiedEmbeddings(true).build();
    }

    /** Llama-2-7B's shape: Φ = 6,738,415,616. */
    static Architecture llama() {
        return ModelPresets.find("llama-2-7b").orElseThrow().architecture();
    }

    static ActivationOptions options(Recomputation recomputation, boolean sequenceParallel) {
        return new ActivationOptions(recomputation, AttentionKernel.FLASH, sequenceParallel, false, false, true,
                DType.BF16);
    }

    static Training training(ZeroStage zero) {
        return new Training(Precision.MIXED_BF16, Optimizer.ADAMW, zero);
    }

    static CommunicationEstimate estimate(Architecture model, BatchShape batch, ZeroStage zero, ActivationOptions o,
            Parallelism par) {
        return CommunicationCalculator.estimate(TrainingRun.full(model, batch, training(zero), o, par),
                RankOrder.MEGATRON, null);
    }

    static List<Transfer> entries(CommunicationEstimate estimate, ParallelismKind kind) {
        return estimate.busiest().transfers().stream().filter((t) -> t.parallelism() == kind).toList();
    }

    static long bytes(CommunicationEstimate estimate, ParallelismKind kind) {
        return entries(estimate, kind).stream().mapToLong(Transfer::bytes).sum();
    }

    @Test
    void tensorParallelGpt3ShouldMove336MiBPerLayerPerMicroBatch() {
        // 8·(t−1)/t·b·s·h·2 = 8 · 7/8 · 2048 · 12288 · 2 = 352,321,536 bytes = 336 MiB per layer per micro-batch
        CommunicationEstimate estimate = estimate(gpt3(), new BatchShape(1, 2048, 0), ZeroStage.ZERO_0,
                options(Recomputation.NONE, false), new Parallelism(1, 8, 1, 1, 1));
        // the forward's 2 all-reduces per layer on the critical path, the backward's 2 (the QKV and MLP-up input
        // gradients) behind the weight-gradient GEMMs: together the document's volume
        Transfer forward = entries(estimate, ParallelismKind.TENSOR).get(0);
        Transfer backward = entries(estimate, ParallelismKind.TENSOR).get(1);
        for (Transfer layers : List.of(forward, backward)) {
            assertThat(layers.collective()).isEqualTo(Collective.ALL_REDUCE);
            assertThat(layers.count()).isEqualTo(2 * 96);
            assertThat(layers.messageBytes()).isEqualTo(2048L * 12_288 * 2);
            assertThat(layers.groupSize()).isEqualTo(8);
            // the document's 4bsh + 4bsh, in elements, for the layers' traffic together
            assertThat(layers.documentFormula().expression())
                    .isEqualTo("4bsh (FFN) + 4bsh (attention) per layer, forward + backward");
            assertThat(layers.documentFormula().value()).isEqualTo(8.0 * 2048 * 12_288);
            assertThat(layers.documentFormula().note()).contains("352321536 bytes");
        }
        assertThat((forward.bytes() + backward.bytes()) / 96).isEqualTo(352_321_536L).isEqualTo(336L << 20);
        assertThat(forward.overlappable()).isFalse();
        assertThat(forward.overlapsWith()).isEqualTo(OverlapWindow.NONE);
        assertThat(backward.overlappable()).isTrue();
        assertThat(backward.overlapsWith()).isEqualTo(OverlapWindow.WEIGHT_GRADIENT);
    }

    @Test
    void fullRecomputationShouldAddTheTwoForwardAllReduces() {
        // 12·(t−1)/t·b·s·h·2 = 528,482,304 bytes per layer per micro-batch
        CommunicationEstimate estimate = estimate(gpt3(), new BatchShape(1, 2048, 0), ZeroStage.ZERO_0,
                options(Recomputation.FULL, false), new Parallelism(1, 8, 1, 1, 1));
        List<Transfer> tp = entries(estimate, ParallelismKind.TENSOR);
        assertThat(tp.get(0).bytes() + tp.get(1).bytes() + tp.get(2).bytes()).isEqualTo(96 * 528_482_304L);
        assertThat(tp.get(2).count()).isEqualTo(2 * 96);
        assertThat(tp.get(2).source()).contains("again (full recomputation)");
        // embedding (forward) and LM head (backward): one all-reduce each per micro-batch on the one stage
        assertThat(tp).hasSize(5);
    }

    @Test
    void sequenceParallelShouldSplitEachAllReduceIntoTheSameVolumePlusTheBackwardReGather() {
        CommunicationEstimate plain = estimate(gpt3(), new BatchShape(1, 2048, 0), ZeroStage.ZERO_0,
                options(Recomputation.NONE, false), new Parallelism(1, 8, 1, 1, 1));
        CommunicationEstimate sp = estimate(gpt3(), new BatchShape(1, 2048, 0), ZeroStage.ZERO_0,
                options(Recomputation.NONE, true), new Parallelism(1, 8, 1, 1, 1));
        List<Transfer> tp = entries(sp, ParallelismKind.TENSOR);
        List<Transfer> all = entries(plain, ParallelismKind.TENSOR);
        assertThat(tp.get(0).collective()).isEqualTo(Collective.ALL_GATHER);
        assertThat(tp.get(1).collective()).isEqualTo(Collective.REDUCE_SCATTER);
        assertThat(tp.get(2).collective()).isEqualTo(Collective.REDUCE_SCATTER);
        assertThat(tp.get(0).bytes() + tp.get(1).bytes() + tp.get(2).bytes())
                .isEqualTo(all.get(0).bytes() + all.get(1).bytes());
        // the backward's reduce-scatters of the input gradients run behind the weight-gradient GEMMs
        assertThat(tp.get(2).overlapsWith()).isEqualTo(OverlapWindow.WEIGHT_GRADIENT);
        assertThat(tp.get(1).overlapsWith()).isEqualTo(OverlapWindow.NONE);
        // re-gather: 2 all-gathers per layer, 7/8 · 50,331,648 each, overlapped
        Transfer regather = tp.get(3);
        assertThat(regather.overlappable()).isTrue();
        assertThat(regather.bytes()).isEqualTo(2 * 96 * 44_040_192L);
    }

    @Test
    void zeroVolumesShouldBeTwoTwoTwoThreeTimesTheLocalGradientBytes() {
        // Φ = 6,738,415,616, bf16 gradients and weights: Φ·2 = 13,476,831,232 bytes, × 7/8 over 8 ranks = 11,792,227,328
        long ringShare = 13_476_831_232L / 8 * 7;
        Parallelism par = Parallelism.dataParallel(8);
        BatchShape batch = new BatchShape(1, 4096, 0);
        long[] ratios = { 2, 2, 2, 3 };
        for (ZeroStage zero : ZeroStage.values()) {
            CommunicationEstimate estimate = estimate(llama(), batch, zero, options(Recomputation.NONE, false), par);
            assertThat(bytes(estimate, ParallelismKind.DATA)).as(zero.name()).isEqualTo(ratios[zero.ordinal()] * ringShare);
            Transfer first = entries(estimate, ParallelismKind.DATA).get(0);
            assertThat(first.documentFormula().value()).as(zero.name())
                    .isEqualTo(ratios[zero.ordinal()] * 6_738_415_616.0);
            assertThat(first.documentFormula().exact()).isFalse();
            assertThat(estimate.busiest().transfers()).as(zero.name())
                    .allSatisfy((t) -> assertThat(t.parallelism()).isEqualTo(ParallelismKind.DATA));
        }
    }

    @Test
    void microBatchesShouldRepeatOnlyThePerMicroBatchZeroCollectives() {
        // global 32 = 1 × 8 × 4 micro-batches: ZeRO-1 still reduces once, ZeRO-2 four times, ZeRO-3 12 collectives
        long ringShare = 13_476_831_232L / 8 * 7;
        BatchShape batch = new BatchShape(1, 4096, 32);
        Parallelism par = Parallelism.dataParallel(8);
        ActivationOptions o = options(Recomputation.NONE, false);
        assertThat(bytes(estimate(llama(), batch, ZeroStage.ZERO_0, o, par), ParallelismKind.DATA)).isEqualTo(2 * ringShare);
        assertThat(bytes(estimate(llama(), batch, ZeroStage.ZERO_1, o, par), ParallelismKind.DATA)).isEqualTo(2 * ringShare);
        assertThat(bytes(estimate(llama(), batch, ZeroStage.ZERO_2, o, par), ParallelismKind.DATA)).isEqualTo(5 * ringShare);
        CommunicationEstimate zero3 = estimate(llama(), batch, ZeroStage.ZERO_3, o, par);
        assertThat(bytes(zero3, ParallelismKind.DATA)).isEqualTo(12 * ringShare);
        assertThat(zero3.microBatches()).isEqualTo(4);
    }

    @Test
    void fp32GradientsShouldDoubleTheReductionButNotTheWeightGather() {
        Training megatron = new Training(Precision.MIXED_BF16_FP32_GRADS, Optimizer.ADAMW, ZeroStage.ZERO_1);
        CommunicationEstimate estimate = CommunicationCalculator.estimate(
                TrainingRun.full(llama(), new BatchShape(1, 4096, 0), megatron, options(Recomputation.NONE, false),
                        Parallelism.dataParallel(8)), RankOrder.MEGATRON, null);
        List<Transfer> dp = entries(estimate, ParallelismKind.DATA);
        assertThat(dp.get(0).messageBytes()).isEqualTo(6_738_415_616L * 4);
        assertThat(dp.get(1).messageBytes()).isEqualTo(6_738_415_616L * 2);
    }

    @Test
    void pipelineShouldMoveTwoPMinusOneBshOverThePipelineAndTwoPerMiddleStage() {
        // p = 4, b = 1, s = 2048, h = 12288, 2 bytes: 2·3·1·2048·12288·2 = 301,989,888 bytes per micro-batch
        long bsh2 = 2048L * 12_288 * 2;
        CommunicationEstimate estimate = estimate(gpt3(), new BatchShape(1, 2048, 0), ZeroStage.ZERO_0,
                options(Recomputation.NONE, false), new Parallelism(1, 1, 4, 1, 1));
        assertThat(estimate.pipelineBytesPerStep()).isEqualTo(2 * 3 * bsh2);
        long[] perStage = estimate.stages().stream().mapToLong((stage) -> stage.transfers().stream()
                .filter((t) -> t.collective() == Collective.SEND_RECV).mapToLong(Transfer::bytes).sum()).toArray();
        assertThat(perStage).containsExactly(bsh2, 2 * bsh2, 2 * bsh2, bsh2);
        Transfer middle = entries(estimate, ParallelismKind.PIPELINE).get(0);
        assertThat(middle.documentFormula().expression()).isEqualTo("2(N−1)·bsh");
        assertThat(middle.documentFormula().value()).isEqualTo(2.0 * 3 * 2048 * 12_288);
        // GPT-3 ties its embedding: the first and last stage also all-reduce its gradients (V·h·2 bytes between 2 ranks)
        assertThat(estimate.stages().get(0).transfers()).anySatisfy((t) -> {
            assertThat(t.collective()).isEqualTo(Collective.ALL_REDUCE);
            assertThat(t.bytes()).isEqualTo(50_257L * 12_288 * 2);
        });
    }

    @Test
    void pipelineShouldScaleWithMicroBatchesInterleavingAndSequenceParallelism() {
        long bsh2 = 2048L * 12_288 * 2;
        // m = 8, v = 2: 2·(4·2 − 1) boundaries per micro-batch, ÷ t = 2 with sequence parallelism
        CommunicationEstimate estimate = estimate(gpt3(), new BatchShape(1, 2048, 8), ZeroStage.ZERO_0,
                options(Recomputation.NONE, true), new Parallelism(1, 2, 4, 1, 1, 2));
        assertThat(estimate.pipelineBytesPerStep()).isEqualTo(8 * 2 * 7 * (bsh2 / 2));
        assertThat(estimate.stages().get(1).transfers().stream()
                .filter((t) -> t.collective() == Collective.SEND_RECV).findFirst().orElseThrow().count()).isEqualTo(8 * 4);
    }

    @Test
    void busiestStageShouldBeTheOneThatSendsMost() {
        CommunicationEstimate estimate = estimate(gpt3(), new BatchShape(1, 2048, 0), ZeroStage.ZERO_0,
                options(Recomputation.NONE, false), new Parallelism(2, 1, 4, 1, 1));
        long most = estimate.stages().stream().mapToLong(StageTraffic::totalBytes).max().orElseThrow();
        assertThat(estimate.busiest().totalBytes()).isEqualTo(most);
        assertThat(estimate.stages()).hasSize(4);
    }

    @Test
    void expertParallelShouldAllToAllKCopiesOfTheTokens() {
        // Mixtral-shaped: k = 2, h = 4096, s = 4096: S = 2·4096·4096·2 = 67,108,864; 7/8 of it per call, 4 per layer
        Architecture mixtral = ModelPresets.find("mixtral-8x7b").orElseThrow().architecture();
        CommunicationEstimate estimate = estimate(mixtral, new BatchShape(1, 4096, 0), ZeroStage.ZERO_1,
                options(Recomputation.NONE, false), new Parallelism(8, 1, 1, 8, 1));
        Transfer ep = entries(estimate, ParallelismKind.EXPERT).get(0);
        assertThat(ep.collective()).isEqualTo(Collective.ALL_TO_ALL);
        assertThat(ep.messageBytes()).isEqualTo(67_108_864L);
        assertThat(ep.count()).isEqualTo(4 * 32);
        assertThat(ep.bytes()).isEqualTo(4 * 32 * 58_720_256L);
        // expert gradients over data × context / expert = 1 rank: no traffic; dense ones over 8
        assertThat(entries(estimate, ParallelismKind.DATA)).allSatisfy((t) -> assertThat(t.source()).contains("dense"));
    }

    @Test
    void expertAllToAllAcrossNodesShouldSendOnlyTheOtherNodesShareOverTheNetwork() {
        // e = 16 over 2 nodes of 8 H100s: each rank sends 15/16 of S, 8/16 of it to the other node over its 50 GB/s
        // card and 7/16 over NVLink at once; the card is the slower, S·8/16 / 50e9, priced as the 15/16 at
        // 50e9 × 15/8 = 93.75 GB/s
        Cluster cluster = new Cluster(GpuPresets.find("h100-sxm-80gb").orElseThrow(), 16, 8);
        Network network = Network.of(cluster);
        assertThat(network.allToAllLink(LinkKind.INTER_NODE, 16, 8).bandwidth()).isCloseTo(93.75e9, within(1e-3));
        // DeepSeek-V3's e = 64 over 8 nodes: 63/56 of the card; one member per node or inside a node: as it is
        assertThat(network.allToAllLink(LinkKind.INTER_NODE, 64, 8).bandwidth()).isCloseTo(56.25e9, within(1e-3));
        assertThat(network.allToAllLink(LinkKind.INTER_NODE, 8, 1).bandwidth()).isEqualTo(50e9);
        assertThat(network.allToAllLink(LinkKind.INTRA_NODE, 8, 8).bandwidth()).isEqualTo(450e9);
        // node-limited routing (DeepSeek-V3 §3.2.2, M = 4 of k = 8): half the remote copies cross the card, NVLink
        // forwards the other half: the card's 0.5 × 56/64 of S at 50e9 against NVLink's (7 + 0.5 × 56)/64 at 450e9;
        // the card is still the slower, priced as the 63/64 at 50e9 × 63/28 = 112.5 GB/s, twice the unlimited 56.25
        MoeConfig v3 = ModelPresets.find("deepseek-v3").orElseThrow().architecture().moe();
        assertThat(v3.networkShareOfRemoteCopies(8)).isEqualTo(0.5);
        assertThat(network.allToAllLink(LinkKind.INTER_NODE, 64, 8, 0.5).bandwidth()).isCloseTo(112.5e9,
                within(1e-3));
        // over only 2 nodes a token reaches at most 2 of them: a quarter of its remote copies cross the card, the
        // card's 0.25 × 8/16 of S at 50e9 against NVLink's (7 + 0.75 × 8)/16 at 450e9: the card, 15/16 at 375 GB/s
        assertThat(v3.networkShareOfRemoteCopies(2)).isEqualTo(0.25);
        assertThat(network.allToAllLink(LinkKind.INTER_NODE, 16, 8, 0.25).bandwidth()).isCloseTo(375e9,
                within(1e-3));
        // unlimited routing sends every remote copy over the card
        assertThat(MoeConfig.routed(8, 2, 14_336).networkShareOfRemoteCopies(4)).isEqualTo(1.0);
        // Qwen3-30B-A3B (128 experts, k = 8, h = 2,048, 48 layers): S = 4,096 tokens · 8 · 2,048 · 2 B, 4 calls per
        // layer, each sending 15/16 of S in 15 steps of 9.6 µs
        Architecture qwen = ModelPresets.find("qwen3-30b-a3b").orElseThrow().architecture();
        CommunicationEstimate estimate = CommunicationCalculator.estimate(TrainingRun.full(qwen,
                new BatchShape(1, 4096, 0), training(ZeroStage.ZERO_1), options(Recomputation.NONE, false),
                new Parallelism(16, 1, 1, 16, 1)), RankOrder.MEGATRON, network);
        Transfer ep = entries(estimate, ParallelismKind.EXPERT).get(0);
        assertThat(ep.link()).isEqualTo(LinkKind.INTER_NODE);
        assertThat(ep.messageBytes()).isEqualTo(4096L * 8 * 2048 * 2);
        assertThat(ep.count()).isEqualTo(4 * 48);
        assertThat(ep.seconds()).isCloseTo(4 * 48 * (15 * 9.6e-6 + 125_829_120 / 93.75e9), within(1e-12));
    }

    @Test
    void contextParallelShouldPassKeyValueBlocksAroundTheRing() {
        // Llama-2-7B, s = 8192, c = 4: block = 1·2048 tokens · 2·32·128 · 2 bytes = 33,554,432; 3·(c−1) passes per layer
        CommunicationEstimate estimate = estimate(llama(), new BatchShape(1, 8192, 0), ZeroStage.ZERO_0,
                options(Recomputation.NONE, false), new Parallelism(1, 1, 1, 1, 4));
        Transfer cp = entries(estimate, ParallelismKind.CONTEXT).get(0);
        assertThat(cp.messageBytes()).isEqualTo(33_554_432L);
        assertThat(cp.count()).isEqualTo(3 * 3 * 32);
        // forward: 2(c−1)/c·b·s·g·d·2 bytes per layer = 2·3/4·8192·32·128·2 = 100,663,296; backward twice that
        assertThat(cp.bytes() / 32).isEqualTo(3 * 100_663_296L);
        // context ranks also reduce the gradients with the data ranks
        assertThat(entries(estimate, ParallelismKind.DATA).get(0).groupSize()).isEqualTo(4);
    }

    @Test
    void linksShouldFollowTheNodeBoundaries() {
        // t = 8 fills an 8-GPU node: TP intra-node; DP over 4 nodes: inter-node
        Cluster cluster = new Cluster(GpuPresets.find("h100-sxm-80gb").orElseThrow(), 32, 8);
        CommunicationEstimate estimate = CommunicationCalculator.estimate(
                TrainingRun.full(llama(), new BatchShape(1, 4096, 0), training(ZeroStage.ZERO_1),
                        options(Recomputation.NONE, false), new Parallelism(4, 8, 1, 1, 1)),
                RankOrder.MEGATRON, Network.of(cluster));
        assertThat(entries(estimate, ParallelismKind.TENSOR)).allSatisfy((t) -> assertThat(t.link()).isEqualTo(LinkKind.INTRA_NODE));
        assertThat(entries(estimate, ParallelismKind.DATA)).allSatisfy((t) -> assertThat(t.link()).isEqualTo(LinkKind.INTER_NODE));
        Transfer tp = entries(estimate, ParallelismKind.TENSOR).get(0);
        // the forward's 64 all-reduces of 4096·4096·2 bytes over 8 ranks: 14 steps · 3.4 µs + 58,720,256 B / 450 GB/s
        // each
        assertThat(tp.seconds()).isCloseTo(64 * (14 * 3.4e-6 + 58_720_256 / 450e9), within(1e-12));
        assertThat(tp.exposedSeconds()).isEqualTo(tp.seconds());
        Transfer reduceScatter = entries(estimate, ParallelismKind.DATA).get(0);
        assertThat(reduceScatter.overlappable()).isTrue();
        assertThat(reduceScatter.exposedSeconds()).isZero();
        assertThat(estimate.busiest().exposedSeconds()).isLessThan(estimate.busiest().totalSeconds());
        // the same layout ordered with data parallelism innermost puts DP inside the node and TP across nodes
        CommunicationEstimate swapped = CommunicationCalculator.estimate(
                TrainingRun.full(llama(), new BatchShape(1, 4096, 0), training(ZeroStage.ZERO_1),
                        options(Recomputation.NONE, false), new Parallelism(4, 8, 1, 1, 1)),
                RankOrder.parse("dp-tp-cp-ep-pp"), Network.of(cluster));
        assertThat(entries(swapped, ParallelismKind.TENSOR).get(0).link()).isEqualTo(LinkKind.INTER_NODE);
        assertThat(entries(swapped, ParallelismKind.DATA).get(0).link()).isEqualTo(LinkKind.INTRA_NODE);
    }

    @Test
    void contextParallelShouldExposeOnlyWhatOutlastsTheBlocksAttention() {
        Cluster cluster = new Cluster(GpuPresets.find("h100-sxm-80gb").orElseThrow(), 2, 8);
        Network network = Network.of(cluster);
        CommunicationEstimate estimate = CommunicationCalculator.estimate(
                TrainingRun.full(llama(), new BatchShape(1, 8192, 0), training(ZeroStage.ZERO_0),
                        options(Recomputation.NONE, false), new Parallelism(1, 1, 1, 1, 2)),
                RankOrder.MEGATRON, network);
        Transfer cp = entries(estimate, ParallelismKind.CONTEXT).get(0);
        // send: 3.4 µs + 67,108,864 B / 450e9 B/s; compute: 4096·4096·32·256 FLOPs / (989e12 · 0.4)
        double send = 3.4e-6 + 67_108_864 / 450e9;
        double compute = 4096.0 * 4096 * 32 * 256 / (989e12 * 0.4);
        assertThat(cp.exposedSeconds()).isCloseTo(cp.count() * Math.max(0, send - compute), within(1e-12));
        assertThat(cp.exposedSeconds()).isLessThan(cp.seconds());
    }

    @Test
    void noClusterShouldGiveBytesOnly() {
        CommunicationEstimate estimate = estimate(llama(), new BatchShape(1, 4096, 0), ZeroStage.ZERO_0,
                options(Recomputation.NONE, false), new Parallelism(2, 2, 1, 1, 1));
        assertThat(estimate.busiest().transfers()).allSatisfy((t) -> {
            assertThat(t.link()).isNull();
            assertThat(t.seconds()).isNull();
        });
        assertThat(estimate.busiest().totalSeconds()).isNull();
        assertThat(estimate.assumptions()).anySatisfy((line) -> assertThat(line).startsWith("No cluster given"));
    }

    @Test
    void singleGpuShouldMoveNothing() {
        CommunicationEstimate estimate = estimate(llama(), new BatchShape(1, 4096, 0), ZeroStage.ZERO_3,
                options(Recomputation.FULL, true), Parallelism.NONE);
        assertThat(estimate.busiest().transfers()).isEmpty();
        assertThat(estimate.busiest().totalBytes()).isZero();
    }

    @Test
    void impossibleRequestsShouldNameTheField() {
        ActivationOptions o = options(Recomputation.NONE, false);
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> estimate(llama(), new BatchShape(1, 4096, 12), ZeroStage.ZERO_0, o, Parallelism.dataParallel(8)))
                .satisfies((ex) -> assertThat(ex.field()).isEqualTo("batch.globalBatchSize"));
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> estimate(llama(), new BatchShape(1, 4095, 0), ZeroStage.ZERO_0, o, new Parallelism(1, 1, 1, 1, 2)))
                .satisfies((ex) -> assertThat(ex.field()).isEqualTo("batch.sequenceLength"));
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> estimate(llama(), new BatchShape(1, 4096, 0), ZeroStage.ZERO_0, o, new Parallelism(1, 3, 1, 1, 1)))
                .satisfies((ex) -> assertThat(ex.field()).isEqualTo("parallelism.tensor"));
        Cluster cluster = new Cluster(GpuPresets.find("h100-sxm-80gb").orElseThrow(), 16, 8);
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> CommunicationCalculator.estimate(
                        TrainingRun.full(llama(), new BatchShape(1, 4096, 0), training(ZeroStage.ZERO_0), o,
                                Parallelism.dataParallel(8)), RankOrder.MEGATRON, Network.of(cluster)))
                .satisfies((ex) -> assertThat(ex.field()).isEqualTo("cluster.gpuCount"));
    }

    @Test
    void bytesBeyondLongShouldOverflow() {
        // 2^62 micro-batches of tensor-parallel traffic
        assertThatExceptionOfType(OverflowException.class).isThrownBy(() -> estimate(llama(),
                new BatchShape(1, 4096, 1L << 62), ZeroStage.ZERO_0, options(Recomputation.NONE, false),
                new Parallelism(1, 2, 1, 1, 1)));
    }

    @Test
    void moeWithRoutedExpertsOnlyShouldShardExpertGradientsSeparately() {
        Architecture moe = Architecture.builder().vocabSize(1000).hiddenSize(256).numLayers(4).numAttentionHeads(4)
                .intermediateSize(512).moe(MoeConfig.routed(8, 2, 128)).build();
        CommunicationEstimate estimate = estimate(moe, new BatchShape(1, 128, 0), ZeroStage.ZERO_0,
                options(Recomputation.NONE, false), new Parallelism(8, 1, 1, 2, 1));
        List<Transfer> dp = entries(estimate, ParallelismKind.DATA);
        assertThat(dp).hasSize(2);
        assertThat(dp.get(0).groupSize()).isEqualTo(8);
        assertThat(dp.get(1).groupSize()).isEqualTo(4);
        assertThat(dp.get(1).source()).contains("expert");
    }
}
