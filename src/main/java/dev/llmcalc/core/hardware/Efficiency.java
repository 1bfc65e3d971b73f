package dev.llmcalc.core.hardware;

/**
 * The share of a GPU's dense peak that the estimates assume when the caller gives none. It sits with the hardware
 * because compute time ({@code /compute}) and the attention rate that hides ring-attention transfers
 * ({@code /communication}) both read it; the caller can override it on each endpoint ({@code mfu}).
 */
public final class Efficiency {

    /**
     * A typical model FLOPs utilization for large dense-transformer training on current GPUs (PaLM reports 46 % on
     * TPU v4, Megatron-LM 2021 about 52 % of A100 peak at 1T parameters; 0.4 is the round figure below both).
     */
    public static final double DEFAULT_MFU = 0.4;

    private Efficiency() {
    }
}
