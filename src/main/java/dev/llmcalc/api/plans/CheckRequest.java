package dev.llmcalc.api.plans;

import dev.llmcalc.api.ActivationsSpec;
import dev.llmcalc.api.AllowanceSpec;
import dev.llmcalc.api.BatchSpec;
import dev.llmcalc.api.ClusterSpec;
import dev.llmcalc.api.EnergySpec;
import dev.llmcalc.api.KernelEfficiencySpec;
import dev.llmcalc.api.ModelSpec;
import dev.llmcalc.api.ParallelismSpec;
import dev.llmcalc.api.TrainingSpec;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;

/** Body of {@code POST /api/v1/checks} and the plan file of the {@code check} command. */
public record CheckRequest(
        @NotNull @Valid ModelSpec model,
        @Schema(description = "sequenceLength and globalBatchSize are required") @NotNull @Valid BatchSpec batch,
        @Valid TrainingSpec training,
        @Valid ActivationsSpec activations,
        @Valid ParallelismSpec parallelism,
        @Schema(description = "the GPUs; gpuCount [the layout's data × tensor × pipeline × context]; without "
                + "parallelism.data, data-parallel ranks fill gpuCount") @NotNull @Valid ClusterSpec cluster,
        @Valid AllowanceSpec allowance,
        @Schema(description = "a single share of the dense peak for the GEMMs and the attention core, replacing the "
                + "GPU's fitted kernelEfficiency.matmul and .attention [omitted: the GPU's defaults]")
        @DecimalMin(value = "0", inclusive = false) @DecimalMax("1") Double efficiency,
        @Valid KernelEfficiencySpec kernelEfficiency,
        @Valid CalibrationSpec calibration,
        @Valid RequirementsSpec requirements,
        @Schema(description = "utilization [1], pue [1] and gridKgCo2PerKwh (no default) for the estimate's energy, "
                + "answered when requirements.tokens gives the run's length") @Valid EnergySpec energy) {
}
