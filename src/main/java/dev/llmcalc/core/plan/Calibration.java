package dev.llmcalc.core.plan;

import static dev.llmcalc.core.unit.InvalidInputException.require;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.llmcalc.core.compute.TrainingCompute;
import dev.llmcalc.core.hardware.Cluster;
import dev.llmcalc.core.hardware.KernelEfficiency;
import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.params.ParameterCounter;
import dev.llmcalc.core.run.AttentionKernel;
import dev.llmcalc.core.run.TrainingRun;

/**
 * Kernel shares fitted to the caller's own measured step times (issue 15, calibration). A measured step that differs
 * from the prediction is either the caller's cluster (slower kernels, another software stack: true for every plan)
 * or this model's own error for that workload (true for that model only); one run cannot tell the two apart, so the
 * fit is split in two:
 * <ul>
 * <li><b>per model</b>: the runs of each model (grouped by parameter count) get their own factors — one scaling the
 * GEMM, attention and element-wise shares of a starting {@link KernelEfficiency} (each capped at 1) to the least mean
 * absolute relative error (golden-section search; the step time falls as the factor grows, so one run is matched
 * exactly unless communication alone outlasts it) and, with two runs or more, a second on the attention share alone
 * (FlashAttention kernels differ far more between implementations than GEMMs do; fitted with the first by
 * alternating searches, a small penalty on its logarithm keeping it at 1 when the runs cannot tell). Those factors
 * price that model only (grouped by {@link #modelSize}): the measured runs show this model's errors uncorrelated
 * between models, even of a size (Table 1's 76.1B −5.5 % between 39.1B +1.6 % and 145.6B +0.3 %; torchtitan's Llama
 * 70B runs within −2.3 %);</li>
 * <li><b>GPU-wide</b>: the same factors fitted to all runs, applied to every model in the share the runs' mean log
 * residual exceeds the model's own error — the empirical-Bayes (positive-part James–Stein) share
 * max(0, 1 − σ² / (n · r̄²)) over n calibrated models, σ {@link #DEFAULT_MODEL_ERROR} unless the caller gives it
 * (0 applies the whole fit to every model without runs of its own).</li>
 * </ul>
 * Stateless: the shares fitted for the request's model come back to be sent again as {@code kernelEfficiency}.
 *
 * @param kernelEfficiency the fitted shares for the request's model
 * @param scale the factor applied to the starting shares for it
 * @param attentionScale the further factor on the attention share for it (1 with a single run per model)
 * @param gpuWideShare the share of the all-runs fit every model takes (0: the runs are within the model's own error)
 * @param modelError σ, the model's own per-workload log step-time error the residuals are weighed against
 * @param residuals each run's measured and fitted step seconds (with its own model's shares)
 */
public record Calibration(KernelEfficiency kernelEfficiency, double scale, double attentionScale, double gpuWideShare,
        double modelError, List<Residual> residuals) {

    /**
     * σ by default: the root-mean-square log step-time error of the held-out dense measured runs
     * (src/test/resources/reference/measured-runs.json; 8.4 % over the 48 runs of Megatron-LM, DeepSpeed, NeMo and
     * torchtitan it was set on, 8.8 % over today's 49 with GLM-130B), rounded; MeasuredRunsTests keeps it within a point.
     */
    public static final double DEFAULT_MODEL_ERROR = 0.08;

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

        long parameters() {
            return modelSize(run.model());
        }
    }

    /**
     * @param measuredStepSeconds what the caller measured
     * @param predictedStepSeconds the step time with the shares fitted for that run's model
     * @param error predicted ÷ measured − 1
     * @param requestModel whether the run is of the request's model (whose shares its own runs fit)
     */
    public record Residual(double measuredStepSeconds, double predictedStepSeconds, double error,
            boolean requestModel) {
    }

    private static final double SMALLEST_SCALE = 0.01;

    private static final int ITERATIONS = 80;

    /** The attention factor's range, and the penalty per unit of its logarithm (a tie-breaker toward 1). */
    private static final double LARGEST_ATTENTION_SCALE = 4;

    private static final double ATTENTION_PENALTY = 0.001;

    private static final int ROUNDS = 6;

    /** The two factors of a fit, on the starting shares. */
    private record Factors(double scale, double attention) {
    }

    /** A calibrated model: its parameter count and the factors fitted to its own runs. */
    private record ModelFit(long parameters, Factors factors) {
    }

    /**
     * Fits the factors on {@code runs}, starting from {@code start}, for the model {@code target}.
     *
     * @param modelError σ (null: {@link #DEFAULT_MODEL_ERROR})
     */
    public static Calibration fit(List<MeasuredRun> runs, KernelEfficiency start, Double modelError,
            Architecture target) {
        require(runs != null && !runs.isEmpty(), "calibration", "needs at least one measured run");
        double sigma = modelError != null ? modelError : DEFAULT_MODEL_ERROR;
        require(sigma >= 0 && sigma <= 1, "calibration.modelError", "must be between 0 and 1");
        Map<Long, List<MeasuredRun>> byModel = new LinkedHashMap<>();
        for (MeasuredRun run : runs) {
            byModel.computeIfAbsent(run.parameters(), (p) -> new ArrayList<>()).add(run);
        }
        List<ModelFit> models = new ArrayList<>();
        double meanResidual = 0;
        for (Map.Entry<Long, List<MeasuredRun>> model : byModel.entrySet()) {
            models.add(new ModelFit(model.getKey(), factors(model.getValue(), start)));
            meanResidual += meanLogResidual(model.getValue(), start) / byModel.size();
        }
        Factors all = models.size() == 1 ? models.get(0).factors() : factors(runs, start);
        double gpuWide = gpuWideShare(meanResidual, models.size(), sigma);
        long targetParameters = modelSize(target);
        Factors applied = factorsFor(targetParameters, models, all, gpuWide);
        KernelEfficiency fitted = scaled(start, applied, "calibrated: "
                + String.format(Locale.ROOT, "%.4f", applied.scale()) + " × (" + start.source() + ")"
                + (applied.attention() != 1 ? String.format(Locale.ROOT, ", attention × %.4f more", applied.attention())
                        : ""));
        List<Residual> residuals = new ArrayList<>();
        for (MeasuredRun run : runs) {
            long parameters = run.parameters();
            KernelEfficiency own = parameters == targetParameters ? fitted
                    : scaled(start, factorsFor(parameters, models, all, gpuWide), start.source());
            double predicted = StepTimeModel.step(run.run(), run.cluster(), own).totalSeconds();
            residuals.add(new Residual(run.measuredStepSeconds(), predicted, predicted / run.measuredStepSeconds() - 1,
                    parameters == targetParameters));
        }
        return new Calibration(fitted, applied.scale(), applied.attention(), gpuWide, sigma, List.copyOf(residuals));
    }

    /**
     * What tells models apart: the parameter count without a learned position table (whose length follows the
     * sequence the run was given, not the model).
     */
    static long modelSize(Architecture model) {
        return ParameterCounter.count(model).totalParameters() - ParameterCounter.positionEmbedding(model);
    }

    /** The share of the all-runs fit every model takes: max(0, 1 − σ² / (n · r̄²)) (1 when σ is 0). */
    static double gpuWideShare(double meanLogResidual, int models, double sigma) {
        if (sigma == 0) {
            return 1;
        }
        double squared = meanLogResidual * meanLogResidual * models;
        // a residual that is not a number (a step the model cannot price) tells nothing about the GPU
        return squared == 0 || !Double.isFinite(squared) ? 0 : Math.max(0, 1 - sigma * sigma / squared);
    }

    // log factors: g × the all-runs fit, and for a calibrated model its own fit
    private static Factors factorsFor(long parameters, List<ModelFit> models, Factors all, double gpuWide) {
        for (ModelFit model : models) {
            if (model.parameters() == parameters) {
                return model.factors();
            }
        }
        return new Factors(Math.exp(gpuWide * Math.log(all.scale())), Math.exp(gpuWide * Math.log(all.attention())));
    }

    // the mean of ln(predicted ÷ measured) with the starting shares
    private static double meanLogResidual(List<MeasuredRun> runs, KernelEfficiency start) {
        return runs.stream().mapToDouble((run) -> Math.log(StepTimeModel.step(run.run(), run.cluster(), start)
                .totalSeconds() / run.measuredStepSeconds())).average().orElse(0);
    }

    // the common factor, and with two runs or more on FlashAttention the attention factor with it
    private static Factors factors(List<MeasuredRun> runs, KernelEfficiency start) {
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
        return new Factors(scale, attention);
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

    private static KernelEfficiency scaled(KernelEfficiency start, Factors f, String source) {
        return scaled(start, f.scale(), f.attention(), source);
    }

    // the starting shares × scale (the attention share × attention more), each capped at 1
    static KernelEfficiency scaled(KernelEfficiency start, double scale, double attention, String source) {
        return new KernelEfficiency(Math.min(1, start.matmul() * scale), Math.min(1, start.attention() * scale * attention),
                Math.min(1, start.memoryBound() * scale), start.zero3Bandwidth(), start.overlap(), start.tensorOverlap(),
                start.parameterGatherOverlap(), start.gradientReductionOverlap(), start.expertOverlap(),
                start.pipelineOverlap(), start.gradientAccumulationFusion(), source);
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
