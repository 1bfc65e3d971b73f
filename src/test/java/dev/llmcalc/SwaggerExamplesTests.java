package dev.llmcalc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Swagger UI's "Try it out" on every POST operation of the served spec: the body it starts from (the operation's
 * first named example, else its example, else the schema's example, else one built from the properties' examples
 * the way Swagger UI builds it) answers 200, and so does every other named example.
 */
@SpringBootTest
@AutoConfigureMockMvc
class SwaggerExamplesTests {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** A figure of some defaults, from the README's examples: the examples are the requests they claim to be. */
    private static final Map<String, Map<String, Object>> EXPECTED = Map.of(
            "/api/v1/parameters preset", Map.of("$.totalParameters", 6_738_415_616L),
            "/api/v1/parameters architecture", Map.of("$.totalParameters", 6_738_415_616L),
            "/api/v1/parameters moe", Map.of("$.activeParametersPerToken", 12_879_925_248L),
            "/api/v1/parameters configJson", Map.of("$.totalParameters", 494_032_768),
            "/api/v1/models/import configJson", Map.of("$.totalParameters", 494_032_768),
            "/api/v1/memory/inference preset", Map.of("$.weightsBytes", 3_369_207_808L),
            "/api/v1/memory/training clusterOnly", Map.of("$.parallelism.data", 64),
            "/api/v1/communication lora", Map.of("$.gpusPerNode", 8));

    @Autowired
    private MockMvcTester mvc;

    private JsonNode spec;

    @BeforeEach
    void readSpec() {
        MvcTestResult result = this.mvc.get().uri("/v3/api-docs").exchange();
        assertThat(result).hasStatusOk();
        this.spec = JSON.readTree(result.getResponse().getContentAsByteArray());
    }

    @Test
    void everyPostOperationShouldCarryNamedExamples() {
        List<String> without = new ArrayList<>();
        this.spec.get("paths").properties().forEach((path) -> {
            JsonNode post = path.getValue().get("post");
            if (post != null && !requestBody(post).has("examples")) {
                without.add(path.getKey());
            }
        });
        assertThat(without).as("POST operations whose Swagger UI body is built from property defaults").isEmpty();
        assertThat(posts()).hasSize(14);
    }

    @TestFactory
    Stream<DynamicTest> swaggerUisDefaultBodyShouldAnswer200() {
        return posts().stream().map((path) -> DynamicTest.dynamicTest(path, () -> {
            JsonNode body = defaultBody(requestBody(this.spec.get("paths").get(path).get("post")));
            assertOk(path, firstExampleName(path), body);
        }));
    }

    @TestFactory
    Stream<DynamicTest> everyNamedExampleShouldAnswer200() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String path : posts()) {
            JsonNode examples = requestBody(this.spec.get("paths").get(path).get("post")).path("examples");
            for (String name : examples.propertyNames()) {
                tests.add(DynamicTest.dynamicTest(path + " " + name,
                        () -> assertOk(path, name, examples.get(name).get("value"))));
            }
        }
        assertThat(tests).hasSizeGreaterThanOrEqualTo(30);
        return tests.stream();
    }

    @Test
    void bodyBuiltFromPropertiesShouldFollowSwaggerUi() {
        // without any example: properties' examples, the first oneOf branch, 0 / "string" / true / the first enum value
        JsonNode schema = JSON.readTree("""
                {"type": "object", "properties": {
                  "gpu": {"$ref": "#/components/schemas/GpuChoice"},
                  "count": {"type": "integer", "example": 64},
                  "ratio": {"type": ["number", "null"]},
                  "name": {"type": "string"},
                  "on": {"type": "boolean"},
                  "kind": {"type": "string", "enum": ["A", "B"]},
                  "list": {"type": "array", "items": {"type": "integer", "default": 3}}}}""");
        assertThat(sample(schema)).isEqualTo(JSON.readTree("""
                {"gpu": "h100-sxm-80gb", "count": 64, "ratio": 0, "name": "string", "on": true, "kind": "A",
                 "list": [3]}"""));
    }

    private void assertOk(String path, String name, JsonNode body) {
        MvcTestResult result = this.mvc.post().uri(path).contentType(MediaType.APPLICATION_JSON)
                .content(JSON.writeValueAsString(body)).exchange();
        assertThat(result.getResponse().getStatus()).as("%s example '%s' answered %s", path, name,
                new String(result.getResponse().getContentAsByteArray(), StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(result).contentType().isCompatibleWith(MediaType.APPLICATION_JSON);
        EXPECTED.getOrDefault(path + " " + name, Map.of())
                .forEach((jsonPath, value) -> assertThat(result).bodyJson().extractingPath(jsonPath).isEqualTo(value));
    }

    private List<String> posts() {
        return this.spec.get("paths").propertyNames().stream()
                .filter((path) -> this.spec.get("paths").get(path).has("post")).toList();
    }

    private static JsonNode requestBody(JsonNode post) {
        return post.get("requestBody").get("content").get("application/json");
    }

    private String firstExampleName(String path) {
        JsonNode examples = requestBody(this.spec.get("paths").get(path).get("post")).path("examples");
        return examples.propertyNames().stream().findFirst().orElse("(built)");
    }

    /** What Swagger UI puts in the editor: the first named example, the media example, or a sample of the schema. */
    private JsonNode defaultBody(JsonNode media) {
        if (media.has("examples")) {
            return media.get("examples").values().iterator().next().get("value");
        }
        if (media.has("example")) {
            return media.get("example");
        }
        return sample(media.get("schema"));
    }

    /** Swagger UI's sample of a schema (its sampleFromSchema, for the keywords this spec uses). */
    private JsonNode sample(JsonNode schema) {
        if (schema.has("example")) {
            return schema.get("example");
        }
        if (schema.has("$ref")) {
            String name = schema.get("$ref").asString().substring("#/components/schemas/".length());
            return sample(this.spec.get("components").get("schemas").get(name));
        }
        if (schema.has("default")) {
            return schema.get("default");
        }
        if (schema.has("enum")) {
            return schema.get("enum").get(0);
        }
        for (String branch : List.of("oneOf", "anyOf")) {
            if (schema.has(branch)) {
                return sample(schema.get(branch).get(0));
            }
        }
        JsonNode type = schema.path("type");
        String first = type.isArray() ? type.get(0).asString() : type.asString("object");
        return switch (first) {
            case "integer", "number" -> NODES.numberNode(0);
            case "string" -> NODES.stringNode("string");
            case "boolean" -> NODES.booleanNode(true);
            case "array" -> {
                ArrayNode array = NODES.arrayNode();
                yield array.add(sample(schema.path("items")));
            }
            default -> {
                ObjectNode object = NODES.objectNode();
                schema.path("properties").properties().forEach((p) -> {
                    if (!p.getValue().path("readOnly").asBoolean(false)) {
                        object.set(p.getKey(), sample(p.getValue()));
                    }
                });
                if (object.isEmpty() && schema.has("additionalProperties")
                        && schema.get("additionalProperties").isObject()) {
                    object.set("additionalProp1", sample(schema.get("additionalProperties")));
                }
                yield object;
            }
        };
    }
}
