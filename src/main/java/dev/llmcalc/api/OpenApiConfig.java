package dev.llmcalc.api;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import dev.llmcalc.core.unit.DType;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.info.License;
import io.swagger.v3.oas.annotations.servers.Server;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MapSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.NumberSchema;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The served OpenAPI document. The server URL is pinned so the spec is the same on every port. It declares the API
 * public (one empty security requirement), documents a problem answer for every 4xx an operation can give, describes
 * {@code cluster.gpu} as a string id or an object ({@code oneOf}), and carries named request examples
 * ({@link RequestExamples}); {@code OpenApiClientTests} lints the checked-in file and compiles a client from it.
 */
@Configuration(proxyBeanMethods = false)
@OpenAPIDefinition(
        info = @Info(title = "llm-training-calculator", version = "v1",
                description = "Parameters, memory, communication and compute of decoder-only LLM training runs. "
                        + "Counts and bytes are exact integers; every estimate carries its assumptions and, where "
                        + "the source document has one, its formula (documentFormula).",
                license = @License(name = "Apache-2.0", identifier = "Apache-2.0")),
        servers = @Server(url = "/"))
class OpenApiConfig {

    private static final String PROBLEM = "Problem";

    private static final String IMPORT_PATH = "/api/v1/models/import";

    private static final String GPU_CHOICE = "GpuChoice";

    private static final String GPU_OBJECT = "GpuObject";

    private static final String PEAK_FLOPS = "PeakFlops";

    private static final String PEAK_FLOPS_BY_TYPE = "PeakFlopsByType";

    private static final String SCHEMAS = "#/components/schemas/";

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

    /** The API needs no credentials: one empty security requirement says so (OpenAPI 3.1 §4.8.30). */
    @Bean
    OpenApiCustomizer publicApi() {
        return (openApi) -> openApi.setSecurity(List.of(new SecurityRequirement()));
    }

    /** Every GET can answer 406 when the client accepts neither JSON nor problem+json. */
    @Bean
    OpenApiCustomizer notAcceptable() {
        return (openApi) -> openApi.getPaths().values().stream().filter((path) -> path.getGet() != null)
                .forEach((path) -> path.getGet().getResponses().addApiResponse("406", new ApiResponse()
                        .description("The Accept header allows neither application/json nor application/problem+json")
                        .content(new Content().addMediaType("application/problem+json",
                                new MediaType().schema(new Schema<>().$ref(SCHEMAS + PROBLEM))))));
    }

    /**
     * {@code cluster.gpu} is a string (a catalog id) or an object ({@link GpuChoice}'s record, read by its two
     * creators): the record alone would describe only the object, and a generated client could not send "h100-sxm-80gb".
     * {@code peakFlops} is a number or a map: {@code oneOf} too, which generators read (a list of types they do not).
     */
    @Bean
    OpenApiCustomizer gpuOneOfs() {
        return (openApi) -> {
            Map<String, Schema> schemas = openApi.getComponents().getSchemas();
            Schema<?> peaks = schemas.get(PEAK_FLOPS);
            Schema<Object> byType = new Schema<>().type("object").types(Set.of("object")).description("dense peak FLOP/s by data type (names "
                    + "case-insensitive); BF16 is required for a described GPU, and with 'base' each type given replaces "
                    + "the base's").example(Map.of("BF16", 9.89e14, "FP8", 1.979e15));
            for (DType type : DType.values()) {
                byType.addProperty(type.name(), new NumberSchema().exclusiveMinimumValue(BigDecimal.ZERO)
                        .maximum(BigDecimal.valueOf(GpuChoice.MAX_PEAK_FLOPS)));
            }
            schemas.put(PEAK_FLOPS_BY_TYPE, byType);
            schemas.put(PEAK_FLOPS, new Schema<>().description(peaks.getDescription()).oneOf(List.of(
                    new NumberSchema().description("the dense BF16 peak, FLOP/s").example(9.89e14),
                    new Schema<>().$ref(SCHEMAS + PEAK_FLOPS_BY_TYPE))));
            Schema<?> object = schemas.remove(GPU_CHOICE);
            object.setDescription("A GPU as an object: {\"preset\": id}; a described GPU (memoryBytes, peakFlops, "
                    + "intraNodeBandwidth, interNodeBandwidth, and optionally the catalog's other fields: a GET "
                    + "/api/v1/gpus/{id} answer is accepted as it is); or {\"base\": id, ...figures to override}");
            schemas.put(GPU_OBJECT, object);
            schemas.put(GPU_CHOICE, new Schema<>()
                    .description("A catalog id such as \"h100-sxm-80gb\" (GET /api/v1/gpus lists them), or an object")
                    .oneOf(List.of(new StringSchema().description("a catalog id, case-insensitive").minLength(1)
                            .maxLength(100).example("h100-sxm-80gb"), new Schema<>().$ref(SCHEMAS + GPU_OBJECT))));
            // a plan's cluster is one GPU or a list of offers to compare: two object schemas under anyOf, which
            // generators read (a composition with an array member they do not: OpenAPI Generator's Java client writes
            // List<X>.class)
            Schema<?> planCluster = schemas.get("PlanClusterSpec");
            if (planCluster != null && planCluster.getProperties() != null) {
                Map<String, Schema> properties = planCluster.getProperties();
                Schema<Object> single = new Schema<>().type("object").types(Set.of("object"))
                        .description("One GPU and its count, as on the other endpoints")
                        .addProperty("gpu", new Schema<>().$ref(SCHEMAS + GPU_CHOICE))
                        .addProperty("gpuCount", properties.get("gpuCount"))
                        .addProperty("gpusPerNode", properties.get("gpusPerNode"));
                single.setRequired(List.of("gpu"));
                Schema<Object> comparison = new Schema<>().type("object").types(Set.of("object"))
                        .description("GPUs to compare, each with its price and counts: the answer is a comparison")
                        .addProperty("gpu", new ArraySchema().items(new Schema<>().$ref(SCHEMAS + "GpuOffer"))
                                .minItems(1).description("the GPUs to compare"))
                        .addProperty("gpuCount", properties.get("gpuCount"))
                        .addProperty("gpuCounts", properties.get("gpuCounts"))
                        .addProperty("gpusPerNode", properties.get("gpusPerNode"));
                comparison.setRequired(List.of("gpu"));
                schemas.put("PlanClusterSingle", single);
                schemas.put("PlanClusterComparison", comparison);
                // anyOf: the two forms share gpuCount and gpusPerNode; gpu's type (one GPU or an array) tells them apart
                schemas.put("PlanClusterSpec", new Schema<>().description(planCluster.getDescription())
                        .anyOf(List.of(new Schema<>().$ref(SCHEMAS + "PlanClusterSingle"),
                                new Schema<>().$ref(SCHEMAS + "PlanClusterComparison"))));
            }
        };
    }

    @Bean
    OpenApiCustomizer requestExamples() {
        return RequestExamples::addTo;
    }
}
