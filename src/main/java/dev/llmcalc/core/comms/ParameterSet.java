package dev.llmcalc.core.comms;

/**
 * The parameters a data-parallel transfer moves (gradients reduced, weights gathered): dense ones over the data ×
 * context group, routed experts' over the expert-data group.
 */
enum ParameterSet {

    DENSE_PARAMETERS("dense parameters", TrafficGroup.DATA),

    EXPERT_PARAMETERS("expert parameters", TrafficGroup.EXPERT_DATA),

    /** LoRA / QLoRA: the adapters on dense weights (the only dense parameters with gradients). */
    DENSE_ADAPTERS("dense adapters", TrafficGroup.DATA),

    /** LoRA / QLoRA: the adapters on routed experts. */
    EXPERT_ADAPTERS("expert adapters", TrafficGroup.EXPERT_DATA),

    /** LoRA / QLoRA: frozen dense weights, gathered by ZeRO-3 at their storage precision, never reduced. */
    FROZEN_DENSE("frozen dense weights", TrafficGroup.DATA),

    /** LoRA / QLoRA: frozen routed-expert weights. */
    FROZEN_EXPERT("frozen expert weights", TrafficGroup.EXPERT_DATA);

    private final String description;

    private final TrafficGroup group;

    ParameterSet(String description, TrafficGroup group) {
        this.description = description;
        this.group = group;
    }

    String description() {
        return this.description;
    }

    TrafficGroup group() {
        return this.group;
    }
}
