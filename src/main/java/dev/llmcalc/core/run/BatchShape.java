package dev.llmcalc.core.run;

import static dev.llmcalc.core.unit.InvalidInputException.require;

/**
 * @param microBatchSize b, sequences per micro-batch on one data-parallel rank
 * @param sequenceLength s, tokens per sequence
 * @param globalBatchSize sequences per optimizer step over all data-parallel ranks, or 0 when unknown
 */
public record BatchShape(long microBatchSize, long sequenceLength, long globalBatchSize) {

    public BatchShape {
        require(microBatchSize >= 1, "batch.microBatchSize", "must be at least 1");
        require(sequenceLength >= 1, "batch.sequenceLength", "must be at least 1");
        require(globalBatchSize >= 0, "batch.globalBatchSize", "must not be negative");
    }

    public BatchShape withMicroBatchSize(long b) {
        return new BatchShape(b, this.sequenceLength, this.globalBatchSize);
    }

    public BatchShape withSequenceLength(long s) {
        return new BatchShape(this.microBatchSize, s, this.globalBatchSize);
    }
}
