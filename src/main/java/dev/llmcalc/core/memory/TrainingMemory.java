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
 * @param adapterStates a LoRA / QLoRA run's model states on that GPU (frozen weights, adapters, dequantization
 *        buffer) behind {@code modelStates}, or {@code null} for full training
 */
public record TrainingMemory(int pipelineStage, ModelStateBytes modelStates, long activationsBytes,
        long transientBytes, long frameworkBytes, long totalBytes, ActivationEstimate activations, long gpuMemoryBytes,
        Long maxMicroBatchSize, Long maxSequenceLength, FrameworkAllowance allowance, FineTuningStates adapterStates) {

    /** What the total assumes, in words (built on demand). */
    public List<String> assumptions() {
        return TrainingMemoryCalculator.assumptions(this.allowance, this.gpuMemoryBytes);
    }

    /** The same total with a LoRA / QLoRA run's states of that GPU attached. */
    TrainingMemory withAdapterStates(FineTuningStates states) {
        return new TrainingMemory(this.pipelineStage, this.modelStates, this.activationsBytes, this.transientBytes,
                this.frameworkBytes, this.totalBytes, this.activations, this.gpuMemoryBytes, this.maxMicroBatchSize,
                this.maxSequenceLength, this.allowance, states);
    }

    public boolean gpuKnown() {
        return this.gpuMemoryBytes > 0;
    }

    /** Whether the total fits the GPU (null when no GPU was given). */
    public Boolean fits() {
        return gpuKnown() ? this.totalBytes <= this.gpuMemoryBytes : null;
    }

    /** The total as a fraction of the GPU's memory (null when no GPU was given). */
    public Double memoryFraction() {
        return gpuKnown() ? this.totalBytes / (double) this.gpuMemoryBytes : null;
    }

    /** GPU memory minus the total; negative when it does not fit (null when no GPU was given). */
    public Long headroomBytes() {
        return gpuKnown() ? this.gpuMemoryBytes - this.totalBytes : null;
    }
}
