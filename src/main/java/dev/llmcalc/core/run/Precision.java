package dev.llmcalc.core.run;

import dev.llmcalc.core.unit.DType;

/**
 * Training precision: the formats of the working weights and gradients, and whether the optimizer
 * keeps an fp32 master copy (seed §3 "开启混合精度训练后"; Micikevicius et al. 2018).
 */
public enum Precision {

    /** fp32 weights and gradients, no master copy: 4 + 4 bytes per parameter. */
    FP32(DType.FP32, DType.FP32, false, DType.FP32),

    /** bf16 weights and gradients with an fp32 master copy in the optimizer: 2 + 2 (+4). */
    MIXED_BF16(DType.BF16, DType.BF16, true, DType.BF16),

    /** fp16 weights and gradients with an fp32 master copy (and loss scaling): 2 + 2 (+4). */
    MIXED_FP16(DType.FP16, DType.FP16, true, DType.FP16),

    /** Megatron-LM's default: bf16 weights, fp32 gradient accumulation buffers, fp32 master: 2 + 4 (+4). */
    MIXED_BF16_FP32_GRADS(DType.BF16, DType.FP32, true, DType.BF16);

    private final DType weights;

    private final DType gradients;

    private final boolean masterCopy;

    private final DType activations;

    Precision(DType weights, DType gradients, boolean masterCopy, DType activations) {
        this.weights = weights;
        this.gradients = gradients;
        this.masterCopy = masterCopy;
        this.activations = activations;
    }

    public DType weights() {
        return this.weights;
    }

    public DType gradients() {
        return this.gradients;
    }

    /** Whether the optimizer holds an fp32 copy of the weights (counted inside optimizer states, as the document does). */
    public boolean masterCopy() {
        return this.masterCopy;
    }

    /** The format activations are kept in (16-bit under mixed precision). */
    public DType activations() {
        return this.activations;
    }

    public boolean isMixed() {
        return this.masterCopy;
    }
}
