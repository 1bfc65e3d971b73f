package dev.llmcalc.core.alignment;

import static dev.llmcalc.core.unit.InvalidInputException.require;

import dev.llmcalc.core.unit.Exact;
import dev.llmcalc.core.unit.Units;

/**
 * A whole alignment run: its steps at the step time of one.
 *
 * @param steps alignment steps (⌈prompts ÷ prompts per step⌉ for PPO / GRPO, ⌈pairs or sequences ÷ global batch⌉
 *        otherwise)
 * @param seconds steps × step seconds
 * @param gpuHours GPUs × seconds ÷ 3600
 * @param cost GPU-hours × price, or {@code null} without a price
 */
public record AlignmentTotals(long steps, double seconds, double gpuHours, Double cost) {

    /**
     * @param items prompts (PPO, GRPO) or pairs / sequences (DPO, SFT, REWARD_MODEL) of the whole run
     * @param perStep of them per step
     * @param pricePerGpuHour or {@code null}
     */
    public static AlignmentTotals of(long items, long perStep, double stepSeconds, long gpus, Double pricePerGpuHour) {
        require(items >= 1, "run.items", "must be at least 1");
        require(pricePerGpuHour == null || pricePerGpuHour > 0, "run.pricePerGpuHour", "must be positive");
        long steps = Exact.ceilDiv(items, perStep);
        double seconds = steps * stepSeconds;
        // GPU-hours = n · seconds / 3600 (as /compute)
        double gpuHours = gpus * seconds / Units.SECONDS_PER_HOUR;
        return new AlignmentTotals(steps, seconds, gpuHours, pricePerGpuHour != null ? gpuHours * pricePerGpuHour : null);
    }

    public double days() {
        return this.seconds / Units.SECONDS_PER_DAY;
    }
}
