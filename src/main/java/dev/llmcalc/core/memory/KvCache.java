package dev.llmcalc.core.memory;

import static dev.llmcalc.core.unit.InvalidInputException.require;

import dev.llmcalc.core.unit.DType;

/**
 * A key/value cache to size: sequences in the batch, tokens per sequence, element format.
 */
public record KvCache(long batchSize, long sequenceLength, DType precision) {

    public KvCache {
        require(batchSize >= 1, "kvCache.batchSize", "must be at least 1");
        require(sequenceLength >= 1, "kvCache.sequenceLength", "must be at least 1");
        require(precision != null, "kvCache.precision", "is required");
    }
}
