package dev.llmcalc.core.model;

/**
 * A well-known model under the id people use for it.
 *
 * @param id lower-case, hyphenated id (e.g. {@code llama-2-7b})
 * @param name the published name
 * @param architecture its shape
 * @param publishedParameters the parameter count published for it (checked against our count in tests)
 * @param source where the shape and the count come from
 */
public record ModelPreset(String id, String name, Architecture architecture, long publishedParameters,
        String source) {
}
