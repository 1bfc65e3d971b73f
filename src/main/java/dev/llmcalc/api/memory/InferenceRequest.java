package dev.llmcalc.api.memory;

import dev.llmcalc.api.ModelSpec;
import dev.llmcalc.core.memory.InferencePrecision;
import dev.llmcalc.core.unit.DType;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

/** Body of {@code POST /api/v1/memory/inference}. */
public record InferenceRequest(
        @Schema(description = "the model (exactly one of model / parameters)") @Valid ModelSpec model,
        @Schema(description = "a raw parameter count Φ instead of a model (no KV cache then)") @Positive Long parameters,
        @Schema(description = "weight format", example = "BF16") @NotNull InferencePrecision weightPrecision,
        @Schema(description = "optional key/value cache to size (needs a model)") @Valid KvCacheSpec kvCache) {

    /** The key/value cache to size. */
    public record KvCacheSpec(
            @Schema(description = "sequences served at once", example = "8") @NotNull @Positive Long batchSize,
            @Schema(description = "tokens per sequence", example = "4096") @NotNull @Positive Long sequenceLength,
            @Schema(description = "[BF16] cache element format") DType precision) {
    }
}
