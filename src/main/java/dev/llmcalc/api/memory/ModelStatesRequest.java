package dev.llmcalc.api.memory;

import dev.llmcalc.api.ModelSpec;
import dev.llmcalc.api.ParallelismSpec;
import dev.llmcalc.api.TrainingSpec;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Positive;

/** Body of {@code POST /api/v1/memory/model-states}: {@code model} or {@code parameters}, plus the run. */
public record ModelStatesRequest(
        @Schema(description = "the model (exactly one of model / parameters)") @Valid ModelSpec model,
        @Schema(description = "a raw parameter count Φ instead of a model", example = "7500000000") @Positive Long parameters,
        @Valid TrainingSpec training,
        @Valid ParallelismSpec parallelism) {
}
