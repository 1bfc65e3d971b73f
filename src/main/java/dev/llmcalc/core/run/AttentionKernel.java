package dev.llmcalc.core.run;

/** How attention is computed, which decides what it keeps for backward. */
public enum AttentionKernel {

    /** Materialises the b·a·s×s probabilities and keeps them (a kernel that keeps K and V at the g key/value heads). */
    EAGER,

    /** FlashAttention: keeps the fp32 log-sum-exp (b·a·s) instead; dropout masks are regenerated from the seed. */
    FLASH
}
