package dev.llmcalc.core.activation;

/** How a kept tensor divides under tensor parallelism (Korthikanti et al. 2022, Table 2). */
enum Split {

    /** Lives on split heads or the split FFN: divides by t. */
    TENSOR,

    /** Full hidden width on every rank (norm inputs, layer input, residual masks): divides by t only with sequence parallelism. */
    SEQUENCE,

    /** Held whole on every tensor-parallel rank. */
    REPLICATED
}
