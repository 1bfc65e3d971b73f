package dev.llmcalc.api.plans;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonCreator;

import dev.llmcalc.api.GpuChoice;
import dev.llmcalc.core.hardware.Vendor;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

/**
 * One entry of {@code cluster.gpu} as a list: a GPU in any form {@link GpuChoice} takes (an id string, or an object
 * with {@code preset}, {@code base} or the figures), plus what it costs and the GPU counts to try.
 */
@Schema(description = "A GPU to compare: an id, or an object with the fields of a cluster.gpu object plus "
        + "pricePerGpuHour and gpuCount or gpuCounts (else cluster.gpuCount / cluster.gpuCounts)")
public record GpuOffer(
        @Schema(description = "catalog id, case-insensitive", example = "h100-sxm-80gb") @Size(min = 1, max = 100) String preset,
        @Schema(description = "catalog id whose figures the other fields override") @Size(min = 1, max = 100) String base,
        @Schema(description = "descriptive only") @Size(max = 100) String id,
        @Schema(description = "descriptive only") @Size(max = 200) String name,
        @Schema(description = "descriptive only") Vendor vendor,
        @Schema(description = "device memory, bytes") @Positive Long memoryBytes,
        @Schema(description = "device memory in GiB (2^30 bytes)") @Positive @DecimalMax("1e9") Double memoryGiB,
        @Schema(description = "dense peak FLOP/s: one number (BF16) or a map by data type") GpuChoice.PeakFlops peakFlops,
        @Schema(description = "device-memory bandwidth, bytes/s") @Positive @DecimalMax("1e16") Double memoryBandwidth,
        @Schema(description = "bytes/s per GPU per direction to GPUs in its node") @Positive @DecimalMax("1e16") Double intraNodeBandwidth,
        @Schema(description = "bytes/s per GPU per direction to other nodes") @Positive @DecimalMax("1e16") Double interNodeBandwidth,
        @Schema(description = "bytes/s per GPU per direction to the host CPU") @Positive @DecimalMax("1e16") Double hostLinkBandwidth,
        @Schema(description = "rated board power (TDP), watts: the energy estimate's power") @Positive @Max(100_000) Integer boardPowerWatts,
        @Schema(description = "GPUs sharing the intra-node links") @Positive @Max(1_000_000) Integer gpusPerNode,
        @Schema(description = "CPU memory of a node, bytes (0 or absent: unknown)") @PositiveOrZero
        @Max(GpuChoice.MAX_HOST_MEMORY_BYTES) Long hostMemoryBytesPerNode,
        @Schema(description = "streaming multiprocessors (0 or absent: unknown)") @PositiveOrZero @Max(100_000)
        Integer multiprocessors,
        @Schema(description = "descriptive only") @Size(max = 1000) String source,
        @Schema(description = "price of one GPU-hour, any currency (the same for every entry); without it the entry "
                + "has no cost and cannot be the cheapest", example = "2.5") @Positive @DecimalMax("1e9") Double pricePerGpuHour,
        @Schema(description = "the one GPU count to try (or gpuCounts)", example = "128") @Positive Integer gpuCount,
        @Schema(description = "GPU counts to try, each a separate option", example = "[64, 128, 256]")
        @Size(min = 1, max = 64) List<@Positive Integer> gpuCounts) {

    @JsonCreator(mode = JsonCreator.Mode.PROPERTIES)
    public GpuOffer {
    }

    /** The string form: a preset id. */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static GpuOffer ofPreset(String preset) {
        return new GpuOffer(preset, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null);
    }

    /** The GPU itself, without price and counts. */
    GpuChoice choice() {
        return new GpuChoice(this.preset, this.base, this.id, this.name, this.vendor, this.memoryBytes, this.memoryGiB,
                this.peakFlops, this.memoryBandwidth, this.intraNodeBandwidth, this.interNodeBandwidth,
                this.hostLinkBandwidth, this.boardPowerWatts, this.gpusPerNode, this.hostMemoryBytesPerNode,
                this.multiprocessors, this.source);
    }
}
