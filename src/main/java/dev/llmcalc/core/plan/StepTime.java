package dev.llmcalc.core.plan;

import dev.llmcalc.core.hardware.KernelEfficiency;

/**
 * Seconds of one optimizer step on the slowest GPU, and what they are made of.
 *
 * @param computeSeconds the slowest pipeline stage's micro-batches (m × its micro-batch seconds) and its optimizer
 *        step: {@code kernels}' sum
 * @param bubbleSeconds 1F1B fill and drain: one micro-batch through the other stages, ÷ v when interleaved
 * @param exposedCommunicationSeconds communication not hidden behind compute
 * @param exposedCommunication the same by parallelism (data, tensor, pipeline, expert, context) and which exposes the
 *        most
 * @param offloadSeconds what ZeRO-Offload / ZeRO-Infinity adds: the CPU optimizer step, host-link and NVMe transfers
 *        not hidden behind compute ({@code offload}'s exposed seconds; 0 without offload)
 * @param totalSeconds the sum
 * @param kernels the compute seconds by operator class
 * @param offload the offload seconds by part ({@code null} without offload)
 * @param bound what the step time is mostly spent on: {@code compute}, {@code bubble}, {@code communication} or
 *        {@code offload} ({@code exposedCommunication.largest} says which communication)
 * @param kernelEfficiency the shares of the GPU's peaks the kernels were priced at, and their source
 */
public record StepTime(double computeSeconds, double bubbleSeconds, double exposedCommunicationSeconds,
        ExposedCommunication exposedCommunication, double offloadSeconds, double totalSeconds, KernelSeconds kernels,
        OffloadTime offload, String bound, KernelEfficiency kernelEfficiency) {

    /**
     * The compute seconds of a step by operator class: the slowest stage's m micro-batches, and its optimizer step.
     *
     * @param matmulSeconds GEMMs (projections, FFN or experts, router, LM head, LoRA adapters), forward and backward
     * @param attentionSeconds the attention core (QKᵀ and P·V), forward and backward
     * @param memoryBoundSeconds element-wise kernels (norms, activation functions, bias + dropout + residual, eager
     *        softmax, cross-entropy), forward and backward, and the gradients' accumulation over the micro-batches
     *        where the weight-gradient GEMMs do not do it (part of the backward the overlap windows use)
     * @param recomputationSeconds what the backward pass runs again
     * @param optimizerSeconds the optimizer step over the GPU's local (ZeRO-partitioned) states
     * @param forwardSeconds the forward passes' part of the first four (not a class of its own: the overlap windows
     *        that hide behind the forward use it)
     */
    public record KernelSeconds(double matmulSeconds, double attentionSeconds, double memoryBoundSeconds,
            double recomputationSeconds, double optimizerSeconds, double forwardSeconds) {

        /** Seconds whose forward is taken as a third of the passes without recomputation (the backward twice it). */
        public KernelSeconds(double matmulSeconds, double attentionSeconds, double memoryBoundSeconds,
                double recomputationSeconds, double optimizerSeconds) {
            this(matmulSeconds, attentionSeconds, memoryBoundSeconds, recomputationSeconds, optimizerSeconds,
                    (matmulSeconds + attentionSeconds + memoryBoundSeconds) / 3);
        }

        static KernelSeconds of(OperatorTime.MicroBatchSeconds slowest, long microBatches, double optimizerSeconds) {
            return of(slowest, microBatches, optimizerSeconds, 0);
        }

        /** The same, with the gradients' accumulation over the micro-batches among the element-wise kernels. */
        static KernelSeconds of(OperatorTime.MicroBatchSeconds slowest, long microBatches, double optimizerSeconds,
                double accumulationSeconds) {
            return new KernelSeconds(slowest.matmul() * microBatches, slowest.attention() * microBatches,
                    slowest.memoryBound() * microBatches + accumulationSeconds, slowest.recomputation() * microBatches,
                    optimizerSeconds, slowest.forward() * microBatches);
        }

        public double totalSeconds() {
            return this.matmulSeconds + this.attentionSeconds + this.memoryBoundSeconds + this.recomputationSeconds
                    + this.optimizerSeconds;
        }

        /** The forward and backward passes: everything but the optimizer step. */
        double passSeconds() {
            return totalSeconds() - this.optimizerSeconds;
        }

        /** The backward passes, recomputation included (it runs as part of the backward). */
        double backwardSeconds() {
            return passSeconds() - forwardSeconds();
        }
    }

    /** A step without offload. */
    static StepTime of(KernelSeconds kernels, double bubble, ExposedCommunication exposed,
            KernelEfficiency efficiency) {
        return of(kernels, bubble, exposed, null, efficiency);
    }

    /** @param offload the run's offload time, {@code null} without offload */
    static StepTime of(KernelSeconds kernels, double bubble, ExposedCommunication exposed, OffloadTime offload,
            KernelEfficiency efficiency) {
        double communication = exposed.total();
        double compute = kernels.totalSeconds();
        double offloaded = offload != null ? offload.exposedSeconds() : 0;
        String bound = compute >= bubble && compute >= communication && compute >= offloaded ? "compute"
                : bubble >= communication && bubble >= offloaded ? "bubble"
                : communication >= offloaded ? "communication" : "offload";
        return new StepTime(compute, bubble, communication, exposed, offloaded,
                compute + bubble + communication + offloaded, kernels, offload, bound, efficiency);
    }
}
