package dev.llmcalc.api.memory;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

import dev.llmcalc.api.ActivationsSpec;
import dev.llmcalc.api.BatchSpec;
import dev.llmcalc.api.ParallelismSpec;
import dev.llmcalc.api.TrainingSpec;
import io.swagger.v3.oas.annotations.media.Schema;

/** Answer of {@code POST /api/v1/memory/activations}. */
public record ActivationsResponse(
        @Schema(description = "the preset id or 'architecture'") String model,
        BatchSpec batch,
        @Schema(description = "the options used, every default written out") ActivationsSpec activations,
        ParallelismSpec parallelism,
        @Schema(description = "the training used: precision (activation dtype) and method, with LoRA options")
        TrainingSpec training,
        @Schema(description = "bytes per activation element") int activationBytes,
        @JsonUnwrapped ActivationsView estimate,
        List<String> assumptions) {
}
