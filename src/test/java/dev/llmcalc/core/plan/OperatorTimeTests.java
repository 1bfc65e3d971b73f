package dev.llmcalc.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

import dev.llmcalc.core.compute.TrainingCompute;
import dev.llmcalc.core.hardware.GpuPresets;
import dev.llmcalc.core.comms.StageSeconds;
import dev.llmcalc.core.hardware.GpuSpec;
import dev.llmcalc.core.hardware.KernelEfficiency;
import dev.llmcalc.core.hardware.TensorOverlap;
import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.model.ModelPresets;
import dev.llmcalc.core.run.ActivationOptions;
import dev.llmcalc.core.run.AttentionKernel;
import dev.llmcalc.core.run.Optimizer;
import dev.llmcalc.core.run.Precision;
import dev.llmcalc.core.run.Recomputation;
import dev.llmcalc.core.run.Training;
import dev.llmcalc.core.run.ZeroStage;

class OperatorTimeTests {

    private static final Architecture LLAMA_2_7B = ModelPresets.find("llama-2-7b").orElseThrow().architecture();

    private static final GpuSpec A100 = GpuPresets.find("a100-sxm-80gb").orElseThrow();

    private static ActivationOptions options(Recomputation mode) {
        return new ActivationOptions(mode, AttentionKernel.FLASH, false, false, false, true,
                Precision.MIXED_BF16.activations());
    }

    private static OperatorTime.MicroBatchSeconds layer(Recomputation mode) {
        TrainingCompute executed = TrainingCompute.forModel(LLAMA_2_7B, 4096, 4096, true, mode);
        OperatorTime.Work work = OperatorTime.Work.of(executed, options(mode), LLAMA_2_7B.numLayers());
        return OperatorTime.layer(work, LLAMA_2_7B, options(mode), 4096, 4096, 1, A100, KernelEfficiency.A100);
    }

    @Test
    void fusedAttentionShouldRunFasterOnLongerRowsAsFlashAttentionsBenchmarksDo() {
        // the benchmarked lengths give their averaged factors; between them log-linear; held beyond
        assertThat(OperatorTime.attentionLengthFactor(2048)).isEqualTo(0.8870);
        assertThat(OperatorTime.attentionLengthFactor(16384)).isEqualTo(1.0897);
        assertThat(OperatorTime.attentionLengthFactor(131072)).isEqualTo(1.0897);
        assertThat(OperatorTime.attentionLengthFactor(128)).isEqualTo(0.5561);
        assertThat(OperatorTime.attentionLengthFactor(Math.sqrt(4096.0 * 8192))).isCloseTo((0.9871 + 1.0362) / 2,
                within(1e-12));
        // their mean over 2k-16k is 1: the shares set from those means keep their meaning there
        assertThat((0.8870 + 0.9871 + 1.0362 + 1.0897) / 4).isCloseTo(1, within(0.001));
        // context parallelism 8 at 4,096 tokens runs the kernel on 512 keys: the same FLOPs take 1.775 × as long
        OperatorTime.Work work = OperatorTime.Work.of(TrainingCompute.ofStep(
                dev.llmcalc.core.run.TrainingRun.full(LLAMA_2_7B, new dev.llmcalc.core.run.BatchShape(1, 4096, 8),
                        new Training(Precision.MIXED_BF16, Optimizer.ADAMW, ZeroStage.ZERO_1), options(Recomputation.NONE),
                        dev.llmcalc.core.parallel.Parallelism.dataParallel(8)), true),
                options(Recomputation.NONE), LLAMA_2_7B.numLayers());
        double whole = OperatorTime.layer(work, LLAMA_2_7B, options(Recomputation.NONE), 512, 4096, 4096, 1, A100,
                KernelEfficiency.A100).attention();
        double split = OperatorTime.layer(work, LLAMA_2_7B, options(Recomputation.NONE), 512, 4096, 512, 1, A100,
                KernelEfficiency.A100).attention();
        assertThat(split / whole).isCloseTo(0.9871 / 0.5561, within(1e-9));
    }

    @Test
    void theCrossEntropyShouldReadAndWriteFiftyTwoBytesPerLogit() {
        // Megatron-Core's vocabulary-parallel cross-entropy over Llama-2-7B's 32,000 logits per token, 4,096 tokens:
        // forward 38 B per logit (bf16 → fp32 cast, max, subtract, exp, sum, divide), backward 14 (scale, cast back),
        // at 0.70 × the A100's 2.039 TB/s; split 4 ways with t = 4
        TrainingCompute executed = TrainingCompute.forModel(LLAMA_2_7B, 4096, 4096, true, Recomputation.NONE);
        OperatorTime.Work work = OperatorTime.Work.of(executed, options(Recomputation.NONE), LLAMA_2_7B.numLayers());
        assertThat(OperatorTime.head(work, LLAMA_2_7B, options(Recomputation.NONE), 4096, 1, A100,
                KernelEfficiency.A100).memoryBound()).isCloseTo(4096.0 * 32_000 * 52 / (2.039e12 * 0.70), within(1e-15));
        assertThat(OperatorTime.head(work, LLAMA_2_7B, options(Recomputation.NONE), 4096, 4, A100,
                KernelEfficiency.A100).memoryBound()).isCloseTo(4096.0 * 8_000 * 52 / (2.039e12 * 0.70), within(1e-15));
        // its forward is 38 of the 52 bytes; the LM head's GEMM one of its three passes
        OperatorTime.MicroBatchSeconds head = OperatorTime.head(work, LLAMA_2_7B, options(Recomputation.NONE), 4096, 1,
                A100, KernelEfficiency.A100);
        assertThat(head.forward()).isCloseTo(head.matmul() / 3 + head.memoryBound() * 38 / 52, within(1e-15));
        // a layer's forward: one of the GEMMs' three passes, one of FlashAttention's 3.5, a third of the element-wise
        OperatorTime.MicroBatchSeconds layer = layer(Recomputation.NONE);
        assertThat(layer.forward()).isCloseTo(layer.matmul() / 3 + layer.attention() / 3.5 + layer.memoryBound() / 3,
                within(1e-15));
    }

    @Test
    void aLayersGemmsShouldTakeThreeForwardPassesAtTheMatmulShare() {
        // Llama-2-7B, one layer, per token: Q, K, V, O 2·4·4096² = 134,217,728 + gate, up, down 2·3·4096·11,008 =
        // 270,532,608 FLOPs; 4,096 tokens, forward + backward (3 ×) at 312 TFLOP/s × 0.730, slowed by wave
        // quantization: on the A100's 108 SMs, 256 × 128 tiles of the 4,096 × 4,096 outputs (512 tiles) fill 512 of 540
        // slots, those of 4,096 × 11,008 and 4,096 × 22,016 (1,376 and 2,752 tiles) 2,752 of 2,808
        double a = 512.0 / 540;
        double b = 2752.0 / 2808;
        double qkv = 12288.0 * 4096;
        double o = 4096.0 * 4096;
        double in = 22016.0 * 4096;
        double down = 4096.0 * 11008;
        double q = 3 * (qkv + o + in + down)
                / (3 * qkv / a + 3 * o / a + (2 * in / b + in / a) + (down / a + 2 * down / b));
        assertThat(OperatorTime.waveQuantization(LLAMA_2_7B, 4096, 1, 108)).isCloseTo(q, within(1e-15));
        assertThat(q).isCloseTo(0.9621, within(1e-4));
        double forward = 4096 * (134_217_728.0 + 270_532_608.0) / (312e12 * 0.730) / q;
        assertThat(layer(Recomputation.NONE).matmul()).isCloseTo(3 * forward, within(1e-15));
        // a GPU of unknown multiprocessors prices no quantization
        assertThat(OperatorTime.waveQuantization(LLAMA_2_7B, 4096, 1, 0)).isEqualTo(1.0);
        assertThat(layer(Recomputation.NONE).recomputation()).isZero();
        // full recomputation runs the forward GEMMs once more
        assertThat(layer(Recomputation.FULL).recomputation()).isGreaterThan(forward);
        // causal FlashAttention: QKᵀ and P·V are 2 · 2·s·h / 2 = 2·4096·4096 FLOPs per token and layer, at
        // FlashAttention-2's share (0.56) × its 4k-key factor (0.9871); its backward recomputes QKᵀ: 1 + 2.5 forward
        // passes
        double attention = 4096 * (2.0 * 4096 * 4096) / (312e12 * 0.56 * 0.9871);
        assertThat(layer(Recomputation.NONE).attention()).isCloseTo(3.5 * attention, within(1e-15));
        assertThat(layer(Recomputation.SELECTIVE).recomputation()).isCloseTo(attention, within(1e-15));
        // eager attention: the whole square as batched GEMMs at the GEMM share, 3 passes
        ActivationOptions eager = new ActivationOptions(Recomputation.NONE, AttentionKernel.EAGER, false, false, false,
                true, Precision.MIXED_BF16.activations());
        TrainingCompute whole = TrainingCompute.forModel(LLAMA_2_7B, 4096, 4096, false, Recomputation.NONE);
        OperatorTime.MicroBatchSeconds eagerLayer = OperatorTime.layer(
                OperatorTime.Work.of(whole, eager, LLAMA_2_7B.numLayers()), LLAMA_2_7B, eager, 4096, 4096, 1, A100,
                KernelEfficiency.A100);
        assertThat(eagerLayer.attention())
                .isCloseTo(3 * 4096 * (4.0 * 4096 * 4096) / (312e12 * 0.730), within(1e-15));
    }

    @Test
    void theOptimizerStepShouldReadAndWriteItsStates() {
        // mixed-precision Adam: reads the fp32 master (4), the bf16 gradient (2) and m, v (8); writes master, m, v
        // (12) and the 16-bit weights (2): 28 bytes per parameter
        Training adam = new Training(Precision.MIXED_BF16, Optimizer.ADAMW, ZeroStage.ZERO_1);
        assertThat(OperatorTime.optimizerBytesPerParameter(adam)).isEqualTo(28.0);
        assertThat(OperatorTime.optimizerSeconds(1e9, adam, A100, KernelEfficiency.A100))
                .isCloseTo(28e9 / (2.039e12 * 0.70), within(1e-12));
    }

    @Test
    void thePipelineShouldRunAtTheSlowestStageAndFillThroughTheOthers() {
        OperatorTime.MicroBatchSeconds layer = new OperatorTime.MicroBatchSeconds(1, 0, 0, 0);
        OperatorTime.MicroBatchSeconds head = new OperatorTime.MicroBatchSeconds(0.5, 0, 0.25, 0);
        // 10 layers on 4 stages: 3, 3, 2, 2 + head (2.75): the first stages are the slowest at 3 s
        OperatorTime.Pipeline pipeline = OperatorTime.Pipeline.of(10, 4, layer, head);
        assertThat(pipeline.slowest().total()).isEqualTo(3.0);
        assertThat(pipeline.sumSeconds()).isEqualTo(10.75);
        assertThat(pipeline.bubbleSeconds(1)).isEqualTo(7.75);
        // 8 layers on 4 stages: 2 each, the last with the head is the slowest (2.75)
        OperatorTime.Pipeline even = OperatorTime.Pipeline.of(8, 4, layer, head);
        assertThat(even.slowest().total()).isEqualTo(2.75);
        assertThat(even.bubbleSeconds(2)).isEqualTo((8.75 - 2.75) / 2);
        assertThat(OperatorTime.Pipeline.of(8, 1, layer, head).bubbleSeconds(1)).isZero();
    }

    @Test
    void interleavingShouldBeAcceptedWhenTheLayersDoNotDivideIntoTheChunks() {
        // Llama 3 405B's 126 layers on 16 stages × 8 chunks (Dubey et al. 2024 §3.3.2): 128 chunks, the first 126 with a
        // layer each; stage k holds chunks k, k + 16, ...: 8 layers on stages 0-13, 7 on stages 14 and 15, as without
        // interleaving
        Architecture llama405b = ModelPresets.find("llama-3.1-405b").orElseThrow().architecture();
        dev.llmcalc.core.parallel.Parallelism interleaved = new dev.llmcalc.core.parallel.Parallelism(64, 8, 16, 1, 1, 8);
        interleaved.requireFits(llama405b);
        var stages = dev.llmcalc.core.parallel.ParameterPlacement.stages(llama405b, interleaved);
        assertThat(stages.get(0).layers()).isEqualTo(8);
        assertThat(stages.get(13).layers()).isEqualTo(8);
        assertThat(stages.get(14).layers()).isEqualTo(7);
        assertThat(stages.get(15).layers()).isEqualTo(7);
        // the step prices it, the bubble divided by the 8 chunks
        var batch = new dev.llmcalc.core.run.BatchShape(1, 8192, 2048);
        var training = new Training(Precision.MIXED_BF16, Optimizer.ADAMW, ZeroStage.ZERO_1);
        var options = new ActivationOptions(Recomputation.NONE, AttentionKernel.FLASH, true, false, false, true,
                Precision.MIXED_BF16.activations());
        var cluster = new dev.llmcalc.core.hardware.Cluster(GpuPresets.find("h100-sxm-80gb").orElseThrow(), 8192, 8);
        StepTime v8 = StepTimeModel.step(dev.llmcalc.core.run.TrainingRun.full(llama405b, batch, training, options,
                interleaved), cluster, KernelEfficiency.HOPPER);
        StepTime v1 = StepTimeModel.step(dev.llmcalc.core.run.TrainingRun.full(llama405b, batch, training, options,
                new dev.llmcalc.core.parallel.Parallelism(64, 8, 16, 1, 1)), cluster, KernelEfficiency.HOPPER);
        assertThat(v8.bubbleSeconds()).isCloseTo(v1.bubbleSeconds() / 8, within(1e-12));
        assertThat(v8.computeSeconds()).isEqualTo(v1.computeSeconds());
    }

    @Test
    void hopperShouldHaveItsOwnSharesAndAPostedBackEntryTheSame() {
        GpuSpec h100 = GpuPresets.find("h100-sxm-80gb").orElseThrow();
        assertThat(KernelEfficiency.forGpu(h100)).isSameAs(KernelEfficiency.HOPPER);
        assertThat(KernelEfficiency.forGpu(A100)).isSameAs(KernelEfficiency.A100);
        assertThat(KernelEfficiency.forGpu(GpuPresets.find("mi300x-192gb").orElseThrow()))
                .isSameAs(KernelEfficiency.CARRIED_OVER);
        // a GPU without a multiprocessor count prices no wave quantization: it takes the unquantized fit
        assertThat(KernelEfficiency.forGpu(GpuPresets.find("b200-192gb").orElseThrow()))
                .isSameAs(KernelEfficiency.CARRIED_OVER_UNQUANTIZED);
        assertThat(KernelEfficiency.CARRIED_OVER_UNQUANTIZED.matmul()).isEqualTo(0.695);
        assertThat(KernelEfficiency.A100.withComputeShare(0.5)).extracting(KernelEfficiency::matmul,
                KernelEfficiency::attention, KernelEfficiency::memoryBound).containsExactly(0.5, 0.5, 0.70);
    }

    @Test
    void zero3TrafficShouldHideOnlyBehindItsOwnPhase() {
        // 3 s of GEMMs (forward 1 s, backward 2 s); 2.1 s of ZeRO-3 collectives at nominal bandwidth = 3 s at 0.70 of
        // it: 1 s in the forward phase, 2 s in the backward; each phase lasts max + 0.3 × min, so 0.3 s and 0.6 s
        // stick out; the other 0.9 s of overlappable traffic hides behind the step's 3 s
        StepTime.KernelSeconds compute = new StepTime.KernelSeconds(3, 0, 0, 0, 0);
        assertThat(StepTimeModel.stageExposedSeconds(new StageSeconds(3.0, 0, 2.1, 0, 0), compute, 1,
                KernelEfficiency.A100, false, false, false))
                .isCloseTo(0.9, within(1e-12));
        // without ZeRO-3 traffic, overlappable seconds beyond the step's compute are exposed
        assertThat(StepTimeModel.stageExposedSeconds(new StageSeconds(4.0, 0.5, 0, 0, 0), compute, 1,
                KernelEfficiency.A100, false, false, false))
                .isCloseTo(0.5 + 0.5, within(1e-12));
    }

    @Test
    void gradientReductionsShouldHideOnlyBehindTheBackwardTheyFollow() {
        // 8 micro-batches of 1 s forward + 2 s backward (24 s in all); one micro-batch's backward is 2 s
        StepTime.KernelSeconds compute = new StepTime.KernelSeconds(24, 0, 0, 0, 0);
        // a 3 s all-reduce after the last micro-batch: max(2, 3) + 0.3 × 2 = 3.6 s of window, 1.6 s beyond its 2 s
        assertThat(StepTimeModel.stageExposedSeconds(new StageSeconds(3, 0, 0, 3, 0), compute, 8,
                KernelEfficiency.A100, false, false, false))
                .isCloseTo(1.6, within(1e-12));
        // a 1 s all-reduce: max(2, 1) + 0.3 × 1 = 2.3 s, 0.3 s beyond
        assertThat(StepTimeModel.stageExposedSeconds(new StageSeconds(1, 0, 0, 1, 0), compute, 8,
                KernelEfficiency.A100, false, false, false))
                .isCloseTo(0.3, within(1e-12));
        // ZeRO-2: 8 reduce-scatters of 0.5 s, each behind its own 2 s backward: 8 × 0.3 × 0.5 = 1.2 s
        assertThat(StepTimeModel.stageExposedSeconds(new StageSeconds(4, 0, 0, 0, 4), compute, 8,
                KernelEfficiency.A100, false, false, false))
                .isCloseTo(1.2, within(1e-12));
        // the overlap is the request's: 1 hides the shorter part entirely (3 s behind 2 s: 1 s out), 0 hides nothing
        KernelEfficiency full = KernelEfficiency.A100.with(null, null, null, null, 1.0);
        KernelEfficiency none = KernelEfficiency.A100.with(null, null, null, null, 0.0);
        assertThat(StepTimeModel.stageExposedSeconds(new StageSeconds(3, 0, 0, 3, 0), compute, 8, full, false, false, false))
                .isCloseTo(1.0, within(1e-12));
        assertThat(StepTimeModel.stageExposedSeconds(new StageSeconds(3, 0, 0, 3, 0), compute, 8, none, false, false, false))
                .isCloseTo(3.0, within(1e-12));
        // the same 3 s behind the whole step (STEP) hides entirely
        assertThat(StepTimeModel.stageExposedSeconds(new StageSeconds(3, 0, 0, 0, 0), compute, 8,
                KernelEfficiency.A100, false, false, false)).isZero();
    }

    @Test
    void exposedCommunicationShouldBeToldByParallelism() {
        // a stage with 0.5 s of pipeline sends, 1 s of tensor-parallel collectives on the critical path, 0.4 s of
        // expert all-to-alls, 0.2 s of ring-attention passes all beyond their blocks (2.1 s exposed in all) and a
        // 3 s gradient all-reduce behind the last of 8 micro-batches' 2 s backward (1.6 s out): 4 s of 24 s compute
        StepTime.KernelSeconds compute = new StepTime.KernelSeconds(24, 0, 0, 0, 0);
        StageSeconds stage = new StageSeconds(5.1, 2.1, 0, 3, 0, 0, 1, 0, 0.4, 0, 0.5, 0.2, 0.2);
        ExposedCommunication exposed = StepTimeModel.stageExposed(stage, compute, 8, KernelEfficiency.A100, false,
                false, false);
        assertThat(exposed.data()).isCloseTo(1.6, within(1e-12));
        assertThat(exposed.tensor()).isCloseTo(1.0, within(1e-12));
        assertThat(exposed.pipeline()).isCloseTo(0.5, within(1e-12));
        assertThat(exposed.expert()).isCloseTo(0.4, within(1e-12));
        assertThat(exposed.context()).isCloseTo(0.2, within(1e-12));
        assertThat(exposed.largest()).isEqualTo("data");
        assertThat(exposed.total()).isCloseTo(3.7, within(1e-12))
                .isEqualTo(StepTimeModel.stageExposedSeconds(stage, compute, 8, KernelEfficiency.A100, false, false, false));
        assertThat(ExposedCommunication.NONE.largest()).isEqualTo("none");
    }

    @Test
    void anInterleavedScheduleShouldHideItsPipelineSendsBehindTheChunksCompute() {
        // the stage above, its 0.5 s of pipeline transfers 0.4 s of boundary sends and 0.1 s of scatter/gather
        // all-gathers; interleaved, Megatron-LM's --overlap-p2p-communication runs the sends behind the step's 24 s of
        // passes: max(24, 0.4) + 0.3 × 0.4 - 24 = 0.12 s of them stay exposed, and the all-gathers' 0.1 s
        StepTime.KernelSeconds compute = new StepTime.KernelSeconds(24, 0, 0, 0, 0);
        StageSeconds stage = new StageSeconds(5.1, 2.1, 0, 3, 0, 0, 1, 0, 0.4, 0, 0.5, 0.2, 0.2, 0.4);
        assertThat(KernelEfficiency.A100.pipelineOverlap()).isTrue();
        ExposedCommunication interleaved = StepTimeModel.stageExposed(stage, compute, 8, KernelEfficiency.A100, false,
                false, true);
        assertThat(interleaved.pipeline()).isCloseTo(0.22, within(1e-12));
        assertThat(interleaved.total()).isCloseTo(3.7 - 0.28, within(1e-12));
        // without interleaving Megatron-LM turns the overlap off; a stack whose sends block exposes them whole
        assertThat(StepTimeModel.stageExposed(stage, compute, 8, KernelEfficiency.A100, false, false, false)
                .pipeline()).isCloseTo(0.5, within(1e-12));
        KernelEfficiency blocking = KernelEfficiency.A100.withPipelineOverlap(false);
        assertThat(blocking.pipelineOverlap()).isFalse();
        assertThat(blocking.matmul()).isEqualTo(KernelEfficiency.A100.matmul());
        assertThat(StepTimeModel.stageExposed(stage, compute, 8, blocking, false, false, true).pipeline())
                .isCloseTo(0.5, within(1e-12));
        assertThat(KernelEfficiency.A100.withPipelineOverlap(null)).isSameAs(KernelEfficiency.A100);
    }

    @Test
    void zero3BandwidthShareShouldScaleTheBytesTimeNotTheCallsLatency() {
        // 3 s of ZeRO-3 traffic, 1 s of it latency, at a bandwidth share of 0.5: (3 − 1) / 0.5 + 1 = 5 s, a third behind
        // the 10 s forward (0.3 × 5/3 = 0.5 out) and two thirds behind the 20 s backward (0.3 × 10/3 = 1 out): 1.5 s
        // (the whole 3 s scaled, 6 s, would leave 1.8 s)
        StepTime.KernelSeconds compute = new StepTime.KernelSeconds(30, 0, 0, 0, 0);
        StageSeconds zero3 = new StageSeconds(3, 0, 3, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0);
        KernelEfficiency half = KernelEfficiency.A100.with(null, null, null, 0.5, null);
        assertThat(StepTimeModel.stageExposedSeconds(zero3, compute, 1, half, false, false, false))
                .isCloseTo(1.5, within(1e-12));
    }

    @Test
    void tensorParallelCollectivesShouldHideAsTheFrameworkOverlapsThem() {
        // 3 s of GEMMs (forward, input gradient, weight gradient: 1 s each); 1 s of forward all-reduces on the critical
        // path (in the ledger's exposed seconds) and 1 s of backward input-gradient ones (behind the weight gradient)
        StepTime.KernelSeconds compute = new StepTime.KernelSeconds(3, 0, 0, 0, 0);
        StageSeconds tp = new StageSeconds(2, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0);
        KernelEfficiency none = KernelEfficiency.A100.with(null, null, null, null, null, TensorOverlap.NONE, null, null, null);
        KernelEfficiency full = KernelEfficiency.A100.with(null, null, null, null, null, TensorOverlap.FULL, null, null, null);
        // NONE (Megatron-LM 2021): both on the critical path
        assertThat(StepTimeModel.stageExposedSeconds(tp, compute, 1, none, false, false, false)).isCloseTo(2.0, within(1e-12));
        // BACKWARD (the default): the input gradients behind the 1 s weight gradient, max(1, 1) + 0.3 × 1 - 1 = 0.3
        assertThat(KernelEfficiency.A100.tensorOverlap()).isEqualTo(TensorOverlap.BACKWARD);
        assertThat(StepTimeModel.stageExposedSeconds(tp, compute, 1, KernelEfficiency.A100, false, false, false))
                .isCloseTo(1.3, within(1e-12));
        // FULL with sequence parallelism: all 2 s behind the 3 s of GEMMs, 0.3 × 2 = 0.6 exposed
        assertThat(StepTimeModel.stageExposedSeconds(tp, compute, 1, full, true, false, false)).isCloseTo(0.6, within(1e-12));
        // FULL needs sequence parallelism (Transformer Engine's userbuffers): without it, BACKWARD
        assertThat(StepTimeModel.stageExposedSeconds(tp, compute, 1, full, false, false, false)).isCloseTo(1.3, within(1e-12));
        // frozen base weights (LoRA) compute no weight gradient for the input gradients to hide behind: all exposed
        assertThat(StepTimeModel.stageExposedSeconds(tp, compute, 1, KernelEfficiency.A100, false, true, false))
                .isCloseTo(2.0, within(1e-12));
        // FULL hides behind the recomputed forward too: 3.5 s of collectives (2 on the critical path, 1.5 of input
        // gradients) behind 3 s of GEMMs + 1 s recomputed, max(4, 3.5) + 0.3 × 3.5 − 4 = 1.05 (behind the GEMMs
        // alone it would be 3.5 + 0.3 × 3 − 3 = 1.4)
        StageSeconds longer = new StageSeconds(3.5, 2, 0, 0, 0, 1.5, 2, 0, 0, 0, 0, 0, 0);
        StepTime.KernelSeconds recomputing = new StepTime.KernelSeconds(3, 0, 0, 1, 0);
        assertThat(StepTimeModel.stageExposedSeconds(longer, recomputing, 1, full, true, false, false))
                .isCloseTo(1.05, within(1e-12));
    }

    @Test
    void weightGathersAndGradientReductionsShouldHideOnlyWhereTheFrameworkOverlapsThem() {
        // 3 s of forward and backward for 2 micro-batches: 1 s of forward, 0.5 s per micro-batch
        StepTime.KernelSeconds compute = new StepTime.KernelSeconds(3, 0, 0, 0, 0);
        StageSeconds gather = new StageSeconds(1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0);
        assertThat(StepTimeModel.stageExposedSeconds(gather, compute, 2, KernelEfficiency.A100, false, false, false))
                .isCloseTo(1.0, within(1e-12));
        // --overlap-param-gather: behind the first micro-batch's 0.5 s forward, max(0.5, 1) + 0.3 × 0.5 - 0.5 = 0.65
        KernelEfficiency overlapped = KernelEfficiency.A100.with(null, null, null, null, null, null, true, null, null);
        assertThat(StepTimeModel.stageExposedSeconds(gather, compute, 2, overlapped, false, false, false))
                .isCloseTo(0.65, within(1e-12));
        // a gradient all-reduce after the flush (local DDP): all of it, whatever the overlap share
        StageSeconds reduction = new StageSeconds(3, 0, 0, 3, 0);
        KernelEfficiency afterFlush = KernelEfficiency.A100.with(null, null, null, null, null, null, null, false, null);
        assertThat(StepTimeModel.stageExposedSeconds(reduction, new StepTime.KernelSeconds(24, 0, 0, 0, 0), 8,
                afterFlush, false, false, false)).isCloseTo(3.0, within(1e-12));
        assertThat(afterFlush.overlap()).isEqualTo(KernelEfficiency.DEFAULT_OVERLAP);
        // 2.5 s of expert all-to-alls: on the critical path, or (DualPipe) behind the step's 3 s of passes,
        // max(3, 2.5) + 0.3 × 2.5 − 3 = 0.75 (behind the 2 s backward alone it would be 1.1)
        StageSeconds expert = new StageSeconds(2.5, 2.5, 0, 0, 0, 0, 0, 0, 2.5, 0, 0, 0, 0);
        assertThat(StepTimeModel.stageExposedSeconds(expert, compute, 2, KernelEfficiency.A100, false, false, false))
                .isCloseTo(2.5, within(1e-12));
        KernelEfficiency dualPipe = KernelEfficiency.A100.with(null, null, null, null, null, null, null, null, true);
        assertThat(StepTimeModel.stageExposedSeconds(expert, compute, 2, dualPipe, false, false, false))
                .isCloseTo(0.75, within(1e-12));
        // one micro-batch: no other micro-batch to hide behind
        assertThat(StepTimeModel.stageExposedSeconds(expert, compute, 1, dualPipe, false, false, false))
                .isCloseTo(2.5, within(1e-12));
    }

    @Test
    void muonsNewtonSchulzWorkShouldBeInTheOptimizerStepSpreadAsItsUpdatesAre() {
        // Llama-2-7B: 684,445,988,290,560 Newton–Schulz FLOPs per step over its hidden matrices (5 iterations of
        // 4m²n + 2m³ each, README); on 8 A100s without ZeRO every replica runs all of it, with ZeRO-1 an eighth
        GpuSpec gpu = A100;
        KernelEfficiency e = KernelEfficiency.A100;
        var cluster = new dev.llmcalc.core.hardware.Cluster(gpu, 8, 8);
        var batch = new dev.llmcalc.core.run.BatchShape(1, 4096, 64);
        ActivationOptions options = options(Recomputation.SELECTIVE);
        long phi = 6_738_415_616L;
        double nsSeconds = 684_445_988_290_560.0 / (312e12 * e.matmul());
        for (ZeroStage zero : new ZeroStage[] { ZeroStage.ZERO_0, ZeroStage.ZERO_1 }) {
            Training muon = new Training(Precision.MIXED_BF16, Optimizer.MUON, zero);
            double updated = zero == ZeroStage.ZERO_0 ? phi : phi / 8.0;
            StepTime step = StepTimeModel.step(dev.llmcalc.core.run.TrainingRun.full(LLAMA_2_7B, batch, muon, options,
                    new dev.llmcalc.core.parallel.Parallelism(8, 1, 1, 1, 1)), cluster, e);
            double elementWise = OperatorTime.optimizerSeconds(updated, muon, gpu, e);
            assertThat(step.kernels().optimizerSeconds() - elementWise).as(zero.toString())
                    .isCloseTo(nsSeconds * updated / phi, within(1e-9));
        }
        // AdamW has no such work
        assertThat(OperatorTime.newtonSchulzFlopsPerParameter(LLAMA_2_7B, Optimizer.ADAMW)).isZero();
    }
}
