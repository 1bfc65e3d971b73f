package dev.llmcalc.core.alignment;

import java.util.List;

/**
 * Alignment algorithms and the models each keeps (seed §4 对齐: PPO's four models; DPO's policy beside a frozen
 * reference; GRPO, RLOO, ReMax and REINFORCE++ without a critic).
 */
public enum Algorithm {

    /** Supervised fine-tuning: the policy alone. */
    SFT(List.of(Role.POLICY)),

    /** Reward-model training: a policy-shaped model with a scalar head, trained. */
    REWARD_MODEL(List.of(Role.REWARD)),

    /** DPO (Rafailov et al. 2023): the trained policy and a frozen reference. */
    DPO(List.of(Role.POLICY, Role.REFERENCE)),

    /** PPO (seed §4): actor (policy) and critic trained, reference and reward model frozen. */
    PPO(List.of(Role.POLICY, Role.REFERENCE, Role.REWARD, Role.CRITIC)),

    /**
     * GRPO (DeepSeekMath, Shao et al. 2024): PPO without a critic, the group's mean reward as baseline; RLOO and
     * REINFORCE++ keep the same models.
     */
    GRPO(List.of(Role.POLICY, Role.REFERENCE, Role.REWARD));

    private final List<Role> roles;

    Algorithm(List<Role> roles) {
        this.roles = roles;
    }

    public List<Role> roles() {
        return this.roles;
    }

    /** Whether a step generates responses (a rollout) before scoring and training. */
    public boolean generates() {
        return this == PPO || this == GRPO;
    }
}
