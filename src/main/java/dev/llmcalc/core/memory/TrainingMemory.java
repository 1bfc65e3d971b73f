package dev.llmcalc.core.memory;

import java.util.List;

import dev.llmcalc.core.activation.ActivationEstimate;

/**
 * Everything one GPU holds while training, for the most-loaded GPU.
 *
 * @param pipelineStage the stage of that GPU
 * @param modelStates its weights, gradients and optimizer states
 * @param activationsBytes activations kept for backward at the fullest moment
 * @param transientBytes the largest short-lived addition (a rebuilt layer under full recomputation, the logits)
 * @param frameworkBytes the allowance: CUDA context, communication buffers, fragmentation
 * @param totalBytes the sum
 * @param activations the activation estimate behind it
 * @param gpuMemoryBytes the GPU's memory, or 0 when no GPU was given
 * @param maxMicroBatchSize the largest micro-batch that fits that GPU with the rest unchanged (null without a GPU)
 * @param maxSequenceLength the longest sequence that fits (null without a GPU)
 * @param allowance the framework allowance applied
 */
public record TrainingMemory(int pipelineStage, ModelStateBytes modelStates, long activationsBytes,
        long transientBytes, long frameworkBytes, long totalBytes, ActivationEstimate activations, long gpuMemoryBytes,
        Long maxMicroBatchSize, Long maxSequenceLength, FrameworkAllowance allowance) {

    /** What the total assumes, in words (built on demand). */
    public List<String> assumptions() {
        return TrainingMemoryCalculator.assumptions(this.allowance, this.gpuMemoryBytes);
    }

    public boolean gpuKnown() {
        return this.gpuMemoryBytes > 0;
    }

    /** Whether the total fits the GPU (null when no GPU was given). */
    public Boolean fits() {
        return gpuKnown() ? this.totalBytes <= this.gpuMemoryBytes : null;
    }

    /** GPU memory minus the total; negative when it does not fit (null when no GPU was given). */
    public Long headroomBytes() {
        return gpuKnown() ? this.gpuMemoryBytes - this.totalBytes : null;
    }
}
