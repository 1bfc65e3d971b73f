package dev.llmcalc.api.plans;

import dev.llmcalc.core.plan.Requirements;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;

/** What a plan must satisfy; omitted fields are not checked (memory is always checked against 100 %). */
@Schema(description = "Requirements; omitted ones are not checked, except that the plan must fit the GPU")
public record RequirementsSpec(
        @Schema(description = "[1.0] per-GPU total ≤ this fraction of the GPU's memory", example = "0.9")
        @DecimalMin(value = "0", inclusive = false) @DecimalMax("1") Double maxMemoryFraction,
        @Schema(description = "step time ≤ this many seconds") @Positive Double maxStepSeconds,
        @Schema(description = "days to train on 'tokens' ≤ this (needs tokens)") @Positive Double maxTrainingDays,
        @Schema(description = "token budget for maxTrainingDays", example = "2000000000000") @Positive Long tokens,
        @Schema(description = "MFU ≥ this") @DecimalMin(value = "0", inclusive = false) @DecimalMax("1") Double minMfu,
        @Schema(description = "GPU memory − per-GPU total ≥ this many bytes") @PositiveOrZero Long minHeadroomBytes,
        @Schema(description = "with training.offload: the bytes offloaded to a node's host memory (all its GPUs' "
                + "ranks) ≤ this", example = "2000000000000") @Positive Long maxHostBytesPerNode,
        @Schema(description = "with training.offload to NVME: the bytes on a node's NVMe ≤ this") @Positive
        Long maxNvmeBytesPerNode) {

    static Requirements toCore(RequirementsSpec spec) {
        if (spec == null) {
            return Requirements.NONE;
        }
        return new Requirements(spec.maxMemoryFraction, spec.maxStepSeconds, spec.maxTrainingDays, spec.tokens,
                spec.minMfu, spec.minHeadroomBytes, spec.maxHostBytesPerNode, spec.maxNvmeBytesPerNode);
    }
}
