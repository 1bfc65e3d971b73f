package dev.llmcalc.api.memory;

import dev.llmcalc.api.ActivationsSpec;
import dev.llmcalc.api.BatchSpec;
import dev.llmcalc.api.ModelSpec;
import dev.llmcalc.api.ParallelismSpec;
import dev.llmcalc.api.TrainingSpec;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/** Body of {@code POST /api/v1/memory/activations}. */
public record ActivationsRequest(
        @NotNull @Valid ModelSpec model,
        @Valid BatchSpec batch,
        @Valid ActivationsSpec activations,
        @Valid ParallelismSpec parallelism,
        @Schema(description = "optional; its precision sets the activation dtype (2 bytes mixed, 4 bytes FP32); "
                + "with method LORA or QLORA each adapted matrix also keeps its r-wide intermediate")
        @Valid TrainingSpec training) {
}
