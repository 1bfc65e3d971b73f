package dev.llmcalc.core.alignment;

import static dev.llmcalc.core.unit.InvalidInputException.require;

import dev.llmcalc.core.unit.Exact;

/**
 * The generation phase of a PPO / GRPO step.
 *
 * @param prompts prompts per step
 * @param promptLength tokens per prompt
 * @param responseLength tokens generated per response
 * @param samplesPerPrompt responses per prompt (GRPO's group size; 1 for PPO)
 * @param cacheMemoryFraction share of GPU memory the generation engine may use for weights and KV cache (vLLM's
 *        {@code gpu_memory_utilization})
 */
public record Rollout(long prompts, long promptLength, long responseLength, long samplesPerPrompt,
        double cacheMemoryFraction) {

    /** vLLM's default {@code gpu_memory_utilization}. */
    public static final double DEFAULT_CACHE_MEMORY_FRACTION = 0.9;

    public Rollout {
        require(prompts >= 1, "rollout.prompts", "must be at least 1");
        require(promptLength >= 1, "rollout.promptLength", "must be at least 1");
        require(responseLength >= 1, "rollout.responseLength", "must be at least 1");
        require(samplesPerPrompt >= 1, "rollout.samplesPerPrompt", "must be at least 1");
        require(cacheMemoryFraction > 0 && cacheMemoryFraction <= 1, "rollout.cacheMemoryFraction",
                "must be greater than 0 and at most 1");
    }

    /** Responses generated per step: prompts × samples per prompt. */
    public long sequences() {
        return Exact.multiply("rollout.sequences", this.prompts, this.samplesPerPrompt);
    }

    /** Tokens of one sequence once generated: prompt + response. */
    public long tokensPerSequence() {
        return Exact.add("rollout.tokens", this.promptLength, this.responseLength);
    }
}
