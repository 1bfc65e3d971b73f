package dev.llmcalc.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

import dev.llmcalc.core.hardware.Cluster;
import dev.llmcalc.core.hardware.GpuPresets;
import dev.llmcalc.core.hardware.GpuSpec;
import dev.llmcalc.core.hardware.KernelEfficiency;
import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.model.ModelPresets;
import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.run.ActivationOptions;
import dev.llmcalc.core.run.AdapterActivations;
import dev.llmcalc.core.run.AttentionKernel;
import dev.llmcalc.core.run.BatchShape;
import dev.llmcalc.core.run.Optimizer;
import dev.llmcalc.core.run.Precision;
import dev.llmcalc.core.run.Recomputation;
import dev.llmcalc.core.run.Training;
import dev.llmcalc.core.run.TrainingRun;
import dev.llmcalc.core.run.ZeroStage;
import dev.llmcalc.core.unit.DType;

/**
 * The gradients' accumulation over a step's micro-batches, by hand: Llama-2-7B (6,738,415,616 parameters) data
 * parallel on 8 A100s, 64 sequences of 4,096 tokens a step in micro-batches of 1 (8 per GPU), the element-wise share
 * 0.70 of the A100's HBM bandwidth.
 */
class GradientAccumulationTests {

    private static final Architecture LLAMA_2_7B = ModelPresets.find("llama-2-7b").orElseThrow().architecture();

    private static final GpuSpec A100 = GpuPresets.find("a100-sxm-80gb").orElseThrow();

    private static final double PARAMETERS = 6_738_415_616.0;

    private static StepTime step(Precision precision, ZeroStage zero, boolean fusion) {
        ActivationOptions options = new ActivationOptions(Recomputation.NONE, AttentionKernel.FLASH, false, false,
                false, true, DType.BF16, AdapterActivations.NONE);
        TrainingRun run = TrainingRun.full(LLAMA_2_7B, new BatchShape(1, 4096, 64),
                new Training(precision, Optimizer.ADAMW, zero), options, Parallelism.dataParallel(8));
        return StepTimeModel.step(run, Cluster.of(A100, 8, null),
                KernelEfficiency.A100.withGradientAccumulationFusion(fusion));
    }

    @Test
    void autogradShouldAddEachMicroBatchAfterTheFirstInPlace() {
        // bf16 gradients in .grad: micro-batches 2 to 8 each read both and write one, 7 × 3 × 2 bytes per gradient
        double expected = PARAMETERS * 7 * 3 * 2 / (A100.memoryBandwidth() * 0.70);
        assertThat(OperatorTime.gradientAccumulationSeconds(PARAMETERS, 8, Precision.MIXED_BF16, A100,
                KernelEfficiency.A100)).isCloseTo(expected, within(1e-12));
        assertThat(expected).isCloseTo(0.1982, within(1e-4));
        // one micro-batch: nothing to add
        assertThat(OperatorTime.gradientAccumulationSeconds(PARAMETERS, 1, Precision.MIXED_BF16, A100,
                KernelEfficiency.A100)).isZero();
        // the step: the element-wise seconds carry exactly that much more than with the GEMMs accumulating
        StepTime unfused = step(Precision.MIXED_BF16, ZeroStage.ZERO_1, false);
        StepTime fused = step(Precision.MIXED_BF16, ZeroStage.ZERO_1, true);
        assertThat(unfused.kernels().memoryBoundSeconds() - fused.kernels().memoryBoundSeconds()).isCloseTo(expected,
                within(1e-9));
        assertThat(unfused.kernels().matmulSeconds()).isEqualTo(fused.kernels().matmulSeconds());
        assertThat(unfused.totalSeconds()).isGreaterThan(fused.totalSeconds());
    }

    @Test
    void fp32BuffersShouldTakeEveryMicroBatchAndShardedGradientsOnlyThePartition() {
        // bf16 gradients into fp32 buffers: all 8 micro-batches read 2 bytes and read and write 4: 8 × 10 bytes
        double buffers = PARAMETERS * 8 * 10 / (A100.memoryBandwidth() * 0.70);
        assertThat(OperatorTime.gradientAccumulationSeconds(PARAMETERS, 8, Precision.MIXED_BF16_FP32_GRADS, A100,
                KernelEfficiency.A100)).isCloseTo(buffers, within(1e-12));
        // ZeRO-2 adds into its 1/8 partition; ZeRO-1 keeps every gradient until the step's reduction
        StepTime zero1 = step(Precision.MIXED_BF16, ZeroStage.ZERO_1, false);
        StepTime zero2 = step(Precision.MIXED_BF16, ZeroStage.ZERO_2, false);
        double perGpu = PARAMETERS * 7 * 3 * 2 / (A100.memoryBandwidth() * 0.70);
        assertThat(zero1.kernels().memoryBoundSeconds() - zero2.kernels().memoryBoundSeconds()).isCloseTo(
                perGpu - perGpu / 8, within(1e-9));
    }
}
