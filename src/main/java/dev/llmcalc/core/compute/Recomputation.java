package dev.llmcalc.core.compute;

/** Which activations are recomputed in the backward pass instead of kept from the forward pass. */
public enum Recomputation {

    /** Every activation is kept; nothing runs twice. */
    NONE,

    /**
     * Korthikanti et al. 2022 (arXiv:2205.05198) §4.2: only the attention core (QKᵀ, softmax, P·V) is
     * recomputed; its forward FLOPs run once more.
     */
    SELECTIVE,

    /**
     * Each transformer layer keeps only its input and re-runs its whole forward pass during the backward
     * pass (Narayanan et al. 2021, eq. 3: the LM head is not recomputed).
     */
    FULL;

    /** Forward FLOPs of one token that run again during the backward pass. */
    public long recomputedPerToken(ForwardFlops forward) {
        return switch (this) {
            case NONE -> 0;
            case SELECTIVE -> forward.attentionScores();
            case FULL -> forward.layers();
        };
    }
}
