package dev.llmcalc.core.model.hf;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Published config.json files under {@code src/test/resources/hf-configs/}, parsed the way the API parses them. */
public final class HfConfigs {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private HfConfigs() {
    }

    /** hf-configs/{name}.json as nested maps, lists and scalars. */
    public static Map<String, Object> load(String name) {
        try (InputStream in = HfConfigs.class.getResourceAsStream("/hf-configs/" + name + ".json")) {
            if (in == null) {
                throw new IllegalArgumentException("no hf-configs/" + name + ".json");
            }
            return JSON.readValue(in, new TypeReference<LinkedHashMap<String, Object>>() {
            });
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** The file's text, for request bodies. */
    public static String text(String name) {
        try (InputStream in = HfConfigs.class.getResourceAsStream("/hf-configs/" + name + ".json")) {
            if (in == null) {
                throw new IllegalArgumentException("no hf-configs/" + name + ".json");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** A parsed JSON object from text (for configs written inline in a test). */
    public static Map<String, Object> parse(String json) {
        return JSON.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() {
        });
    }

    /** The map as JSON text. */
    public static String json(Map<String, ?> config) {
        return JSON.writeValueAsString(config);
    }
}
