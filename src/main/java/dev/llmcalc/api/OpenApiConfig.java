package dev.llmcalc.api;

import java.util.Map;
import java.util.TreeMap;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.info.License;
import io.swagger.v3.oas.annotations.servers.Server;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MapSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The served OpenAPI document. The server URL is pinned so the spec is the same on every port. */
@Configuration(proxyBeanMethods = false)
@OpenAPIDefinition(
        info = @Info(title = "llm-training-calculator", version = "v1",
                description = "Parameters, memory, communication and compute of decoder-only LLM training runs. "
                        + "Counts and bytes are exact integers; every estimate carries its assumptions and, where "
                        + "the source document has one, its formula (documentFormula).",
                license = @License(name = "Apache-2.0")),
        servers = @Server(url = "/"))
class OpenApiConfig {

    private static final String PROBLEM = "Problem";

    private static final String IMPORT_PATH = "/api/v1/models/import";

    private static final Map<String, String> PROBLEM_RESPONSES = new TreeMap<>(Map.of(
            "400", "Malformed JSON, a missing or out-of-range field (named in 'errors')",
            "404", "Unknown preset id (with the closest known ids)",
            "413", "Request body larger than llmcalc.limits.max-request-body (1 MiB by default)",
            "415", "Content-Type is not application/json",
            "422", "Valid field by field but impossible as a whole, or a result too large to count exactly"));

    /** Documents the RFC 9457 problem responses every calculation endpoint can give. */
    @Bean
    OpenApiCustomizer problemResponses() {
        return (openApi) -> {
            Schema<?> problem = new ObjectSchema()
                    .description("RFC 9457 problem details")
                    .addProperty("type", new StringSchema().description("problem type URI"))
                    .addProperty("title", new StringSchema())
                    .addProperty("status", new IntegerSchema())
                    .addProperty("detail", new StringSchema().description("what is wrong, naming the fields"))
                    .addProperty("instance", new StringSchema())
                    .addProperty("errors", new MapSchema().additionalProperties(new StringSchema())
                            .description("field path → message"));
            openApi.getComponents().addSchemas(PROBLEM, problem);
            Content content = new Content().addMediaType("application/problem+json",
                    new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM)));
            openApi.getPaths().forEach((url, path) -> {
                if (path.getPost() == null) {
                    return;
                }
                PROBLEM_RESPONSES.forEach((status, description) -> {
                    // an imported config.json names no preset, so the import cannot answer 404
                    if (!("404".equals(status) && url.equals(IMPORT_PATH))) {
                        path.getPost().getResponses()
                                .addApiResponse(status, new ApiResponse().description(description).content(content));
                    }
                });
            });
        };
    }
}
