package dev.llmcalc.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The public worked examples of {@code shared/reference/cases.json}, copied to
 * {@code src/test/resources/reference/cases.json} (CI sees {@code shared/} read-only).
 */
public final class ReferenceCases {

    private static final JsonNode ROOT = load();

    private ReferenceCases() {
    }

    public static JsonNode root() {
        return ROOT;
    }

    /** The entry named {@code name} in the array {@code section}. */
    public static JsonNode named(String section, String name) {
        for (JsonNode entry : ROOT.get(section)) {
            if (entry.get("name").asString().equals(name)) {
                return entry;
            }
        }
        throw new IllegalArgumentException("no case '" + name + "' in " + section);
    }

    private static JsonNode load() {
        try (InputStream in = ReferenceCases.class.getResourceAsStream("/reference/cases.json")) {
            return JsonMapper.builder().build().readTree(in);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
