package dev.llmcalc.api.models;

import dev.llmcalc.api.ArchitectureSpec;
import dev.llmcalc.core.model.ModelPreset;
import dev.llmcalc.core.params.ParameterBreakdown;
import dev.llmcalc.core.params.ParameterCount;
import dev.llmcalc.core.params.ParameterCounter;
import io.swagger.v3.oas.annotations.media.Schema;

/** Answer of {@code GET /api/v1/models/{id}}. */
@Schema(description = "A catalog model: its shape, exact count and the count's source")
public record ModelDetail(
        @Schema(description = "preset id, usable as model.preset", example = "llama-2-7b") String id,
        @Schema(description = "published name") String name,
        @Schema(description = "the config.json and the published count it is checked against") String source,
        @Schema(description = "the shape, every default written out") ArchitectureSpec architecture,
        @Schema(description = "unique trainable parameters of the Hugging Face *ForCausalLM module") long totalParameters,
        @Schema(description = "parameters one token passes through (MoE: k of E routed experts + shared)") long activeParametersPerToken,
        @Schema(description = "total minus token embedding, position table and untied LM head") long nonEmbeddingParameters,
        @Schema(description = "parameters inside routed experts") long expertParameters,
        ParameterBreakdown breakdown) {

    static ModelDetail of(ModelPreset preset) {
        ParameterCount count = ParameterCounter.count(preset.architecture());
        return new ModelDetail(preset.id(), preset.name(), preset.source(), ArchitectureSpec.from(preset.architecture()),
                count.totalParameters(), count.activeParametersPerToken(), count.nonEmbeddingParameters(),
                count.expertParameters(), count.breakdown());
    }
}
