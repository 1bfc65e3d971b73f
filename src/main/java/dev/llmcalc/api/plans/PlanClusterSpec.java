package dev.llmcalc.api.plans;

import java.util.List;

import dev.llmcalc.api.GpuChoice;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * The {@code cluster} of a plan search: one GPU (as on every endpoint) and its count, or a list of GPUs to compare,
 * each with its price and counts.
 */
@Schema(description = "The GPUs: one (an id or object, as on the other endpoints) with gpuCount; or a list of GPUs to "
        + "compare (ids or objects with pricePerGpuHour and gpuCount / gpuCounts)")
public record PlanClusterSpec(
        @Schema(description = "one GPU (a preset id or a cluster.gpu object) or a list of GPUs to compare; the list "
                + "form answers a comparison", oneOf = { GpuChoice.class, GpuOffer[].class })
        @NotNull @Valid @JsonDeserialize(using = PlanClusterSpec.GpuReader.class) Object gpu,
        @Schema(description = "GPUs in the run; in the list form, the count for entries without their own",
                example = "64") @Positive Integer gpuCount,
        @Schema(description = "list form only: GPU counts to try for entries without their own", example = "[64, 128, 256]")
        @Size(min = 1, max = 64) List<@Positive Integer> gpuCounts,
        @Schema(description = "[the GPU's gpusPerNode: 8 for most, 72 for an NVL72] GPUs per node") @Positive Integer gpusPerNode,
        @Schema(description = "[the GPU's usual node's] CPU memory of one node, bytes: plans that offload must fit "
                + "in it (single-GPU form)", example = "2199023255552") @Positive @Max(GpuChoice.MAX_HOST_MEMORY_BYTES)
        Long hostMemoryBytesPerNode) {

    /** Whether {@code gpu} was a list: the request asks for a comparison. */
    boolean compares() {
        return this.gpu instanceof List<?>;
    }

    /** The single GPU (not a list). */
    GpuChoice single() {
        return (GpuChoice) this.gpu;
    }

    /** The list's entries. */
    @SuppressWarnings("unchecked")
    List<GpuOffer> offers() {
        return (List<GpuOffer>) this.gpu;
    }

    /** A JSON array is read as a list of {@link GpuOffer}s, anything else as one {@link GpuChoice}. */
    static final class GpuReader extends ValueDeserializer<Object> {

        @Override
        public Object deserialize(JsonParser parser, DeserializationContext context) {
            if (parser.currentToken() == JsonToken.START_ARRAY) {
                return context.readValue(parser,
                        context.getTypeFactory().constructCollectionType(List.class, GpuOffer.class));
            }
            return context.readValue(parser, GpuChoice.class);
        }
    }
}
