package dev.llmcalc.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

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
import dev.llmcalc.core.unit.InvalidInputException;

/**
 * Calibration's two parts: each calibrated model's own factors, and the GPU-wide share of the all-runs fit every other
 * model takes, max(0, 1 − σ² / (n · r̄²)).
 */
class CalibrationTests {

    private static final GpuSpec A100 = GpuPresets.find("a100-sxm-80gb").orElseThrow();

    private static final Architecture LLAMA_2_7B = ModelPresets.find("llama-2-7b").orElseThrow().architecture();

    private static final Architecture LLAMA_2_13B = ModelPresets.find("llama-2-13b").orElseThrow().architecture();

    private static final KernelEfficiency START = KernelEfficiency.forGpu(A100);

    private static TrainingRun run(Architecture model) {
        return TrainingRun.full(model, new BatchShape(1, 4096, 64),
                new Training(Precision.MIXED_BF16, Optimizer.ADAMW, ZeroStage.ZERO_1), new ActivationOptions(Recomputation.NONE, AttentionKernel.FLASH,
                        false, false, false, true, DType.BF16, AdapterActivations.NONE),
                Parallelism.dataParallel(8));
    }

    private static double predicted(Architecture model, KernelEfficiency efficiency) {
        return StepTimeModel.step(run(model), Cluster.of(A100, 8, null), efficiency).totalSeconds();
    }

    // the 7B run measured × slower than its prediction
    private static List<Calibration.MeasuredRun> measured(double slower) {
        return List.of(new Calibration.MeasuredRun(run(LLAMA_2_7B), Cluster.of(A100, 8, null),
                slower * predicted(LLAMA_2_7B, START)));
    }

    @Test
    void theGpuWideShareShouldBeTheEmpiricalBayesShrinkage() {
        // one model 25 % slow (ln 1.25 = 0.2231) against σ 0.08: 1 − 0.0064 / 0.04979 = 0.8715
        assertThat(Calibration.gpuWideShare(Math.log(1.25), 1, 0.08)).isCloseTo(0.8715, within(1e-4));
        // two models: the mean is surer, 1 − 0.0064 / (2 × 0.04979)
        assertThat(Calibration.gpuWideShare(Math.log(1.25), 2, 0.08)).isCloseTo(0.9357, within(1e-4));
        // within the model's own error: nothing; σ 0: everything
        assertThat(Calibration.gpuWideShare(0.05, 1, 0.08)).isZero();
        assertThat(Calibration.gpuWideShare(0, 3, 0.08)).isZero();
        assertThat(Calibration.gpuWideShare(0.05, 1, 0)).isEqualTo(1);
    }

    @Test
    void theCalibratedModelShouldTakeItsOwnFitAndAnotherTheGpuWideShareOfIt() {
        List<Calibration.MeasuredRun> slow = measured(1.25);
        Calibration own = Calibration.fit(slow, START, null, LLAMA_2_7B);
        assertThat(own.residuals().get(0).error()).isCloseTo(0, within(0.02));
        assertThat(own.residuals().get(0).requestModel()).isTrue();
        assertThat(own.gpuWideShare()).isCloseTo(0.8715, within(1e-3));
        assertThat(own.modelError()).isEqualTo(Calibration.DEFAULT_MODEL_ERROR);
        // 13B was not measured: the factor to the power of the GPU-wide share
        Calibration other = Calibration.fit(slow, START, null, LLAMA_2_13B);
        assertThat(other.residuals().get(0).requestModel()).isFalse();
        assertThat(other.residuals().get(0).error()).isCloseTo(own.residuals().get(0).error(), within(1e-12));
        assertThat(other.scale()).isCloseTo(Math.pow(own.scale(), own.gpuWideShare()), within(1e-9));
        assertThat(other.scale()).isLessThan(1).isGreaterThan(own.scale());
        assertThat(predicted(LLAMA_2_13B, other.kernelEfficiency())).isGreaterThan(predicted(LLAMA_2_13B, START));
        // σ 0: the whole fit for every model (what one factor for the GPU does)
        Calibration whole = Calibration.fit(slow, START, 0.0, LLAMA_2_13B);
        assertThat(whole.gpuWideShare()).isEqualTo(1);
        assertThat(whole.scale()).isCloseTo(own.scale(), within(1e-12));
        // 5 % slow is within the model's own error: the 13B keeps the GPU's shares, the 7B is matched
        Calibration near = Calibration.fit(measured(1.05), START, null, LLAMA_2_13B);
        assertThat(near.gpuWideShare()).isZero();
        assertThat(near.scale()).isEqualTo(1);
        assertThat(predicted(LLAMA_2_13B, near.kernelEfficiency())).isCloseTo(predicted(LLAMA_2_13B, START),
                within(1e-12));
        assertThat(Calibration.fit(measured(1.05), START, null, LLAMA_2_7B).residuals().get(0).error())
                .isCloseTo(0, within(0.02));
    }

    private static final Architecture LLAMA_2_70B = ModelPresets.find("llama-2-70b").orElseThrow().architecture();

    private static Calibration.MeasuredRun measured(Architecture model, double slower) {
        return new Calibration.MeasuredRun(run(model), Cluster.of(A100, 8, null), slower * predicted(model, START));
    }

    @Test
    void twoModelsAgreeingShouldMoveAThirdAndTwoDisagreeingShouldNot() {
        // 7B and 13B both 25 % slow: n = 2, r̄ = ln(1 / 1.25), g = 1 − 0.0064 / (2 × 0.04979) = 0.93573
        List<Calibration.MeasuredRun> agreeing = List.of(measured(LLAMA_2_7B, 1.25), measured(LLAMA_2_13B, 1.25));
        Calibration seventy = Calibration.fit(agreeing, START, null, LLAMA_2_70B);
        assertThat(seventy.gpuWideShare()).isCloseTo(0.93573, within(1e-5));
        assertThat(seventy.residuals()).allSatisfy((r) -> {
            assertThat(r.requestModel()).isFalse();
            assertThat(Math.abs(r.error())).isLessThan(0.02);
        });
        // the 70B takes the all-runs fit (which σ = 0 gives every model) to the power g
        Calibration all = Calibration.fit(agreeing, START, 0.0, LLAMA_2_70B);
        assertThat(seventy.scale()).isCloseTo(Math.pow(all.scale(), seventy.gpuWideShare()), within(1e-9));
        assertThat(seventy.scale()).isLessThan(0.85);
        // a calibrated model still prices itself with its own fit
        Calibration thirteen = Calibration.fit(agreeing, START, null, LLAMA_2_13B);
        assertThat(thirteen.residuals().get(1).requestModel()).isTrue();
        assertThat(thirteen.residuals().get(0).requestModel()).isFalse();
        assertThat(predicted(LLAMA_2_13B, thirteen.kernelEfficiency()) / (1.25 * predicted(LLAMA_2_13B, START)))
                .isCloseTo(1, within(0.02));
        // one 25 % slower, the other 25 % faster: they cancel (r̄ = 0) and the 70B keeps the GPU's shares
        List<Calibration.MeasuredRun> disagreeing = List.of(measured(LLAMA_2_7B, 1.25), measured(LLAMA_2_13B, 0.8));
        Calibration cancelled = Calibration.fit(disagreeing, START, null, LLAMA_2_70B);
        assertThat(cancelled.gpuWideShare()).isZero();
        assertThat(cancelled.scale()).isEqualTo(1);
        assertThat(cancelled.residuals()).allSatisfy((r) -> assertThat(Math.abs(r.error())).isLessThan(0.02));
    }

    @Test
    void theModelErrorShouldBeAShare() {
        assertThatThrownBy(() -> Calibration.fit(measured(1.25), START, 1.5, LLAMA_2_7B))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("calibration.modelError");
    }
}
