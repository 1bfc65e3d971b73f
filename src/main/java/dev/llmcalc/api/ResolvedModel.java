package dev.llmcalc.api;

import java.util.List;

import dev.llmcalc.core.model.Architecture;

/**
 * A request's model after resolution.
 *
 * @param source the preset id, "architecture" or "huggingFaceConfig"
 * @param architecture its shape with every default applied
 * @param warnings what reading a config.json ignored, defaulted or guessed (empty for the other forms)
 */
public record ResolvedModel(String source, Architecture architecture, List<String> warnings) {

    public ResolvedModel {
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    public ResolvedModel(String source, Architecture architecture) {
        this(source, architecture, List.of());
    }
}
