package dev.llmcalc.core.comms;

/** How a collective is scheduled over the ranks. */
public enum Algorithm {

    /** Ranks form a ring; data moves in n − 1 (or 2(n − 1)) pipelined steps. NCCL's default for large messages. */
    RING,

    /**
     * NCCL's double binary tree (Sanders et al. 2009; NCCL 2.4): each half of the buffer travels one of two
     * binary trees, so every rank is an inner node of at most one; latency grows with log2 n instead of n.
     * Modelled for ALL_REDUCE and BROADCAST.
     */
    TREE
}
