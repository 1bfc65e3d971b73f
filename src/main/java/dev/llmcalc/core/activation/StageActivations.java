package dev.llmcalc.core.activation;

/**
 * Activations held by one GPU of a pipeline stage at its fullest moment.
 *
 * @param pipelineStage 0-based stage
 * @param layers transformer layers on the stage
 * @param inFlightMicroBatches micro-batches whose activations the stage holds at once under 1F1B
 * @param keptBytes everything kept for backward at the start of the first backward step
 * @param transientBytes the largest short-lived addition: the layer rebuilt under full recomputation or the logits
 * @param denseLayers of its layers, those with a dense FFN
 * @param hostBytes with checkpoints offloaded ({@code offloadCheckpoints}), the layers' checkpoints held in host memory
 *        instead ({@code keptBytes} then counts the two on their way); 0 otherwise
 */
public record StageActivations(int pipelineStage, int layers, long inFlightMicroBatches, long keptBytes,
        long transientBytes, int denseLayers, long hostBytes) {

    public long peakBytes() {
        return Math.addExact(this.keptBytes, this.transientBytes);
    }
}
