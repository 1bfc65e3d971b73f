package dev.llmcalc.api;

import com.fasterxml.jackson.annotation.JsonCreator;

import dev.llmcalc.core.hardware.GpuPresets;
import dev.llmcalc.core.hardware.GpuSpec;
import dev.llmcalc.core.unit.InvalidInputException;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/**
 * {@code cluster.gpu}: a preset id (a JSON string), or a GPU described by its figures (a JSON object).
 * The object may also name a preset as {@code {"preset": "..."}}, the way {@code model} does.
 */
@Schema(description = "A preset id such as \"h100-sxm-80gb\", or an object describing the GPU")
public record GpuChoice(
        @Schema(description = "catalog id, case-insensitive", example = "h100-sxm-80gb") @Size(min = 1, max = 100) String preset,
        @Schema(description = "device memory, bytes (an \"80 GB\" HBM GPU has 80·2^30)") @Positive Long memoryBytes,
        @Schema(description = "dense (no sparsity) BF16 peak, FLOP/s", example = "989e12")
        @Positive @DecimalMax("1e21") Double peakFlops,
        @Schema(description = "bytes/s per GPU per direction to GPUs in its node", example = "450e9")
        @Positive @DecimalMax("1e16") Double intraNodeBandwidth,
        @Schema(description = "bytes/s per GPU per direction to other nodes", example = "50e9")
        @Positive @DecimalMax("1e16") Double interNodeBandwidth) {

    private static final int SUGGESTIONS = 3;

    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    public GpuChoice {
    }

    /** The string form: a preset id. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static GpuChoice ofPreset(String preset) {
        return new GpuChoice(preset, null, null, null, null);
    }

    /**
     * @param field where it sits in the request (e.g. "cluster.gpu"), for error messages
     */
    public GpuSpec toCore(String field) {
        boolean described = this.memoryBytes != null || this.peakFlops != null || this.intraNodeBandwidth != null
                || this.interNodeBandwidth != null;
        if (this.preset != null) {
            if (described) {
                throw new BadRequestException(field, "must be a preset id or a described GPU, not both");
            }
            return GpuPresets.find(this.preset).orElseThrow(() -> new UnknownPresetException(field, this.preset,
                    GpuPresets.closestIds(this.preset, SUGGESTIONS)));
        }
        requirePresent(this.memoryBytes, field + ".memoryBytes");
        requirePresent(this.peakFlops, field + ".peakFlops");
        requirePresent(this.intraNodeBandwidth, field + ".intraNodeBandwidth");
        requirePresent(this.interNodeBandwidth, field + ".interNodeBandwidth");
        try {
            return GpuSpec.custom(this.memoryBytes, this.peakFlops, this.intraNodeBandwidth, this.interNodeBandwidth);
        }
        catch (InvalidInputException ex) {
            throw ex.under(field + ".");
        }
    }

    private static void requirePresent(Object value, String field) {
        if (value == null) {
            throw new BadRequestException(field, "is required for a described GPU (or give a preset id instead)");
        }
    }
}
