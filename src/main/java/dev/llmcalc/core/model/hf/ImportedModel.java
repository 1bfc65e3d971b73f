package dev.llmcalc.core.model.hf;

import java.util.List;

import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.unit.Exact;

/**
 * A Hugging Face config.json mapped to the core architecture.
 *
 * @param modelType the config's {@code model_type} (or the one inferred from {@code architectures}), as written
 * @param family the mapping rules applied (UNKNOWN for an unrecognised model_type read as a Llama-style decoder)
 * @param architecture the shape whose count equals the trainable parameters of the Hugging Face
 *        {@code *ForCausalLM} module built from this config
 * @param warnings fields that were ignored, defaulted or guessed, and parts of the checkpoint not counted
 * @param notes the family's quirks that were applied (biases, norms, tying), each with its source
 * @param otherModules modules the checkpoint holds besides the language model (a vision tower), counted exactly
 *        but not part of the architecture's count
 * @param approximate the count leaves out or guesses parts of the model (only with an approximate import; the
 *        warnings starting "Not modelled" say which)
 */
public record ImportedModel(String modelType, ModelFamily family, Architecture architecture, List<String> warnings,
        List<String> notes, List<ModuleCount> otherModules, boolean approximate) {

    public ImportedModel {
        warnings = List.copyOf(warnings);
        notes = List.copyOf(notes);
        otherModules = List.copyOf(otherModules);
    }

    /** The whole checkpoint: the language model's parameters and the other modules'. */
    public long checkpointParameters(long languageModelParameters) {
        return Exact.add("checkpointParameters", languageModelParameters, otherModulesParameters());
    }

    /** Parameters of {@link #otherModules()} together. */
    public long otherModulesParameters() {
        return this.otherModules.stream().mapToLong(ModuleCount::parameters).reduce(0, Math::addExact);
    }
}
