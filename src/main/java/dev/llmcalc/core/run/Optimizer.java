package dev.llmcalc.core.run;

import dev.llmcalc.core.unit.Exact;

/** Optimizers and the state they keep per parameter, not counting an fp32 master copy. */
public enum Optimizer {

    /** Adam with decoupled weight decay: fp32 momentum + fp32 variance = 8 bytes (seed §3: M_optim = 8Φ). */
    ADAMW(8),

    /** Adam: fp32 momentum + fp32 variance = 8 bytes. */
    ADAM(8),

    /** Plain SGD: no state. */
    SGD(0),

    /** SGD with momentum: one fp32 buffer = 4 bytes. */
    SGD_MOMENTUM(4),

    /**
     * 8-bit Adam (Dettmers et al. 2022): two 1-byte states = 2 bytes, plus each state's fp32 absmax per block of
     * {@link #QUANTIZATION_BLOCK} values (bitsandbytes' blockwise quantization): {@link #stateBytes(String, long)}.
     */
    ADAMW_8BIT(2),

    /** AdamW with bf16 momentum and variance (DeepSeek-V3 §3.3.2 keeps its moments in BF16): 2 + 2 = 4 bytes. */
    ADAMW_BF16_MOMENTS(4),

    /** Lion (Chen et al. 2023, "Symbolic Discovery of Optimization Algorithms"): one fp32 momentum = 4 bytes. */
    LION(4),

    /**
     * Adafactor (Shazeer &amp; Stern 2018) as Hugging Face transformers' {@code Adafactor} defaults it (beta1 = None):
     * no first moment; each 2-D matrix keeps a factored fp32 second moment of rows + columns values, every vector
     * (norm, bias) a full one. Depends on each matrix's shape, so 0 bytes per parameter here.
     */
    ADAFACTOR(0),

    /** Adafactor with beta1 set: the factored second moment plus a full fp32 first moment (4 bytes per parameter). */
    ADAFACTOR_MOMENTUM(4),

    /**
     * Muon (Jordan et al. 2024; Liu et al. 2025, "Muon is Scalable for LLM Training"): one fp32 momentum per hidden 2-D
     * matrix parameter (4 bytes); embeddings, LM head and vectors use AdamW (8 bytes), as the reference implementations do.
     */
    MUON(4);

    /** bitsandbytes' block size for 8-bit optimizer states (bnb.optim.Adam8bit, blockwise=True). */
    public static final int QUANTIZATION_BLOCK = 2048;

    /** One fp32 absmax per block and state. */
    private static final int BLOCK_CONSTANT_BYTES = 4;

    /** The states 8-bit Adam quantizes: momentum and variance. */
    private static final int QUANTIZED_STATES = 2;

    private final int stateBytes;

    Optimizer(int stateBytes) {
        this.stateBytes = stateBytes;
    }

    /** The optimizer's state tensors and their widths, in words. */
    public String stateFormat() {
        return switch (this) {
            case ADAMW, ADAM -> "fp32 momentum + variance";
            case SGD -> "none";
            case SGD_MOMENTUM, LION -> "fp32 momentum";
            case ADAMW_8BIT -> "8-bit momentum + variance, fp32 absmax per block of " + QUANTIZATION_BLOCK;
            case ADAMW_BF16_MOMENTS -> "bf16 momentum + variance";
            case ADAFACTOR -> "fp32 factored second moment (rows + columns per matrix, full for vectors)";
            case ADAFACTOR_MOMENTUM -> "fp32 momentum + fp32 factored second moment";
            case MUON -> "fp32 momentum (hidden matrices) + fp32 AdamW momentum and variance (the rest)";
        };
    }

    /**
     * Whether the states depend on each matrix's shape (Adafactor's factored second moment, Muon's matrices-only
     * momentum), so a raw parameter count cannot size them.
     */
    public boolean dependsOnShapes() {
        return this == ADAFACTOR || this == ADAFACTOR_MOMENTUM || this == MUON;
    }

    /**
     * Bytes of optimizer state per parameter, excluding the master copy (8-bit Adam: its values, without constants;
     * Adafactor: its first moment only; Muon: its momentum, the AdamW parameters keep 8).
     */
    public int stateBytes() {
        return this.stateBytes;
    }

    // the states of n parameters: n × bytes per parameter; 8-bit Adam adds 2 states × ⌈n / 2,048⌉ × 4 B of absmax
    // (not for Adafactor and Muon, whose states need the matrices' shapes: ShapedOptimizerStates)
    public long stateBytes(String quantity, long parameters) {
        if (dependsOnShapes()) {
            throw new IllegalStateException(this + " states depend on the matrices' shapes");
        }
        long values = Exact.multiply(quantity, parameters, this.stateBytes);
        if (this != ADAMW_8BIT || parameters == 0) {
            return values;
        }
        return Exact.add(quantity, values, Exact.multiply(quantity, QUANTIZED_STATES * BLOCK_CONSTANT_BYTES,
                Exact.ceilDiv(parameters, QUANTIZATION_BLOCK)));
    }
}
