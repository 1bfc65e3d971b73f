package dev.llmcalc.api.parameters;

import dev.llmcalc.api.ModelSpec;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/** Body of {@code POST /api/v1/parameters}. */
public record ParametersRequest(@NotNull @Valid ModelSpec model) {
}
