package dev.llmcalc.api;

import dev.llmcalc.core.model.MoeConfig;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;

/** Mixture-of-experts FFNs (token-choice top-k). */
@Schema(description = "Mixture-of-experts FFNs (token-choice top-k routing)")
public record MoeSpec(
        @Schema(description = "E, routed experts per MoE layer", example = "8") @NotNull @Positive Integer numExperts,
        @Schema(description = "k, experts per token", example = "2") @NotNull @Positive Integer numExpertsPerToken,
        @Schema(description = "FFN width of one routed expert", example = "14336") @NotNull @Positive Integer expertIntermediateSize,
        @Schema(description = "[0] shared experts every token passes through") @PositiveOrZero Integer numSharedExperts,
        @Schema(description = "FFN width of one shared expert (required with shared experts)") @PositiveOrZero Integer sharedExpertIntermediateSize,
        @Schema(description = "[0] leading layers that keep a dense FFN of intermediateSize") @PositiveOrZero Integer denseLayers,
        @Schema(description = "[false] router has a bias of numExperts values (DeepSeek-V3's e_score_correction_bias)") Boolean routerBias,
        @Schema(description = "[false] a learned hiddenSize→1 gate scales the shared experts (Qwen2-MoE's shared_expert_gate)") Boolean sharedExpertGate,
        @Schema(description = "[0: not limited] node-limited routing: a token's experts lie on at most this many nodes and "
                + "it crosses the network once per node, NVLink forwarding it to the node's other experts (DeepSeek-V3 "
                + "§3.2.2: 4)") @PositiveOrZero Integer maxNodesPerToken) {

    MoeConfig toCore() {
        return new MoeConfig(this.numExperts, this.numExpertsPerToken, this.expertIntermediateSize, orZero(this.numSharedExperts),
                orZero(this.sharedExpertIntermediateSize), orZero(this.denseLayers), ArchitectureSpec.isTrue(this.routerBias),
                ArchitectureSpec.isTrue(this.sharedExpertGate), orZero(this.maxNodesPerToken));
    }

    static MoeSpec from(MoeConfig m) {
        return new MoeSpec(m.numExperts(), m.numExpertsPerToken(), m.expertIntermediateSize(), m.numSharedExperts(),
                m.sharedExpertIntermediateSize(), m.denseLayers(), m.routerBias(), m.sharedExpertGate(),
                m.maxNodesPerToken() > 0 ? m.maxNodesPerToken() : null);
    }

    private static int orZero(Integer value) {
        return value != null ? value : 0;
    }
}
