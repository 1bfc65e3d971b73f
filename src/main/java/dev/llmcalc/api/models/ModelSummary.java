package dev.llmcalc.api.models;

import dev.llmcalc.core.model.ModelPreset;
import dev.llmcalc.core.params.ParameterCount;
import dev.llmcalc.core.params.ParameterCounter;
import io.swagger.v3.oas.annotations.media.Schema;

/** One entry of {@code GET /api/v1/models}. */
@Schema(description = "A catalog model with its exact count")
public record ModelSummary(
        @Schema(description = "preset id, usable as model.preset", example = "llama-2-7b") String id,
        @Schema(description = "published name", example = "Llama-2-7B") String name,
        @Schema(description = "unique trainable parameters of the Hugging Face *ForCausalLM module") long totalParameters,
        @Schema(description = "parameters one token passes through (MoE: k of E routed experts + shared)") long activeParametersPerToken,
        @Schema(description = "the config.json and the published count it is checked against") String source) {

    static ModelSummary of(ModelPreset preset) {
        ParameterCount count = ParameterCounter.count(preset.architecture());
        return new ModelSummary(preset.id(), preset.name(), count.totalParameters(), count.activeParametersPerToken(),
                preset.source());
    }
}
