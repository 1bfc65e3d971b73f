package dev.llmcalc.api.compute;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Positive;

/**
 * The {@code batch} object of api.md. Compute only needs the sequence length (for the attention term);
 * the batch sizes are accepted so the same run description can be sent to every endpoint.
 */
@Schema(description = "Batch shape; compute uses sequenceLength only")
public record BatchSpec(
        @Schema(description = "sequences per GPU per micro-step (not used by compute)") @Positive Integer microBatchSize,
        @Schema(description = "s, tokens per sequence [2048]", example = "4096") @Positive Integer sequenceLength,
        @Schema(description = "sequences per optimizer step (not used by compute)") @Positive Integer globalBatchSize) {
}
