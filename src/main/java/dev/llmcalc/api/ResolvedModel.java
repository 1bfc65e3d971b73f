package dev.llmcalc.api;

import dev.llmcalc.core.model.Architecture;

/**
 * A request's model after resolution.
 *
 * @param source the preset id, or "architecture"
 * @param architecture its shape with every default applied
 */
public record ResolvedModel(String source, Architecture architecture) {
}
