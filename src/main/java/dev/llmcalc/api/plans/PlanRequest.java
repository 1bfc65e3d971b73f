package dev.llmcalc.api.plans;

import dev.llmcalc.api.ActivationsSpec;
import dev.llmcalc.api.AllowanceSpec;
import dev.llmcalc.api.BatchSpec;
import dev.llmcalc.api.EnergySpec;
import dev.llmcalc.api.KernelEfficiencySpec;
import dev.llmcalc.api.ModelSpec;
import dev.llmcalc.api.TrainingSpec;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

/** Body of {@code POST /api/v1/plans}. */
public record PlanRequest(
        @NotNull @Valid ModelSpec model,
        @Schema(description = "sequenceLength and globalBatchSize are required; microBatchSize is searched")
        @NotNull @Valid BatchSpec batch,
        @Schema(description = "precision and optimizer; zeroStage fixes the stage, omitted = try 0-3") @Valid TrainingSpec training,
        @Schema(description = "attention [FLASH]; recomputation fixes the mode, omitted = try all three")
        @Valid ActivationsSpec activations,
        @Schema(description = "the GPUs, all of which a plan uses; cluster.gpu as a list compares accelerators")
        @NotNull @Valid PlanClusterSpec cluster,
        @Valid ConstraintsSpec constraints,
        @Schema(description = "a single share of the dense peak for the GEMMs and the attention core, replacing the "
                + "GPU's fitted kernelEfficiency.matmul and .attention [omitted: the GPU's defaults]")
        @DecimalMin(value = "0", inclusive = false) @DecimalMax("1") Double efficiency,
        @Valid KernelEfficiencySpec kernelEfficiency,
        @Schema(description = "single-GPU search: runs you measured on this GPU (calibration.runs); the search uses "
                + "the shares fitted to them") @Valid CalibrationSpec calibration,
        @Schema(description = "[10] plans to return") @Positive @Max(1000) Integer limit,
        @Valid AllowanceSpec allowance,
        @Schema(description = "comparison only (required there): tokens the whole run trains on",
                example = "2000000000000") @Positive Long tokens,
        @Schema(description = "comparison only: name the cheapest option that trains on tokens within this many days")
        @Positive @DecimalMax("1e6") Double maxTrainingDays,
        @Schema(description = "comparison only: utilization [1], pue [1] and gridKgCo2PerKwh (no default) for each "
                + "option's energy") @Valid EnergySpec energy) {

    /** The fields of a single-GPU search, before comparisons existed. */
    public PlanRequest(ModelSpec model, BatchSpec batch, TrainingSpec training, ActivationsSpec activations,
            PlanClusterSpec cluster, ConstraintsSpec constraints, Double efficiency, Integer limit,
            AllowanceSpec allowance) {
        this(model, batch, training, activations, cluster, constraints, efficiency, null, null, limit, allowance, null,
                null, null);
    }
}
