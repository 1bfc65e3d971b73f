package dev.llmcalc.core.plan;

import static dev.llmcalc.core.unit.InvalidInputException.require;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.llmcalc.core.compute.TrainingCompute;
import dev.llmcalc.core.hardware.Cluster;
import dev.llmcalc.core.hardware.KernelEfficiency;
import dev.llmcalc.core.run.AttentionKernel;
import dev.llmcalc.core.run.TrainingRun;

/**
 * Kernel shares fitted to the caller's own measured step times (issue 15, calibration): one factor scales the GEMM,
 * attention and element-wise shares of a starting {@link KernelEfficiency} (each capped at 1) so that the step time
 * best reproduces the measured runs (least mean absolute relative error, golden-section search over the factor;
 * the step time falls as the factor grows, so one run is matched exactly unless communication alone outlasts it).
 * With two runs or more, a second factor scales the attention share alone (FlashAttention kernels differ far more
 * between implementations than GEMMs do), fitted with the first by alternating golden-section searches; a small
 * penalty on its logarithm keeps it at 1 when the runs cannot tell (eager attention, short sequences).
 * Stateless: the fitted shares come back to be sent again as {@code kernelEfficiency}.
 *
 * @param kernelEfficiency the fitted shares
 * @param scale the factor applied to the starting shares
 * @param attentionScale the further factor on the attention share (1 with a single run)
 * @param residuals each run's measured and fitted step seconds
 */
public record Calibration(KernelEfficiency kernelEfficiency, double scale, double attentionScale,
        List<Residual> residuals) {

    /** A run the caller measured: the plan, its cluster and the step seconds it took. */
    public record MeasuredRun(TrainingRun run, Cluster cluster, double measuredStepSeconds) {

        public MeasuredRun {
            require(measuredStepSeconds > 0 && Double.isFinite(measuredStepSeconds), "calibration.measuredStepSeconds",
                    "must be a positive number of seconds");
        }

        /**
         * A run measured in model TFLOP/s per GPU, as {@code /checks} counts MFU (model FLOPs per step, attention
         * whole, no recomputation): step seconds = model FLOPs per step / (TFLOP/s × 10¹² × GPUs).
         *
         * @param field the request field named if the rate is not a positive number
         */
        public static MeasuredRun ofModelTflopsPerGpu(TrainingRun run, Cluster cluster, double tflopsPerGpu,
                String field) {
            require(tflopsPerGpu > 0 && Double.isFinite(tflopsPerGpu), field, "must be a positive TFLOP/s per GPU");
            double modelFlops = TrainingCompute.ofStep(run, false).trainingFlops();
            return new MeasuredRun(run, cluster, modelFlops / (tflopsPerGpu * 1e12 * cluster.gpuCount()));
        }
    }

    /**
     * @param measuredStepSeconds what the caller measured
     * @param predictedStepSeconds the step time with the fitted shares
     * @param error predicted ÷ measured − 1
     */
    public record Residual(double measuredStepSeconds, double predictedStepSeconds, double error) {
    }

    private static final double SMALLEST_SCALE = 0.01;

    private static final int ITERATIONS = 80;

    /** The attention factor's range, and the penalty per unit of its logarithm (a tie-breaker toward 1). */
    private static final double LARGEST_ATTENTION_SCALE = 4;

    private static final double ATTENTION_PENALTY = 0.001;

    private static final int ROUNDS = 6;

    /** Fits the factors on {@code runs}, starting from {@code start}. */
    public static Calibration fit(List<MeasuredRun> runs, KernelEfficiency start) {
        require(runs != null && !runs.isEmpty(), "calibration", "needs at least one measured run");
        double scale = bestScale(runs, start, 1);
        double attention = 1;
        // the attention share alone only where a run prices FlashAttention's kernel by it (eager runs at the GEMM
        // share)
        boolean fused = runs.stream().anyMatch((run) -> run.run().options().attention() == AttentionKernel.FLASH);
        if (runs.size() > 1 && fused) {
            for (int round = 0; round < ROUNDS; round++) {
                double s = scale;
                double logA = goldenSection(-Math.log(LARGEST_ATTENTION_SCALE), Math.log(LARGEST_ATTENTION_SCALE),
                        (x) -> meanError(runs, start, s, Math.exp(x)) + ATTENTION_PENALTY * Math.abs(x));
                // what the runs cannot tell apart from 1 stays 1
                attention = Math.abs(logA) < 1e-6 ? 1 : Math.exp(logA);
                scale = bestScale(runs, start, attention);
            }
        }
        KernelEfficiency fitted = scaled(start, scale, attention, "calibrated: "
                + String.format(Locale.ROOT, "%.4f", scale) + " × (" + start.source() + ")"
                + (attention != 1 ? String.format(Locale.ROOT, ", attention × %.4f more", attention) : ""));
        List<Residual> residuals = new ArrayList<>();
        for (MeasuredRun run : runs) {
            double predicted = StepTimeModel.step(run.run(), run.cluster(), fitted).totalSeconds();
            residuals.add(new Residual(run.measuredStepSeconds(), predicted, predicted / run.measuredStepSeconds() - 1));
        }
        return new Calibration(fitted, scale, attention, List.copyOf(residuals));
    }

    // the common factor over [SMALLEST_SCALE, the factor that brings the smallest share to 1] (beyond it every share
    // is capped and nothing changes)
    private static double bestScale(List<MeasuredRun> runs, KernelEfficiency start, double attention) {
        double largest = 1 / Math.min(start.matmul(), Math.min(start.attention() * attention, start.memoryBound()));
        return goldenSection(SMALLEST_SCALE, Math.max(SMALLEST_SCALE, largest),
                (x) -> meanError(runs, start, x, attention));
    }

    // golden-section search for the minimum of f on [a, b]
    private static double goldenSection(double a, double b, java.util.function.DoubleUnaryOperator f) {
        double ratio = (Math.sqrt(5) - 1) / 2;
        double c = b - ratio * (b - a);
        double d = a + ratio * (b - a);
        double fc = f.applyAsDouble(c);
        double fd = f.applyAsDouble(d);
        for (int i = 0; i < ITERATIONS; i++) {
            if (fc <= fd) {
                b = d;
                d = c;
                fd = fc;
                c = b - ratio * (b - a);
                fc = f.applyAsDouble(c);
            }
            else {
                a = c;
                c = d;
                fc = fd;
                d = a + ratio * (b - a);
                fd = f.applyAsDouble(d);
            }
        }
        return (a + b) / 2;
    }

    // the starting shares × scale (the attention share × attention more), each capped at 1
    static KernelEfficiency scaled(KernelEfficiency start, double scale, double attention, String source) {
        return new KernelEfficiency(Math.min(1, start.matmul() * scale), Math.min(1, start.attention() * scale * attention),
                Math.min(1, start.memoryBound() * scale), start.zero3Bandwidth(), start.overlap(), start.tensorOverlap(),
                start.parameterGatherOverlap(), start.gradientReductionOverlap(), start.expertOverlap(),
                start.pipelineOverlap(), source);
    }

    private static double meanError(List<MeasuredRun> runs, KernelEfficiency start, double scale, double attention) {
        KernelEfficiency e = scaled(start, scale, attention, start.source());
        double sum = 0;
        for (MeasuredRun run : runs) {
            sum += Math.abs(StepTimeModel.step(run.run(), run.cluster(), e).totalSeconds() / run.measuredStepSeconds()
                    - 1);
        }
        return sum / runs.size();
    }
}
