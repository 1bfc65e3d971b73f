package dev.llmcalc.core.run;

import java.util.Locale;

import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.unit.InvalidInputException;

/**
 * What selective recomputation rebuilds in backward instead of keeping, by Megatron-Core's names
 * ({@code --recompute-granularity selective --recompute-modules ...}, megatron/core/transformer/transformer_config.py).
 */
public enum RecomputeModule {

    /** The attention core: softmax (and its dropout) over s × s, or FlashAttention's log-sum-exp. */
    CORE_ATTN,

    /** The dense FFN's intermediates (its activation's input and output). */
    MLP,

    /** The experts' activation function output (the gate and up outputs it reads stay). */
    MOE_ACT,

    /** The attention and pre-MLP norms: their outputs and statistics (their inputs, the residual stream, stay). */
    LAYERNORM,

    /** MLA's up-projections and rotary: the per-head queries, keys and values (the latents stay). */
    MLA_UP_PROJ,

    /** The whole MoE block: router, dispatch copies, experts and shared experts. */
    MOE,

    /** The shared experts' intermediates. */
    SHARED_EXPERTS;

    /** Whether {@code model} has the module: MLP needs dense FFN layers, the MoE ones MoE layers (shared experts for
     * {@link #SHARED_EXPERTS}), MLA_UP_PROJ multi-head latent attention; the attention core and the norms always. */
    public boolean appliesTo(Architecture model) {
        return switch (this) {
            case CORE_ATTN, LAYERNORM -> true;
            case MLP -> model.denseFfnLayers() > 0;
            case MOE_ACT, MOE -> model.isMoe();
            case SHARED_EXPERTS -> model.isMoe() && model.moe().numSharedExperts() > 0;
            case MLA_UP_PROJ -> model.hasMla();
        };
    }

    /** Megatron-Core's spelling: "core_attn", "mla_up_proj", ... */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** By Megatron-Core's name, case-insensitive. */
    public static RecomputeModule of(String id, String field) {
        for (RecomputeModule module : values()) {
            if (module.id().equalsIgnoreCase(id)) {
                return module;
            }
        }
        throw new InvalidInputException(field, "'" + (id.length() > 40 ? id.substring(0, 40) + "…" : id)
                + "' is not one of core_attn, mlp, moe_act, layernorm, mla_up_proj, moe, shared_experts");
    }
}
