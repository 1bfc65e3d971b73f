package dev.llmcalc.core.comms;

/**
 * The parameters a data-parallel transfer moves (gradients reduced, weights gathered): dense ones over the data ×
 * context group, routed experts' over the expert-data group; with hybrid sharding ZeRO's collectives run in those
 * groups' shard groups and the gradient shards are all-reduced over their replica groups.
 */
enum ParameterSet {

    DENSE_PARAMETERS("dense parameters", TrafficGroup.DATA, TrafficGroup.DATA_REPLICA),

    EXPERT_PARAMETERS("expert parameters", TrafficGroup.EXPERT_DATA, TrafficGroup.EXPERT_DATA_REPLICA),

    /** LoRA / QLoRA: the adapters on dense weights (the only dense parameters with gradients). */
    DENSE_ADAPTERS("dense adapters", TrafficGroup.DATA, TrafficGroup.DATA_REPLICA),

    /** LoRA / QLoRA: the adapters on routed experts. */
    EXPERT_ADAPTERS("expert adapters", TrafficGroup.EXPERT_DATA, TrafficGroup.EXPERT_DATA_REPLICA),

    /** LoRA / QLoRA: frozen dense weights, gathered by ZeRO-3 at their storage precision, never reduced. */
    FROZEN_DENSE("frozen dense weights", TrafficGroup.DATA, TrafficGroup.DATA_REPLICA),

    /** LoRA / QLoRA: frozen routed-expert weights. */
    FROZEN_EXPERT("frozen expert weights", TrafficGroup.EXPERT_DATA, TrafficGroup.EXPERT_DATA_REPLICA);

    private final String description;

    private final TrafficGroup group;

    private final TrafficGroup replicaGroup;

    ParameterSet(String description, TrafficGroup group, TrafficGroup replicaGroup) {
        this.description = description;
        this.group = group;
        this.replicaGroup = replicaGroup;
    }

    String description() {
        return this.description;
    }

    /** The data group whose ranks hold replicas of these parameters (ZeRO's group without hybrid sharding). */
    TrafficGroup group() {
        return this.group;
    }

    /** With hybrid sharding: the ranks holding the same shard of these parameters, one per shard group. */
    TrafficGroup replicaGroup() {
        return this.replicaGroup;
    }
}
