package dev.llmcalc.api.parameters;

import java.util.List;

import dev.llmcalc.api.ArchitectureSpec;
import dev.llmcalc.api.FineTuningView;
import dev.llmcalc.api.FormulaView;
import dev.llmcalc.core.params.ParameterBreakdown;
import io.swagger.v3.oas.annotations.media.Schema;

/** Answer of {@code POST /api/v1/parameters}. */
public record ParametersResponse(
        @Schema(description = "the preset id, 'architecture' or 'huggingFaceConfig'") String model,
        @Schema(description = "the shape counted, every default written out") ArchitectureSpec architecture,
        @Schema(description = "unique trainable parameters, tied weights once") long totalParameters,
        @Schema(description = "parameters one token passes through (MoE: k of E routed experts + shared)") long activeParametersPerToken,
        @Schema(description = "total minus token embedding, position table and untied LM head") long nonEmbeddingParameters,
        @Schema(description = "parameters inside routed experts") long expertParameters,
        ParameterBreakdown breakdown,
        FormulaView documentFormula,
        List<String> assumptions,
        @Schema(description = "with huggingFaceConfig: config fields ignored, defaulted or guessed, and what is not "
                + "counted (omitted for the other forms)") List<String> warnings,
        @Schema(description = "with training: trainable adapter and frozen base parameters (omitted otherwise)")
        FineTuningView fineTuning) {
}
