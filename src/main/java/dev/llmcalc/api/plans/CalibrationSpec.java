package dev.llmcalc.api.plans;

import java.util.List;

import dev.llmcalc.api.ActivationsSpec;
import dev.llmcalc.api.BatchSpec;
import dev.llmcalc.api.ClusterSpec;
import dev.llmcalc.api.ModelSpec;
import dev.llmcalc.api.ParallelismSpec;
import dev.llmcalc.api.TrainingSpec;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/**
 * Step times the caller measured, to fit the GPU's kernel shares to: for the plan of the request ({@code /checks}), for
 * other runs on the same GPU, or both.
 */
@Schema(description = "fit the kernel shares to step times you measured: one factor scales the GPU's (or the "
        + "request's) shares, each capped at 1, to the least mean relative error over the measured runs of each model "
        + "(a second on the attention share with two runs or more), which prices that model; every other model takes "
        + "the all-runs fit in the share the runs' mean log residual exceeds modelError (max(0, 1 - modelError^2 / (n * mean^2)) over n calibrated "
        + "models); the answer's calibration block gives the fitted shares for the request's model (send them again "
        + "as kernelEfficiency: the service keeps no state) and each run's residual")
public record CalibrationSpec(
        @Schema(description = "/checks only: seconds one optimizer step of this very plan took on your cluster",
                example = "3.53") @Positive Double measuredStepSeconds,
        @Schema(description = "other runs you measured on the same GPU, each a plan as /checks takes it with its "
                + "measured step seconds or model TFLOP/s per GPU") @Size(max = 16) List<@Valid @NotNull Run> runs,
        @Schema(description = "the model's own log step-time error a residual is weighed against before it is "
                + "taken as your cluster's (applied to every model) rather than this workload's [0.08: the RMS error "
                + "of the held-out measured runs, 8.4-8.8 %]; 0 applies the whole fit to every model without runs of its own", example = "0.08")
        @DecimalMin("0") @DecimalMax("1") Double modelError) {

    public CalibrationSpec(Double measuredStepSeconds) {
        this(measuredStepSeconds, null, null);
    }

    /** One measured run: a plan (the model defaults to the request's) and what it measured. */
    @Schema(name = "CalibrationRun", description = "a measured run: model [the request's], batch (sequenceLength, "
            + "globalBatchSize, microBatchSize), training, activations, parallelism, cluster (the request's GPU), and "
            + "measuredStepSeconds or measuredTflopsPerGpu")
    public record Run(@Valid ModelSpec model, @NotNull @Valid BatchSpec batch, @Valid TrainingSpec training,
            @Valid ActivationsSpec activations, @Valid ParallelismSpec parallelism, @NotNull @Valid ClusterSpec cluster,
            @Schema(description = "seconds one optimizer step took", example = "3.53") @Positive Double measuredStepSeconds,
            @Schema(description = "model TFLOP/s per GPU as /checks counts MFU (model FLOPs per step, attention whole, "
                    + "no recomputation) ÷ (step seconds × GPUs)", example = "137") @Positive Double measuredTflopsPerGpu) {
    }
}
