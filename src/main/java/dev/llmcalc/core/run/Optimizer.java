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
    LION(4);

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

    /** Bytes of optimizer state per parameter, excluding the master copy (8-bit Adam: its values, without constants). */
    public int stateBytes() {
        return this.stateBytes;
    }

    // the states of n parameters: n × bytes per parameter; 8-bit Adam adds 2 states × ⌈n / 2,048⌉ × 4 B of absmax
    public long stateBytes(String quantity, long parameters) {
        long values = Exact.multiply(quantity, parameters, this.stateBytes);
        if (this != ADAMW_8BIT || parameters == 0) {
            return values;
        }
        return Exact.add(quantity, values, Exact.multiply(quantity, QUANTIZED_STATES * BLOCK_CONSTANT_BYTES,
                Exact.ceilDiv(parameters, QUANTIZATION_BLOCK)));
    }
}
