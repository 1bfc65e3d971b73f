package dev.llmcalc.core.alignment;

/** The models of an alignment run. */
public enum Role {

    /** The actor: the model being aligned, trained. */
    POLICY(true, false),

    /** A frozen copy of the starting policy (the KL anchor). */
    REFERENCE(false, false),

    /** Scores responses; frozen in PPO and GRPO, trained in REWARD_MODEL. A scalar head (h → 1) replaces the LM head. */
    REWARD(false, true),

    /** The value model of PPO, trained; a scalar head replaces the LM head. */
    CRITIC(true, true);

    private final boolean trainedInRl;

    private final boolean scalarHead;

    Role(boolean trainedInRl, boolean scalarHead) {
        this.trainedInRl = trainedInRl;
        this.scalarHead = scalarHead;
    }

    /** Whether the role is trained under {@code algorithm}. */
    public boolean trained(Algorithm algorithm) {
        return this == REWARD ? algorithm == Algorithm.REWARD_MODEL : this.trainedInRl;
    }

    /** Whether its LM head is replaced by a scalar head (OpenRLHF and verl build reward and value models so). */
    public boolean scalarHead() {
        return this.scalarHead;
    }
}
