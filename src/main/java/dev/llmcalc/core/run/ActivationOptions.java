package dev.llmcalc.core.run;

import dev.llmcalc.core.unit.DType;

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
 */
public record ActivationOptions(Recomputation recomputation, AttentionKernel attention, boolean sequenceParallel,
        boolean dropout, boolean residualDropout, boolean lossInFp32, DType activationType,
        AdapterActivations adapters) {

    public ActivationOptions {
        if (recomputation == null || attention == null || activationType == null || adapters == null) {
            throw new IllegalArgumentException("recomputation, attention, activationType and adapters are required");
        }
    }

    /** Options of a full-training run (no adapters). */
    public ActivationOptions(Recomputation recomputation, AttentionKernel attention, boolean sequenceParallel,
            boolean dropout, boolean residualDropout, boolean lossInFp32, DType activationType) {
        this(recomputation, attention, sequenceParallel, dropout, residualDropout, lossInFp32, activationType,
                AdapterActivations.NONE);
    }

    /** Bytes of one activation element. */
    public int elementBytes() {
        return this.activationType.bits() / 8;
    }

    public ActivationOptions withRecomputation(Recomputation mode) {
        return new ActivationOptions(mode, this.attention, this.sequenceParallel, this.dropout, this.residualDropout,
                this.lossInFp32, this.activationType, this.adapters);
    }

    public ActivationOptions withAdapters(AdapterActivations lora) {
        return new ActivationOptions(this.recomputation, this.attention, this.sequenceParallel, this.dropout,
                this.residualDropout, this.lossInFp32, this.activationType, lora);
    }
}
