package dev.llmcalc.api;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;

/** The {@code model} object: exactly one of {@code preset} or {@code architecture}. */
@Schema(description = "A model: exactly one of 'preset' (a catalog id) or 'architecture' (its shape)")
public record ModelSpec(
        @Schema(description = "catalog id, case-insensitive (GET /api/v1/models lists them)", example = "llama-2-7b")
        @Size(min = 1, max = 100) String preset,
        @Valid ArchitectureSpec architecture) {
}
