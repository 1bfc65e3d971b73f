package dev.llmcalc.core.plan;

import static dev.llmcalc.core.unit.InvalidInputException.require;

/**
 * What a plan must satisfy; a null field is not checked.
 *
 * @param maxMemoryFraction per-GPU total ≤ this fraction of the GPU's memory
 * @param maxStepSeconds step time ≤ this
 * @param maxTrainingDays days to train on {@code tokens} ≤ this
 * @param tokens the token budget the training days are computed for
 * @param minMfu MFU ≥ this
 * @param minHeadroomBytes GPU memory − per-GPU total ≥ this
 * @param maxHostBytesPerNode offloaded bytes in a node's host memory (its GPUs' ranks together) ≤ this
 * @param maxNvmeBytesPerNode offloaded bytes on a node's NVMe ≤ this
 */
public record Requirements(Double maxMemoryFraction, Double maxStepSeconds, Double maxTrainingDays, Long tokens,
        Double minMfu, Long minHeadroomBytes, Long maxHostBytesPerNode, Long maxNvmeBytesPerNode) {

    /** Nothing but the GPU's memory is checked. */
    public static final Requirements NONE = new Requirements(null, null, null, null, null, null, null, null);

    public Requirements {
        require(maxMemoryFraction == null || (maxMemoryFraction > 0 && maxMemoryFraction <= 1),
                "requirements.maxMemoryFraction", "must be greater than 0 and at most 1");
        require(maxStepSeconds == null || maxStepSeconds > 0, "requirements.maxStepSeconds", "must be positive");
        require(maxTrainingDays == null || maxTrainingDays > 0, "requirements.maxTrainingDays", "must be positive");
        require(maxTrainingDays == null || tokens != null, "requirements.tokens",
                "is required with maxTrainingDays (the token budget to train on)");
        require(tokens == null || tokens > 0, "requirements.tokens", "must be positive");
        require(minMfu == null || (minMfu > 0 && minMfu <= 1), "requirements.minMfu", "must be between 0 and 1");
        require(minHeadroomBytes == null || minHeadroomBytes >= 0, "requirements.minHeadroomBytes",
                "must not be negative");
        require(maxHostBytesPerNode == null || maxHostBytesPerNode > 0, "requirements.maxHostBytesPerNode",
                "must be positive");
        require(maxNvmeBytesPerNode == null || maxNvmeBytesPerNode > 0, "requirements.maxNvmeBytesPerNode",
                "must be positive");
    }
}
