package dev.llmcalc.core.plan;

/**
 * Seconds of one optimizer step on the slowest GPU.
 *
 * @param computeSeconds the step's FLOPs (with recomputation) at peak × efficiency, spread over all GPUs
 * @param bubbleSeconds 1F1B pipeline bubble: compute × (p − 1)/m
 * @param exposedCommunicationSeconds communication not hidden behind compute
 * @param totalSeconds the sum
 */
public record StepTime(double computeSeconds, double bubbleSeconds, double exposedCommunicationSeconds,
        double totalSeconds) {

    static StepTime of(double compute, double bubble, double communication) {
        return new StepTime(compute, bubble, communication, compute + bubble + communication);
    }
}
