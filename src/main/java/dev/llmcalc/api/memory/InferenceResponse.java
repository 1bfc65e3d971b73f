package dev.llmcalc.api.memory;

import java.util.List;

import dev.llmcalc.api.FormulaView;
import dev.llmcalc.core.memory.InferencePrecision;
import io.swagger.v3.oas.annotations.media.Schema;

/** Answer of {@code POST /api/v1/memory/inference}. */
public record InferenceResponse(
        @Schema(description = "the preset id, 'architecture' or 'parameters'") String model,
        @Schema(description = "Φ") long parameters,
        InferencePrecision weightPrecision,
        long weightsBytes,
        @Schema(description = "0 without a kvCache request") long kvCacheBytes,
        @Schema(description = "cache bytes one token of one sequence adds") long kvCacheBytesPerToken,
        long totalBytes,
        FormulaView documentFormula,
        List<String> assumptions) {
}
