package dev.llmcalc.core.run;

import static dev.llmcalc.core.unit.InvalidInputException.require;

import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.unit.Exact;
import dev.llmcalc.core.unit.InvalidInputException;

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

    /**
     * m = global batch / (micro-batch × data parallel) (Narayanan et al. 2021 §2.2), or 0 when the global batch is
     * not given.
     */
    public long microBatchesPerStep(int data) {
        if (this.globalBatchSize == 0) {
            return 0;
        }
        long perStep = Exact.multiply("microBatches", this.microBatchSize, data);
        // messages built only on failure: a layout search calls this for every candidate
        if (this.globalBatchSize % perStep != 0) {
            throw new InvalidInputException("batch.globalBatchSize",
                    "must be a multiple of microBatchSize × parallelism.data (" + perStep + ")");
        }
        return this.globalBatchSize / perStep;
    }

    /**
     * The tokens of a sequence on one context-parallel rank, s/c (Megatron-Core context parallelism); with sequence
     * parallelism they must also split evenly over the t tensor-parallel ranks (Korthikanti et al. 2022 §4.2.2).
     */
    public long localSequenceLength(Parallelism par, boolean sequenceParallel) {
        // messages built only on failure: a layout search calls this for every candidate
        if (this.sequenceLength % par.context() != 0) {
            throw new InvalidInputException("batch.sequenceLength",
                    "must be divisible by parallelism.context (" + par.context() + ")");
        }
        long local = this.sequenceLength / par.context();
        if (sequenceParallel && local % par.tensor() != 0) {
            throw new InvalidInputException("batch.sequenceLength", "must be divisible by tensor × context ("
                    + (long) par.tensor() * par.context() + ") with sequence parallelism");
        }
        return local;
    }

    public BatchShape withMicroBatchSize(long b) {
        return new BatchShape(b, this.sequenceLength, this.globalBatchSize);
    }

    public BatchShape withSequenceLength(long s) {
        return new BatchShape(this.microBatchSize, s, this.globalBatchSize);
    }
}
