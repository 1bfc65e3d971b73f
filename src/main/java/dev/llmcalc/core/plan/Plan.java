package dev.llmcalc.core.plan;

import dev.llmcalc.core.run.Precision;

/**
 * A layout that fits, with its estimates.
 *
 * @param layout the layout
 * @param microBatches micro-batches per step and data-parallel rank (m)
 * @param perGpuBytes total training memory of its most-loaded GPU
 * @param step its step time
 * @param mfu model FLOPs per step ÷ (step time × GPUs × dense peak)
 * @param precision the training precision it was searched at
 */
public record Plan(Layout layout, long microBatches, long perGpuBytes, StepTime step, double mfu,
        Precision precision) {

    /** What the GPU's memory leaves beyond the plan's per-GPU total. */
    public long headroomBytes(long gpuMemoryBytes) {
        return gpuMemoryBytes - this.perGpuBytes;
    }
}
