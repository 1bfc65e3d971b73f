package dev.llmcalc.api.models;

import java.util.List;

import dev.llmcalc.api.ArchitectureSpec;
import dev.llmcalc.core.model.ModelPreset;
import dev.llmcalc.core.model.ModelPresets;
import dev.llmcalc.core.model.hf.ImportedModel;
import dev.llmcalc.core.model.hf.ModelFamily;
import dev.llmcalc.core.model.hf.ModuleCount;
import dev.llmcalc.core.params.ParameterBreakdown;
import dev.llmcalc.core.params.ParameterCount;
import dev.llmcalc.core.params.ParameterCounter;
import io.swagger.v3.oas.annotations.media.Schema;

/** Answer of {@code POST /api/v1/models/import}. */
@Schema(description = "A config.json read as a core architecture, with its exact count")
public record ImportResponse(
        @Schema(description = "the config's model_type (or the one guessed from architectures)", example = "llama") String modelType,
        @Schema(description = "the mapping rules applied; UNKNOWN means read as a Llama-style decoder") ModelFamily family,
        @Schema(description = "the transformers modeling file whose module structure was counted") String countedAs,
        @Schema(description = "the shape, usable as model.architecture") ArchitectureSpec architecture,
        @Schema(description = "unique trainable parameters of the Hugging Face *ForCausalLM module") long totalParameters,
        @Schema(description = "parameters one token passes through (MoE: k of E routed experts + shared)") long activeParametersPerToken,
        @Schema(description = "total minus token embedding, position table and untied LM head") long nonEmbeddingParameters,
        @Schema(description = "parameters inside routed experts") long expertParameters,
        ParameterBreakdown breakdown,
        @Schema(description = "true when the count leaves out or guesses parts of the model (accepted with "
                + "approximate=true; the warnings starting 'Not modelled' name them)") boolean approximate,
        @Schema(description = "modules the checkpoint holds besides the counted language model (Llama 4's vision "
                + "tower and projector), each counted exactly") List<ModuleCount> otherModules,
        @Schema(description = "totalParameters + otherModules: every parameter of the checkpoint's model") long checkpointParameters,
        @Schema(description = "catalog presets with exactly this shape") List<String> matchingPresets,
        @Schema(description = "fields ignored, defaulted or guessed, and parts of the checkpoint not counted") List<String> warnings,
        @Schema(description = "the family's quirks applied, with the modeling file they come from") List<String> notes) {

    static ImportResponse of(ImportedModel imported) {
        ParameterCount count = ParameterCounter.count(imported.architecture());
        List<String> presets = ModelPresets.withArchitecture(imported.architecture()).stream().map(ModelPreset::id)
                .toList();
        return new ImportResponse(imported.modelType(), imported.family(), imported.family().modelingFile(),
                ArchitectureSpec.from(imported.architecture()), count.totalParameters(),
                count.activeParametersPerToken(), count.nonEmbeddingParameters(), count.expertParameters(),
                count.breakdown(), imported.approximate(), imported.otherModules(),
                imported.checkpointParameters(count.totalParameters()), presets,
                imported.warnings(), imported.notes());
    }
}
