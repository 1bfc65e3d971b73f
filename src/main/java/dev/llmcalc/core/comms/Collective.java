package dev.llmcalc.core.comms;

/**
 * The eight collective primitives of the source document (seed §3 "大模型训练过程中的通信开销如何计算":
 * Broadcast, Scatter, Gather, Reduce, All-Gather, Reduce-Scatter, All-Reduce, All-to-All), plus the
 * point-to-point exchange that pipeline boundaries and ring attention use.
 */
public enum Collective {

    /** One root sends its whole buffer to every rank. */
    BROADCAST(true),

    /** The root holds n shards and sends shard i to rank i. */
    SCATTER(true),

    /** Every rank sends its shard to the root, which ends with all n. */
    GATHER(true),

    /** Every rank's buffer is summed element-wise at the root. */
    REDUCE(true),

    /** Every rank contributes a shard and ends with all n shards. */
    ALL_GATHER(false),

    /** Buffers are summed element-wise and rank i keeps shard i of the sum. */
    REDUCE_SCATTER(false),

    /** Buffers are summed element-wise and every rank keeps the whole sum. */
    ALL_REDUCE(false),

    /** Rank i sends shard j of its buffer to rank j, for every pair. */
    ALL_TO_ALL(false),

    /**
     * Point-to-point: every rank sends its buffer to its successor and receives one from its predecessor
     * (a ring shift; a pipeline boundary is one such send). Not one of the document's eight primitives.
     */
    SEND_RECV(false);

    private final boolean rooted;

    Collective(boolean rooted) {
        this.rooted = rooted;
    }

    /** Whether one rank (the root) plays a different part from the others. */
    public boolean rooted() {
        return this.rooted;
    }
}
