package dev.llmcalc.core.alignment;

import static dev.llmcalc.core.unit.InvalidInputException.require;

import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.run.FineTuning;
import dev.llmcalc.core.run.Training;
import dev.llmcalc.core.unit.DType;

/**
 * An alignment run with every role colocated on the same GPUs and layout.
 *
 * @param policy the policy's architecture; every other role has its shape (reward and critic with a scalar head)
 * @param training precision, optimizer and ZeRO stage of the trained roles
 * @param fineTuning the policy's method (FULL, LORA, QLORA); the critic and a trained reward model train fully
 * @param frozenPrecision what the frozen roles' weights are stored in
 * @param separateReference with LoRA / QLoRA, keep a separate reference copy instead of the policy's frozen base
 * @param rollout the generation phase (PPO, GRPO), or {@code null}
 */
public record AlignmentRun(Algorithm algorithm, Architecture policy, Training training, FineTuning fineTuning,
        Parallelism parallelism, DType frozenPrecision, boolean separateReference, Rollout rollout) {

    public AlignmentRun {
        require(algorithm != null, "algorithm", "is required: SFT, REWARD_MODEL, DPO, PPO or GRPO");
        require(algorithm != Algorithm.REWARD_MODEL || !fineTuning.isAdapter(), "training.method",
                "LORA and QLORA are not modelled for REWARD_MODEL yet (a scalar head beside adapters)");
        require(rollout == null || algorithm.generates(), "rollout",
                "applies to PPO and GRPO only (" + algorithm + " generates no responses)");
        require(rollout == null || algorithm != Algorithm.PPO || rollout.samplesPerPrompt() == 1,
                "rollout.samplesPerPrompt", "is GRPO's group size; PPO samples one response per prompt");
        require(!separateReference || algorithm.roles().contains(Role.REFERENCE), "separateReference",
                "applies only to algorithms with a reference model (DPO, PPO, GRPO)");
    }
}
