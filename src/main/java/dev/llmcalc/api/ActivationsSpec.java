package dev.llmcalc.api;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.model.MlpType;
import dev.llmcalc.core.model.NormType;
import dev.llmcalc.core.run.ActivationOptions;
import dev.llmcalc.core.run.AdapterActivations;
import dev.llmcalc.core.run.OffloadDevice;
import dev.llmcalc.core.run.AttentionKernel;
import dev.llmcalc.core.run.Recomputation;
import dev.llmcalc.core.run.RecomputeModule;
import dev.llmcalc.core.run.Training;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Size;

/** The {@code activations} object: what the run keeps for backward. */
@Schema(description = "What the run keeps for backward. Omitted: NONE, FLASH, no sequence parallelism, no dropout, fp32 loss.")
public record ActivationsSpec(
        @Schema(description = "[NONE] NONE, SELECTIVE (recompute the attention core) or FULL (keep layer inputs only)")
        Recomputation recomputation,
        @Schema(description = "[FLASH] EAGER keeps the s×s softmax output; FLASH keeps the fp32 log-sum-exp") AttentionKernel attention,
        @Schema(description = "[false] Megatron sequence parallelism (needs tensor parallelism to matter)") Boolean sequenceParallel,
        @Schema(description = "[false] attention-probability dropout (1-byte masks)") Boolean dropout,
        @Schema(description = "[= dropout for GPT-2-style blocks (LayerNorm + STANDARD MLP), else false] dropout after "
                + "attention and MLP outputs and on the embeddings") Boolean residualDropout,
        @Schema(description = "[true] keep the loss's log-softmax in fp32 (4·b·s·V bytes); false keeps it 16-bit") Boolean lossInFp32,
        @Schema(description = "[core_attn] with recomputation SELECTIVE, Megatron-Core's recompute_modules: core_attn, "
                + "mlp, moe_act, layernorm, mla_up_proj, moe, shared_experts (each rebuilt in backward keeps none of its "
                + "tensors)", example = "[\"core_attn\"]") @Size(max = 7) List<@Size(min = 1, max = 40) String> recomputeModules,
        @Schema(description = "[false] a gated MLP's activation runs fused (Megatron-Core's bias_swiglu_fusion, on by "
                + "default in Megatron-LM and NeMo): only the gate and up outputs are kept and the activation is rebuilt in "
                + "backward, one f-wide tensor per layer less than PyTorch autograd keeps") Boolean fusedGatedActivation) {

    /** Without module-level recomputation. */
    public ActivationsSpec(Recomputation recomputation, AttentionKernel attention, Boolean sequenceParallel,
            Boolean dropout, Boolean residualDropout, Boolean lossInFp32) {
        this(recomputation, attention, sequenceParallel, dropout, residualDropout, lossInFp32, null, null);
    }

    /**
     * Resolves defaults; the activation dtype follows the training precision (16-bit mixed, 4 bytes FP32; FP8
     * precisions keep the linear layers' inputs in FP8).
     */
    public static ActivationOptions toCore(ActivationsSpec spec, Architecture model, Training training) {
        ActivationsSpec s = spec != null ? spec : new ActivationsSpec(null, null, null, null, null, null);
        boolean dropout = Boolean.TRUE.equals(s.dropout);
        boolean gpt2Style = model.norm() == NormType.LAYER_NORM && model.mlp() == MlpType.STANDARD;
        Set<RecomputeModule> modules = EnumSet.noneOf(RecomputeModule.class);
        if (s.recomputeModules != null) {
            for (String id : s.recomputeModules) {
                modules.add(RecomputeModule.of(id, "activations.recomputeModules"));
            }
        }
        return new ActivationOptions(s.recomputation != null ? s.recomputation : Recomputation.NONE,
                s.attention != null ? s.attention : AttentionKernel.FLASH, Boolean.TRUE.equals(s.sequenceParallel), dropout,
                s.residualDropout != null ? s.residualDropout : dropout && gpt2Style,
                s.lossInFp32 == null || s.lossInFp32, training.precision().activations(), AdapterActivations.NONE,
                modules, training.precision().fp8(), training.offload().activations() == OffloadDevice.CPU,
                Boolean.TRUE.equals(s.fusedGatedActivation));
    }

    public static ActivationsSpec from(ActivationOptions o) {
        return new ActivationsSpec(o.recomputation(), o.attention(), o.sequenceParallel(), o.dropout(),
                o.residualDropout(), o.lossInFp32(), o.recomputeModules().isEmpty() ? null
                        : o.recomputeModules().stream().map(RecomputeModule::id).toList(),
                o.fusedGatedActivation() ? Boolean.TRUE : null);
    }
}
