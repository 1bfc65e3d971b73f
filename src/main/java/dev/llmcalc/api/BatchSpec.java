package dev.llmcalc.api;

import dev.llmcalc.core.run.BatchShape;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Positive;

/** The {@code batch} object. */
@Schema(description = "Batch shape: micro-batch per data-parallel rank, sequence length, optional global batch")
public record BatchSpec(
        @Schema(description = "[1] sequences per micro-batch on one data-parallel rank", example = "1") @Positive Long microBatchSize,
        @Schema(description = "tokens per sequence (required by the memory endpoints; compute defaults to 2048)",
                example = "4096") @Positive Long sequenceLength,
        @Schema(description = "sequences per optimizer step over all data-parallel ranks (sets the micro-batches in flight)",
                example = "1024") @Positive Long globalBatchSize) {

    /** The batch for a memory calculation, which needs the sequence length. */
    public static BatchShape toCore(BatchSpec spec) {
        if (spec == null) {
            throw new BadRequestException("batch", "is required: {\"sequenceLength\": ...}");
        }
        if (spec.sequenceLength == null) {
            throw new BadRequestException("batch.sequenceLength", "is required");
        }
        return spec.toCore();
    }

    private BatchShape toCore() {
        return new BatchShape(this.microBatchSize != null ? this.microBatchSize : 1, this.sequenceLength,
                this.globalBatchSize != null ? this.globalBatchSize : 0);
    }

    public static BatchSpec from(BatchShape shape) {
        return new BatchSpec(shape.microBatchSize(), shape.sequenceLength(),
                shape.globalBatchSize() > 0 ? shape.globalBatchSize() : null);
    }
}
