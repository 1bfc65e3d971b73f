package dev.llmcalc.core.comms;

import java.util.Set;

import dev.llmcalc.core.comms.RankOrder.Dimension;

/**
 * The communication groups of a layout, in the order the ledger lists them. Dense groups come from Megatron-Core's
 * dense view of the rank order (tp, cp, dp, pp), expert groups from its expert view (tp, ep, dp = d·c/e, pp). With
 * hybrid sharding each data group is split into its shard groups and the replica groups across them
 * ({@link RankOrder#split}); the whole data groups are then not listed, their ZeRO collectives running in the shard
 * groups ({@link TrafficLayout#ranks(TrafficGroup)}).
 */
enum TrafficGroup {

    TENSOR("tensor", false, Set.of(Dimension.TP), Part.WHOLE),

    CONTEXT("context", false, Set.of(Dimension.CP), Part.WHOLE),

    /** Dense gradients are reduced over data × context (Megatron reduces over DP × CP). */
    DATA("data × context (dense gradients)", false, Set.of(Dimension.CP, Dimension.DP), Part.WHOLE),

    /** Hybrid sharding: the g consecutive data × context ranks that partition the dense states among them. */
    DATA_SHARD("data shard group (hybrid sharding: dense ZeRO collectives)", false, Set.of(Dimension.CP, Dimension.DP),
            Part.SHARD),

    /** Hybrid sharding: the d·c/g ranks holding the same dense shard, one per shard group. */
    DATA_REPLICA("data replica group (hybrid sharding: dense gradient shards all-reduced)", false,
            Set.of(Dimension.CP, Dimension.DP), Part.REPLICA),

    EXPERT("expert", true, Set.of(Dimension.EP), Part.WHOLE),

    EXPERT_DATA("expert data = data × context / expert (expert gradients)", true, Set.of(Dimension.DP), Part.WHOLE),

    /** Hybrid sharding: the g/e expert-data ranks of a shard group. */
    EXPERT_DATA_SHARD("expert data shard group = shard group / expert (hybrid sharding: expert ZeRO collectives)", true,
            Set.of(Dimension.DP), Part.SHARD),

    /** Hybrid sharding: the d·c/g ranks holding the same expert shard. */
    EXPERT_DATA_REPLICA("expert data replica group (hybrid sharding: expert gradient shards all-reduced)", true,
            Set.of(Dimension.DP), Part.REPLICA),

    PIPELINE("pipeline", false, Set.of(Dimension.PP), Part.WHOLE);

    /**
     * Whether its collectives are rings (all-reduce, all-gather, reduce-scatter), which NCCL runs one channel per
     * network card, so that a group with k GPUs in a node crosses the network on k cards at once; context groups pass
     * blocks pairwise, expert groups exchange all-to-all and pipeline groups send pairwise, each GPU on its own card.
     */
    boolean rings() {
        return this != CONTEXT && this != EXPERT && this != PIPELINE;
    }

    /** Which part of its dimensions' ranks a group is: all of them, or one side of hybrid sharding's split. */
    enum Part {
        WHOLE, SHARD, REPLICA
    }

    private final String label;

    private final boolean expertView;

    private final Set<Dimension> dimensions;

    private final Part part;

    TrafficGroup(String label, boolean expertView, Set<Dimension> dimensions, Part part) {
        this.label = label;
        this.expertView = expertView;
        this.dimensions = dimensions;
        this.part = part;
    }

    String label() {
        return this.label;
    }

    /** Whether the group is taken from the expert view (and so exists only for mixture-of-experts models). */
    boolean expertView() {
        return this.expertView;
    }

    Set<Dimension> dimensions() {
        return this.dimensions;
    }

    Part part() {
        return this.part;
    }

    /** Whether the group is one side of hybrid sharding's split (present only with a shard group). */
    boolean hybrid() {
        return this.part != Part.WHOLE;
    }

    /** The group ZeRO's collectives on these parameters run in with hybrid sharding: the shard group of a data group. */
    TrafficGroup shardGroup() {
        return switch (this) {
            case DATA -> DATA_SHARD;
            case EXPERT_DATA -> EXPERT_DATA_SHARD;
            default -> this;
        };
    }
}
