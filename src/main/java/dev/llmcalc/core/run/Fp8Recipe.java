package dev.llmcalc.core.run;

/** How FP8 GEMMs are scaled, which decides the extra tensors FP8 training keeps. */
public enum Fp8Recipe {

    /** No FP8: every GEMM in the precision's 16 or 32 bits. */
    NONE,

    /**
     * NVIDIA Transformer Engine's delayed scaling (DelayedScaling, Hopper): one scale per tensor from an amax history;
     * each linear weight's FP8 copy and its FP8 transpose are cached across micro-batches.
     */
    TENSORWISE,

    /**
     * DeepSeek-V3 §3.3 fine-grained scaling: an fp32 scale per 1 × 128 activation tile and per 128 × 128 weight
     * block, computed online (no amax history).
     */
    BLOCKWISE;

    /** Tile and block edge of DeepSeek-V3's fine-grained quantization (§3.3.2: 1 × 128 tiles, 128 × 128 blocks). */
    public static final int BLOCK = 128;

    /** Transformer Engine's DelayedScaling default amax_history_len. */
    public static final int AMAX_HISTORY = 1024;

    /**
     * FP8 tensors a Transformer Engine GEMM keeps scaling state for: input, weight, output forward (fp8_meta
     * "scaling_fwd", 3 per GEMM) and output gradient, input gradient backward ("scaling_bwd", 2 per GEMM).
     */
    public static final int FP8_TENSORS_PER_GEMM = 5;

    public boolean any() {
        return this != NONE;
    }
}
