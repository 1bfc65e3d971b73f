package dev.llmcalc.api.memory;

import dev.llmcalc.api.AllowanceSpec;
import dev.llmcalc.api.ActivationsSpec;
import dev.llmcalc.api.BatchSpec;
import dev.llmcalc.api.ClusterSpec;
import dev.llmcalc.api.ModelSpec;
import dev.llmcalc.api.ParallelismSpec;
import dev.llmcalc.api.TrainingSpec;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/** Body of {@code POST /api/v1/memory/training}. */
public record TrainingMemoryRequest(
        @NotNull @Valid ModelSpec model,
        @Valid BatchSpec batch,
        @Valid TrainingSpec training,
        @Valid ActivationsSpec activations,
        @Valid ParallelismSpec parallelism,
        @Schema(description = "optional: with a GPU the answer says whether it fits, the headroom, and the largest "
                + "micro-batch and sequence that fit") @Valid ClusterSpec cluster,
        @Valid AllowanceSpec allowance) {
}
