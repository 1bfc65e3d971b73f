package dev.llmcalc.core.alignment;

/** Where an alignment run's models live. */
public enum Placement {

    /**
     * Every role on the same GPUs and layout (verl's hybrid engine; OpenRLHF with colocated models): their model states
     * add up on each GPU and the phases run one after another.
     */
    COLOCATED,

    /**
     * Each role on GPUs of its own, with its own layout (OpenRLHF's Ray placement); the generation engines run on the
     * policy's GPUs. Roles of a phase run at the same time on their pools, so a phase takes as long as its slowest
     * role.
     */
    SEPARATE
}
