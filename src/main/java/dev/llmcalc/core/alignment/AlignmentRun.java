package dev.llmcalc.core.alignment;

import static dev.llmcalc.core.unit.InvalidInputException.require;

import java.util.Locale;
import java.util.Map;

import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.run.ActivationOptions;
import dev.llmcalc.core.run.BatchShape;
import dev.llmcalc.core.run.FineTuning;
import dev.llmcalc.core.run.Training;
import dev.llmcalc.core.unit.DType;

/**
 * An alignment run with every role colocated on the same GPUs and layout; roles are shaped like the policy unless
 * overridden.
 *
 * @param policy the policy's architecture; every other role has its shape (reward and critic with a scalar head)
 * @param training precision, optimizer and ZeRO stage of the trained roles
 * @param fineTuning the policy's method (FULL, LORA, QLORA), for REWARD_MODEL the reward model's; the critic's is its
 *        own ({@link RoleOverride#fineTuning()}, full training by default)
 * @param frozenPrecision what the frozen roles' weights are stored in
 * @param separateReference with LoRA / QLoRA, keep a separate reference copy instead of the policy's frozen base
 * @param rollout the generation phase (PPO, GRPO), or {@code null}
 * @param batch the training phase's batch (sequences of prompt + response; DPO: preference pairs, each two
 *        sequences), or {@code null} for model states only
 * @param options what the trained roles keep for backward
 * @param epochs passes over the step's sequences (PPO's {@code ppo_epochs}; 1 otherwise)
 * @param overrides roles whose model, training, storage or (SEPARATE) layout differ from the policy's
 * @param placement every role on the same GPUs, or each on its own
 */
public record AlignmentRun(Algorithm algorithm, Architecture policy, Training training, FineTuning fineTuning,
        Parallelism parallelism, DType frozenPrecision, boolean separateReference, Rollout rollout, BatchShape batch,
        ActivationOptions options, int epochs, Map<Role, RoleOverride> overrides, Placement placement) {

    /** Colocated. */
    public AlignmentRun(Algorithm algorithm, Architecture policy, Training training, FineTuning fineTuning,
            Parallelism parallelism, DType frozenPrecision, boolean separateReference, Rollout rollout, BatchShape batch,
            ActivationOptions options, int epochs, Map<Role, RoleOverride> overrides) {
        this(algorithm, policy, training, fineTuning, parallelism, frozenPrecision, separateReference, rollout, batch,
                options, epochs, overrides, Placement.COLOCATED);
    }

    /** Model states (and the rollout) only: no training phase, every role shaped like the policy. */
    public AlignmentRun(Algorithm algorithm, Architecture policy, Training training, FineTuning fineTuning,
            Parallelism parallelism, DType frozenPrecision, boolean separateReference, Rollout rollout) {
        this(algorithm, policy, training, fineTuning, parallelism, frozenPrecision, separateReference, rollout, null,
                null, 1, Map.of());
    }

    /** Every role shaped like the policy. */
    public AlignmentRun(Algorithm algorithm, Architecture policy, Training training, FineTuning fineTuning,
            Parallelism parallelism, DType frozenPrecision, boolean separateReference, Rollout rollout, BatchShape batch,
            ActivationOptions options, int epochs) {
        this(algorithm, policy, training, fineTuning, parallelism, frozenPrecision, separateReference, rollout, batch,
                options, epochs, Map.of());
    }

    /** The layout of a role's GPUs: with SEPARATE placement its own if set, else the policy's. */
    public Parallelism parallelism(Role role) {
        RoleOverride override = this.overrides.get(role);
        return override != null && override.parallelism() != null ? override.parallelism() : this.parallelism;
    }

    /** GPUs of the run: the shared ones, or with SEPARATE placement every role's own. */
    public long gpuCount() {
        if (this.placement == Placement.COLOCATED) {
            return this.parallelism.gpuCount();
        }
        long gpus = 0;
        for (Role role : this.algorithm.roles()) {
            gpus = Math.addExact(gpus, parallelism(role).gpuCount());
        }
        return gpus;
    }

    /** A role's architecture before any scalar head: its own, or the policy's. */
    public Architecture model(Role role) {
        RoleOverride override = this.overrides.get(role);
        return override != null && override.model() != null ? override.model() : this.policy;
    }

    /** A role's architecture as it runs: reward and critic with a scalar head in place of the LM head. */
    public Architecture roleModel(Role role) {
        return role.scalarHead() ? model(role).withScalarHead() : model(role);
    }

    /**
     * A trained role's method: the policy's (for REWARD_MODEL, the reward model's) is the request's; the critic's its
     * own, full training by default.
     */
    public FineTuning fineTuning(Role role) {
        if (role == Role.POLICY || (role == Role.REWARD && this.algorithm == Algorithm.REWARD_MODEL)) {
            return this.fineTuning;
        }
        RoleOverride override = this.overrides.get(role);
        return override != null && override.fineTuning() != null ? override.fineTuning() : FineTuning.FULL;
    }

    /** A trained role's training: its own, or the run's. */
    public Training training(Role role) {
        RoleOverride override = this.overrides.get(role);
        return override != null && override.training() != null ? override.training() : this.training;
    }

    /** A frozen role's storage: its own, or the run's frozen precision. */
    public DType precision(Role role) {
        RoleOverride override = this.overrides.get(role);
        return override != null && override.precision() != null ? override.precision() : this.frozenPrecision;
    }

    /** Whether the reference is the LoRA / QLoRA policy's frozen base (adapters off) rather than a copy of its own. */
    public boolean referenceIsPolicyBase() {
        RoleOverride reference = this.overrides.get(Role.REFERENCE);
        return this.fineTuning.isAdapter() && !this.separateReference && this.placement == Placement.COLOCATED
                && (reference == null || reference.model() == null);
    }

    public AlignmentRun {
        require(algorithm != null, "algorithm", "is required: SFT, REWARD_MODEL, DPO, PPO or GRPO");
        require(rollout == null || algorithm.generates(), "rollout",
                "applies to PPO and GRPO only (" + algorithm + " generates no responses)");
        require(rollout == null || algorithm != Algorithm.PPO || rollout.samplesPerPrompt() == 1,
                "rollout.samplesPerPrompt", "is GRPO's group size; PPO samples one response per prompt");
        require(!separateReference || algorithm.roles().contains(Role.REFERENCE), "separateReference",
                "applies only to algorithms with a reference model (DPO, PPO, GRPO)");
        require(batch == null || options != null, "activations", "are required with a batch");
        require(epochs >= 1 && epochs <= 1000, "epochs", "must be between 1 and 1000");
        require(epochs == 1 || algorithm == Algorithm.PPO || algorithm == Algorithm.GRPO, "epochs",
                "are PPO's and GRPO's passes over a rollout; " + algorithm + " trains each batch once");
        overrides = overrides == null ? Map.of() : Map.copyOf(overrides);
        require(placement != null, "placement", "must be COLOCATED or SEPARATE");
        for (Map.Entry<Role, RoleOverride> entry : overrides.entrySet()) {
            Role role = entry.getKey();
            String field = "roles." + role.name().toLowerCase(Locale.ROOT);
            require(role != Role.POLICY, field, "is the request's model and training");
            require(algorithm.roles().contains(role), field, "is not a model of " + algorithm + " (it keeps "
                    + algorithm.roles() + ")");
            boolean trained = role.trained(algorithm);
            require(entry.getValue().training() == null || trained, field + ".training",
                    "applies to trained roles; the " + role + " is frozen in " + algorithm);
            require(entry.getValue().precision() == null || !trained, field + ".precision",
                    "applies to frozen roles; the " + role + " is trained in " + algorithm + " (set its training)");
            require(entry.getValue().parallelism() == null || placement == Placement.SEPARATE, field + ".parallelism",
                    "applies to SEPARATE placement; colocated roles share the request's parallelism");
        }
    }
}
