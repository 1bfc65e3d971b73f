package dev.llmcalc.core.run;

/** Activation recomputation (Korthikanti et al. 2022, §4–§5). */
public enum Recomputation {

    /** Keep everything the backward pass needs. */
    NONE,

    /** Recompute the attention core (softmax, dropout over s×s): keep Q, K, V and everything else. */
    SELECTIVE,

    /** Keep each layer's input only and rebuild the layer during backward. */
    FULL
}
