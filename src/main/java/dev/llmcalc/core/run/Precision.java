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
    MIXED_BF16_FP32_GRADS(DType.BF16, DType.FP32, true, DType.BF16),

    /**
     * FP8 training with Transformer Engine's delayed-scaling recipe as Megatron-LM runs it: bf16 weights, fp32
     * gradients and master (2 + 4 (+4)), plus an FP8 copy and FP8 transpose of each linear weight and per-tensor scaling
     * state; linear-layer inputs are kept in FP8 for backward. Embedding, LM head, router, norms and attention stay bf16.
     */
    MIXED_FP8(DType.BF16, DType.FP32, true, DType.BF16, Fp8Recipe.TENSORWISE),

    /**
     * {@link #MIXED_FP8} with bf16 gradient buffers, accumulated and reduced in bf16 (2 + 2 (+4)): NVIDIA NeMo's
     * performance recipes and Megatron-Bridge set {@code grad_reduce_in_fp32: false} (NeMo-Framework-Launcher's
     * {@code grad_sync_dtype=bf16}).
     */
    MIXED_FP8_BF16_GRADS(DType.BF16, DType.BF16, true, DType.BF16, Fp8Recipe.TENSORWISE),

    /**
     * DeepSeek-V3-style FP8 (§3.3): the same bf16 weights, fp32 gradients and master, one FP8 copy of each linear
     * weight with an fp32 scale per 128 × 128 block, linear inputs kept in FP8 with an fp32 scale per 1 × 128 tile.
     * DeepSeek-V3's BF16 moments are the optimizer ADAMW_BF16_MOMENTS.
     */
    MIXED_FP8_BLOCKWISE(DType.BF16, DType.FP32, true, DType.BF16, Fp8Recipe.BLOCKWISE);

    private final DType weights;

    private final DType gradients;

    private final boolean masterCopy;

    private final DType activations;

    private final Fp8Recipe fp8;

    Precision(DType weights, DType gradients, boolean masterCopy, DType activations) {
        this(weights, gradients, masterCopy, activations, Fp8Recipe.NONE);
    }

    Precision(DType weights, DType gradients, boolean masterCopy, DType activations, Fp8Recipe fp8) {
        this.weights = weights;
        this.gradients = gradients;
        this.masterCopy = masterCopy;
        this.activations = activations;
        this.fp8 = fp8;
    }

    /** How the linear layers' GEMMs run in FP8 ({@link Fp8Recipe#NONE}: they do not). */
    public Fp8Recipe fp8() {
        return this.fp8;
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

    /** The format activations are kept in (16-bit under mixed precision; FP8 runs keep linear inputs in FP8). */
    public DType activations() {
        return this.activations;
    }

    public boolean isMixed() {
        return this.masterCopy;
    }
}
