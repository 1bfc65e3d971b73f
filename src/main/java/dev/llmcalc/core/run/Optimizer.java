package dev.llmcalc.core.run;

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

    /** 8-bit Adam (Dettmers et al. 2022): two 1-byte states = 2 bytes (block-wise quantization constants ignored). */
    ADAMW_8BIT(2);

    private final int stateBytes;

    Optimizer(int stateBytes) {
        this.stateBytes = stateBytes;
    }

    /** Bytes of optimizer state per parameter, excluding the master copy. */
    public int stateBytes() {
        return this.stateBytes;
    }
}
