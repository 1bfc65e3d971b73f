package dev.llmcalc.core.memory;

import static org.assertj.core.api.Assertions.assertThat;

import dev.llmcalc.core.activation.ActivationCalculator;
import dev.llmcalc.core.activation.ActivationEstimate;
import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.model.ModelPresets;
import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.run.ActivationOptions;
import dev.llmcalc.core.run.AttentionKernel;
import dev.llmcalc.core.run.BatchShape;
import dev.llmcalc.core.run.Optimizer;
import dev.llmcalc.core.run.Precision;
import dev.llmcalc.core.run.Recomputation;
import dev.llmcalc.core.run.Training;
import dev.llmcalc.core.run.ZeroStage;
import dev.llmcalc.core.unit.DType;
import dev.llmcalc.core.unit.Units;
import org.junit.jupiter.api.Test;

class TrainingMemoryCalculatorTests {

    private static final Architecture LLAMA = ModelPresets.find("llama-2-7b").orElseThrow().architecture();

    private static final long PHI = 6_738_415_616L;

    private static final ActivationOptions FLASH = new ActivationOptions(Recomputation.NONE, AttentionKernel.FLASH,
            false, false, false, true, DType.BF16);

    private static final Training MIXED = new Training(Precision.MIXED_BF16, Optimizer.ADAMW, ZeroStage.ZERO_0);

    @Test
    void totalShouldBeStatesPlusActivationsPlusTransientWithoutAllowance() {
        BatchShape batch = new BatchShape(1, 4096, 0);
        TrainingMemory memory = TrainingMemoryCalculator.estimate(LLAMA, batch, MIXED, FLASH, Parallelism.NONE,
                FrameworkAllowance.NONE, 0);
        ActivationEstimate activations = ActivationCalculator.estimate(LLAMA, batch, FLASH, Parallelism.NONE);
        // the transient on a single stage is the logits: 16-bit + fp32 copy = 6 bytes × s × V
        assertThat(memory.transientBytes()).isEqualTo(6L * 4096 * 32_000);
        assertThat(memory.totalBytes()).isEqualTo(16 * PHI + activations.totalBytes() + 6L * 4096 * 32_000);
        assertThat(memory.fits()).isNull();
        assertThat(memory.maxMicroBatchSize()).isNull();
    }

    @Test
    void defaultAllowanceShouldAddContextBuffersAndFivePercent() {
        BatchShape batch = new BatchShape(1, 4096, 0);
        TrainingMemory bare = TrainingMemoryCalculator.estimate(LLAMA, batch, MIXED, FLASH, Parallelism.NONE,
                FrameworkAllowance.NONE, 0);
        TrainingMemory allowed = TrainingMemoryCalculator.estimate(LLAMA, batch, MIXED, FLASH, Parallelism.NONE,
                FrameworkAllowance.DEFAULT, 0);
        long fragmentation = (long) Math.ceil(0.05 * bare.totalBytes());
        assertThat(allowed.frameworkBytes()).isEqualTo(Units.GIB + 512 * Units.MIB + fragmentation);
        assertThat(allowed.totalBytes()).isEqualTo(bare.totalBytes() + allowed.frameworkBytes());
    }

    @Test
    void fitAndHeadroomShouldCompareWithTheGpu() {
        BatchShape batch = new BatchShape(1, 4096, 0);
        Training zero3 = new Training(Precision.MIXED_BF16, Optimizer.ADAMW, ZeroStage.ZERO_3);
        long h100 = 80 * Units.GIB;
        TrainingMemory memory = TrainingMemoryCalculator.estimate(LLAMA, batch, zero3, FLASH, Parallelism.dataParallel(8),
                FrameworkAllowance.DEFAULT, h100);
        assertThat(memory.fits()).isTrue();
        assertThat(memory.headroomBytes()).isEqualTo(h100 - memory.totalBytes()).isPositive();
        TrainingMemory single = TrainingMemoryCalculator.estimate(LLAMA, batch, MIXED, FLASH, Parallelism.NONE,
                FrameworkAllowance.DEFAULT, h100);
        assertThat(single.fits()).isFalse();
        assertThat(single.headroomBytes()).isNegative();
        assertThat(single.maxMicroBatchSize()).isZero();
        assertThat(single.maxSequenceLength()).isZero();
    }

    @Test
    void inverseAnswersShouldBeTheLargestThatFit() {
        Training zero3 = new Training(Precision.MIXED_BF16, Optimizer.ADAMW, ZeroStage.ZERO_3);
        Parallelism par = Parallelism.dataParallel(8);
        long memory = 80 * Units.GIB;
        TrainingMemory answer = TrainingMemoryCalculator.estimate(LLAMA, new BatchShape(1, 4096, 0), zero3, FLASH, par,
                FrameworkAllowance.DEFAULT, memory);
        long b = answer.maxMicroBatchSize();
        assertThat(b).isGreaterThan(1);
        assertThat(TrainingMemoryCalculator.estimate(LLAMA, new BatchShape(b, 4096, 0), zero3, FLASH, par,
                FrameworkAllowance.DEFAULT, memory).fits()).isTrue();
        assertThat(TrainingMemoryCalculator.estimate(LLAMA, new BatchShape(b + 1, 4096, 0), zero3, FLASH, par,
                FrameworkAllowance.DEFAULT, memory).fits()).isFalse();
        long s = answer.maxSequenceLength();
        assertThat(TrainingMemoryCalculator.estimate(LLAMA, new BatchShape(1, s, 0), zero3, FLASH, par,
                FrameworkAllowance.DEFAULT, memory).fits()).isTrue();
        assertThat(TrainingMemoryCalculator.estimate(LLAMA, new BatchShape(1, s + 1, 0), zero3, FLASH, par,
                FrameworkAllowance.DEFAULT, memory).fits()).isFalse();
    }

    @Test
    void busiestStageShouldCombineStatesAndActivations() {
        // p = 4: stage 0 holds 4 micro-batches of activations, the last stage the LM head and the loss
        Parallelism par = new Parallelism(1, 1, 4, 1, 1);
        TrainingMemory memory = TrainingMemoryCalculator.estimate(LLAMA, new BatchShape(1, 4096, 0), MIXED, FLASH, par,
                FrameworkAllowance.NONE, 0);
        ActivationEstimate activations = ActivationCalculator.estimate(LLAMA, new BatchShape(1, 4096, 0), FLASH, par);
        long best = 0;
        var stages = dev.llmcalc.core.parallel.ParameterPlacement.stages(LLAMA, par);
        for (int k = 0; k < 4; k++) {
            long total = 16 * stages.get(k).total() + activations.stages().get(k).peakBytes();
            best = Math.max(best, total);
        }
        assertThat(memory.totalBytes()).isEqualTo(best);
        assertThat(memory.pipelineStage()).isZero();
    }
}
