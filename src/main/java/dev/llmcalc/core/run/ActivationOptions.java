package dev.llmcalc.core.run;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

import dev.llmcalc.core.unit.DType;
import dev.llmcalc.core.unit.InvalidInputException;

/**
 * What the run keeps for backward.
 *
 * @param recomputation NONE, SELECTIVE or FULL
 * @param attention EAGER or FLASH
 * @param sequenceParallel Megatron sequence parallelism: norm and dropout regions split t ways along the sequence
 * @param dropout attention-probability dropout (1-byte masks)
 * @param residualDropout dropout after the attention and MLP outputs and on the embeddings (GPT-2 style)
 * @param lossInFp32 the log-softmax of the loss is kept in fp32 (4·b·s·V bytes) rather than 16-bit
 * @param activationType element format of activations (16-bit under mixed precision, fp32 under FP32)
 * @param adapters LoRA adapters whose r-wide intermediates are kept too ({@link AdapterActivations#NONE} for full training)
 * @param recomputeModules with SELECTIVE recomputation, the modules rebuilt in backward (empty: the attention core,
 *        Korthikanti et al.'s selective recomputation); empty otherwise
 * @param fp8 with FP8 training, how the linear layers' inputs are kept for backward: in FP8 (1 byte; BLOCKWISE with an
 *        fp32 scale per 1 × 128 tile) instead of {@code activationType}
 * @param offloadCheckpoints with FULL recomputation, the layers' checkpoints (their inputs) are held in host memory
 *        between forward and backward (DeepSpeed {@code cpu_checkpointing}; {@code training.offload.activations: CPU})
 * @param fusedGatedActivation a gated MLP's activation and product run as one fused kernel that keeps only its input
 *        (the gate and up outputs) and rebuilds the activation in backward (Megatron-Core's {@code bias_swiglu_fusion},
 *        on by default in Megatron-LM): the activation's output is not kept; false keeps it, as PyTorch autograd does
 */
public record ActivationOptions(Recomputation recomputation, AttentionKernel attention, boolean sequenceParallel,
        boolean dropout, boolean residualDropout, boolean lossInFp32, DType activationType,
        AdapterActivations adapters, Set<RecomputeModule> recomputeModules, Fp8Recipe fp8,
        boolean offloadCheckpoints, boolean fusedGatedActivation) {

    public ActivationOptions {
        if (recomputation == null || attention == null || activationType == null || adapters == null
                || recomputeModules == null || fp8 == null) {
            throw new IllegalArgumentException("recomputation, attention, activationType, adapters and recomputeModules "
                    + "are required");
        }
        InvalidInputException.require(recomputeModules.isEmpty() || recomputation == Recomputation.SELECTIVE,
                "activations.recomputeModules", "applies to recomputation SELECTIVE (NONE keeps everything, FULL "
                        + "rebuilds whole layers)");
        InvalidInputException.require(!offloadCheckpoints || recomputation == Recomputation.FULL,
                "training.offload.activations", "needs activations.recomputation FULL: the checkpoints moved to the "
                        + "host are the layer inputs full recomputation keeps");
        recomputeModules = recomputeModules.isEmpty() ? Set.of()
                : Collections.unmodifiableSet(EnumSet.copyOf(recomputeModules));
    }

    /** Options with an unfused gated activation (its output kept, as PyTorch autograd keeps it). */
    public ActivationOptions(Recomputation recomputation, AttentionKernel attention, boolean sequenceParallel,
            boolean dropout, boolean residualDropout, boolean lossInFp32, DType activationType,
            AdapterActivations adapters, Set<RecomputeModule> recomputeModules, Fp8Recipe fp8,
            boolean offloadCheckpoints) {
        this(recomputation, attention, sequenceParallel, dropout, residualDropout, lossInFp32, activationType, adapters,
                recomputeModules, fp8, offloadCheckpoints, false);
    }

    /** Options whose checkpoints stay on the GPU. */
    public ActivationOptions(Recomputation recomputation, AttentionKernel attention, boolean sequenceParallel,
            boolean dropout, boolean residualDropout, boolean lossInFp32, DType activationType,
            AdapterActivations adapters, Set<RecomputeModule> recomputeModules, Fp8Recipe fp8) {
        this(recomputation, attention, sequenceParallel, dropout, residualDropout, lossInFp32, activationType, adapters,
                recomputeModules, fp8, false);
    }

    /** Options of a run without FP8 linear inputs. */
    public ActivationOptions(Recomputation recomputation, AttentionKernel attention, boolean sequenceParallel,
            boolean dropout, boolean residualDropout, boolean lossInFp32, DType activationType,
            AdapterActivations adapters, Set<RecomputeModule> recomputeModules) {
        this(recomputation, attention, sequenceParallel, dropout, residualDropout, lossInFp32, activationType, adapters,
                recomputeModules, Fp8Recipe.NONE);
    }

    /** Options of a run without module-level recomputation. */
    public ActivationOptions(Recomputation recomputation, AttentionKernel attention, boolean sequenceParallel,
            boolean dropout, boolean residualDropout, boolean lossInFp32, DType activationType,
            AdapterActivations adapters) {
        this(recomputation, attention, sequenceParallel, dropout, residualDropout, lossInFp32, activationType, adapters,
                Set.of());
    }

    /** Options of a full-training run (no adapters). */
    public ActivationOptions(Recomputation recomputation, AttentionKernel attention, boolean sequenceParallel,
            boolean dropout, boolean residualDropout, boolean lossInFp32, DType activationType) {
        this(recomputation, attention, sequenceParallel, dropout, residualDropout, lossInFp32, activationType,
                AdapterActivations.NONE);
    }

    /**
     * Whether backward rebuilds {@code module} instead of keeping its tensors: with SELECTIVE recomputation the modules
     * named, or the attention core when none are.
     */
    public boolean recomputes(RecomputeModule module) {
        if (this.recomputation != Recomputation.SELECTIVE) {
            return false;
        }
        return this.recomputeModules.isEmpty() ? module == RecomputeModule.CORE_ATTN
                : this.recomputeModules.contains(module);
    }

    /** Bytes of one activation element. */
    public int elementBytes() {
        return this.activationType.bits() / 8;
    }

    public ActivationOptions withRecomputation(Recomputation mode) {
        return new ActivationOptions(mode, this.attention, this.sequenceParallel, this.dropout, this.residualDropout,
                this.lossInFp32, this.activationType, this.adapters,
                mode == Recomputation.SELECTIVE ? this.recomputeModules : Set.of(), this.fp8,
                mode == Recomputation.FULL && this.offloadCheckpoints, this.fusedGatedActivation);
    }

    public ActivationOptions withFusedGatedActivation(boolean fused) {
        return new ActivationOptions(this.recomputation, this.attention, this.sequenceParallel, this.dropout,
                this.residualDropout, this.lossInFp32, this.activationType, this.adapters, this.recomputeModules,
                this.fp8, this.offloadCheckpoints, fused);
    }

    public ActivationOptions withAdapters(AdapterActivations lora) {
        return new ActivationOptions(this.recomputation, this.attention, this.sequenceParallel, this.dropout,
                this.residualDropout, this.lossInFp32, this.activationType, lora, this.recomputeModules, this.fp8,
                this.offloadCheckpoints, this.fusedGatedActivation);
    }
}
