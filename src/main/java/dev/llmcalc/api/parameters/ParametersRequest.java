package dev.llmcalc.api.parameters;

import dev.llmcalc.api.ModelSpec;
import dev.llmcalc.api.TrainingSpec;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/** Body of {@code POST /api/v1/parameters}. */
public record ParametersRequest(@NotNull @Valid ModelSpec model,
        @Schema(description = "optional: with a method (FULL, LORA, QLORA) the answer adds trainable and frozen "
                + "parameters; only method and lora are read") @Valid TrainingSpec training) {
}
