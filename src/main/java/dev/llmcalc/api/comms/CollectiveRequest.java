package dev.llmcalc.api.comms;

import dev.llmcalc.core.comms.Algorithm;
import dev.llmcalc.core.comms.Collective;
import dev.llmcalc.core.comms.Collectives;
import dev.llmcalc.core.comms.Network;
import dev.llmcalc.core.hardware.GpuPresets;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;

/** Body of {@code POST /api/v1/collectives}; defaults in brackets. */
public record CollectiveRequest(
        @Schema(description = "the primitive; SEND_RECV is the point-to-point send that pipeline boundaries and ring "
                + "attention use", example = "ALL_REDUCE") @NotNull Collective collective,
        @Schema(description = "n, ranks taking part", example = "8") @NotNull @Positive @Max(Collectives.MAX_RANKS) Integer ranks,
        @Schema(description = "S, bytes: the full buffer (NCCL's convention: the all-reduce buffer, all-gather's output, "
                + "reduce-scatter's input, the root's buffer, each rank's all-to-all send buffer)", example = "1073741824")
        @NotNull @PositiveOrZero Long messageBytes,
        @Schema(description = "[450e9, H100 SXM NVLink] β, bytes/s per rank per direction", example = "450e9")
        @Positive @DecimalMax("1e16") Double bandwidth,
        @Schema(description = "[3.4e-6, NCCL's per-step ring latency over NVLink] α, seconds per step", example = "3.4e-6")
        @PositiveOrZero @DecimalMax("1") Double latencySeconds,
        @Schema(description = "[RING] RING, or TREE (NCCL's double binary tree; ALL_REDUCE and BROADCAST only)")
        Algorithm algorithm) {

    static final String DEFAULT_GPU = "h100-sxm-80gb";

    double bandwidthOrDefault() {
        return this.bandwidth != null ? this.bandwidth
                : GpuPresets.find(DEFAULT_GPU).orElseThrow().intraNodeBandwidth();
    }

    double latencyOrDefault() {
        return this.latencySeconds != null ? this.latencySeconds : Network.DEFAULT_INTRA_NODE_LATENCY;
    }

    Algorithm algorithmOrDefault() {
        return this.algorithm != null ? this.algorithm : Algorithm.RING;
    }
}
