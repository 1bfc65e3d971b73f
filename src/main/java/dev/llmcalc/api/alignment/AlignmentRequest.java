package dev.llmcalc.api.alignment;

import dev.llmcalc.api.ActivationsSpec;
import dev.llmcalc.api.BatchSpec;
import dev.llmcalc.api.GpuChoice;
import dev.llmcalc.api.ModelSpec;
import dev.llmcalc.api.ParallelismSpec;
import dev.llmcalc.api.TrainingSpec;
import dev.llmcalc.core.alignment.Algorithm;
import dev.llmcalc.core.alignment.Placement;
import dev.llmcalc.core.alignment.Rollout;
import dev.llmcalc.core.unit.DType;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

/** Body of {@code POST /api/v1/alignment}. */
public record AlignmentRequest(
        @Schema(description = "SFT, REWARD_MODEL, DPO, PPO or GRPO (RLOO and REINFORCE++ keep GRPO's models)",
                example = "DPO") @NotNull Algorithm algorithm,
        @Schema(description = "the policy; every other role has its shape (reward and critic with a scalar head)")
        @NotNull @Valid ModelSpec model,
        @Schema(description = "the trained roles' precision, optimizer and ZeRO stage; method and lora apply to the "
                + "policy") @Valid TrainingSpec training,
        @Schema(description = "the layout every role shares (colocated)") @Valid ParallelismSpec parallelism,
        @Schema(description = "[the training's weight format] storage of the frozen roles and the generation engine",
                example = "BF16") DType frozenPrecision,
        @Schema(description = "[false] with LORA / QLORA keep a separate reference instead of the policy's frozen base")
        Boolean separateReference,
        @Schema(description = "PPO / GRPO: the generation phase") @Valid RolloutSpec rollout,
        @Schema(description = "optional GPU for the generation's cache budget and the phases' times",
                example = "h100-sxm-80gb") @Valid GpuChoice gpu,
        @Schema(description = "the training phase's batch: sequences (DPO: preference pairs) per micro-batch and per "
                + "optimizer step, and their length (prompt + response); without it, model states only") @Valid BatchSpec batch,
        @Schema(description = "what the trained roles keep for backward") @Valid ActivationsSpec activations,
        @Schema(description = "[1] PPO / GRPO: passes over the rollout's sequences (ppo_epochs)", example = "1")
        @Positive @Max(1000) Integer epochs,
        @Schema(description = "the whole run, for totals: needs a batch and a GPU") @Valid AlignmentRunSpec run,
        @Schema(description = "what CI asserts; the answer's pass and violations")
        @Valid AlignmentRequirementsSpec requirements,
        @Schema(description = "roles whose model, training, storage or (SEPARATE) layout differ from the policy's")
        @Valid RolesSpec roles,
        @Schema(description = "[COLOCATED] every role on the same GPUs, or SEPARATE: each on its own GPUs "
                + "(roles.<role>.parallelism; the generation on the policy's)") Placement placement,
        @Schema(description = "optional: the run's GPUs, checked against the layouts (SEPARATE: the sum of every "
                + "role's)", example = "8") @Positive Long gpuCount) {

    /** The roles besides the policy. */
    public record RolesSpec(@Valid RoleSpec reference, @Valid RoleSpec reward, @Valid RoleSpec critic) {
    }

    /** One role's own model (before the scalar head), training (trained roles) or storage (frozen roles). */
    public record RoleSpec(
            @Schema(description = "[the policy] its model: preset, architecture or huggingFaceConfig") @Valid ModelSpec model,
            @Schema(description = "a trained role's precision, optimizer and ZeRO stage (method FULL)") @Valid TrainingSpec training,
            @Schema(description = "a frozen role's storage format", example = "BF16") DType precision,
            @Schema(description = "SEPARATE placement: the layout of the role's own GPUs [the policy's]")
            @Valid ParallelismSpec parallelism) {
    }

    /** The whole run. */
    public record AlignmentRunSpec(
            @Schema(description = "prompts (PPO, GRPO), preference pairs (DPO) or sequences (SFT, REWARD_MODEL) in the run",
                    example = "100000") @NotNull @Positive Long examples,
            @Schema(description = "price of one GPU-hour, for the cost", example = "2.5") @Positive Double pricePerGpuHour) {
    }

    /** Requirements on one step. */
    public record AlignmentRequirementsSpec(
            @Schema(description = "[1.0] the training phase's peak ≤ this × the GPU's memory")
            @DecimalMin(value = "0", inclusive = false) @DecimalMax("1") Double maxMemoryFraction,
            @Schema(description = "the step's seconds at most this") @Positive Double maxStepSeconds) {
    }

    /** The rollout of a PPO / GRPO step. */
    public record RolloutSpec(
            @Schema(description = "prompts per step", example = "64") @NotNull @Positive Long prompts,
            @Schema(description = "tokens per prompt", example = "512") @NotNull @Positive Long promptLength,
            @Schema(description = "tokens generated per response", example = "1024") @NotNull @Positive Long responseLength,
            @Schema(description = "[1] responses per prompt (GRPO's group size)", example = "8") @Positive Long samplesPerPrompt,
            @Schema(description = "[0.9] share of GPU memory for the generation's weights and KV cache (vLLM's "
                    + "gpu_memory_utilization)") @DecimalMin(value = "0", inclusive = false) @DecimalMax("1")
            Double cacheMemoryFraction) {

        Rollout toCore() {
            return new Rollout(this.prompts, this.promptLength, this.responseLength,
                    this.samplesPerPrompt != null ? this.samplesPerPrompt : 1,
                    this.cacheMemoryFraction != null ? this.cacheMemoryFraction : Rollout.DEFAULT_CACHE_MEMORY_FRACTION);
        }
    }
}
