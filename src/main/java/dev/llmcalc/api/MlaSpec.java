package dev.llmcalc.api;

import dev.llmcalc.core.model.MlaConfig;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;

/** DeepSeek multi-head latent attention. */
@Schema(description = "DeepSeek multi-head latent attention (DeepSeek-V2 §2.1)")
public record MlaSpec(
        @Schema(description = "query compression rank; null or 0 = uncompressed queries", example = "1536") @PositiveOrZero Integer qLoraRank,
        @Schema(description = "joint key/value compression rank", example = "512") @NotNull @Positive Integer kvLoraRank,
        @Schema(description = "per-head query/key width without rotary", example = "128") @NotNull @Positive Integer qkNopeHeadDim,
        @Schema(description = "per-head decoupled rotary width", example = "64") @NotNull @PositiveOrZero Integer qkRopeHeadDim,
        @Schema(description = "per-head value width", example = "128") @NotNull @Positive Integer vHeadDim) {

    MlaConfig toCore() {
        return new MlaConfig(this.qLoraRank != null ? this.qLoraRank : 0, this.kvLoraRank, this.qkNopeHeadDim,
                this.qkRopeHeadDim, this.vHeadDim);
    }

    static MlaSpec from(MlaConfig m) {
        return new MlaSpec(m.qLoraRank(), m.kvLoraRank(), m.qkNopeHeadDim(), m.qkRopeHeadDim(), m.vHeadDim());
    }
}
