package dev.llmcalc.api.plans;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

/** A step time the caller measured for the plan of the request, to fit the GPU's kernel shares to. */
@Schema(description = "fit the kernel shares to a step time measured for this very plan: one factor scales the "
        + "GPU's (or the request's) shares, each capped at 1, so the step time matches; the answer's calibration "
        + "block gives the fitted shares to send again as kernelEfficiency")
public record CalibrationSpec(
        @Schema(description = "seconds one optimizer step of this plan took on your cluster", example = "3.53")
        @NotNull @Positive Double measuredStepSeconds) {
}
