package dev.llmcalc.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;

import io.swagger.v3.core.util.Json;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;

/**
 * The named request examples of every POST operation ({@code openapi/request-examples.json} on the classpath): a
 * preset, an architecture, a config.json, a LoRA run, an MoE run, as fits each endpoint. Swagger UI's "Try it out"
 * starts from the first (by name), so each must answer 200 as it is; {@code SwaggerExamplesTests} posts them all.
 * The first is also the example of the operation's request schema, for clients that read schemas only.
 */
final class RequestExamples {

    static final String RESOURCE = "/openapi/request-examples.json";

    private RequestExamples() {
    }

    /** One example: a line for the drop-down and the body. */
    record NamedExample(String summary, Object value) {
    }

    static void addTo(OpenAPI openApi) {
        load().forEach((path, examples) -> {
            PathItem item = openApi.getPaths().get(path);
            if (item == null || item.getPost() == null || item.getPost().getRequestBody() == null) {
                throw new IllegalStateException(RESOURCE + " names " + path + ", which is not a POST operation");
            }
            MediaType json = item.getPost().getRequestBody().getContent()
                    .get(org.springframework.http.MediaType.APPLICATION_JSON_VALUE);
            examples.forEach((name, example) -> json.addExamples(name,
                    new Example().summary(example.summary()).value(example.value())));
            NamedExample first = examples.get(examples.keySet().stream().sorted().findFirst().orElseThrow());
            Schema<?> schema = json.getSchema();
            if (schema.get$ref() != null) {
                schema = openApi.getComponents().getSchemas().get(schema.get$ref().substring(
                        "#/components/schemas/".length()));
            }
            schema.setExample(first.value());
        });
    }

    static Map<String, Map<String, NamedExample>> load() {
        try (InputStream in = RequestExamples.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            return Json.mapper().readValue(in, new TypeReference<LinkedHashMap<String, Map<String, NamedExample>>>() {
            });
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
