package dev.llmcalc.api;

import java.util.Map;

import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;

/** The {@code model} object: exactly one of {@code preset}, {@code architecture} or {@code huggingFaceConfig}. */
@Schema(description = "A model: exactly one of 'preset' (a catalog id), 'architecture' (its shape) or "
        + "'huggingFaceConfig' (its config.json)")
public record ModelSpec(
        @Schema(description = "catalog id, case-insensitive (GET /api/v1/models lists them)", example = "llama-2-7b")
        @Size(min = 1, max = 100) String preset,
        @Valid ArchitectureSpec architecture,
        @Schema(description = "the model's Hugging Face config.json as published (POST /api/v1/models/import shows "
                + "how it is read); errors name its keys under model.huggingFaceConfig.")
        Map<String, Object> huggingFaceConfig,
        @Schema(description = "[false] with huggingFaceConfig only: accept a count that leaves out or guesses parts of "
                + "the model (an unknown model_type), with a warning for each, instead of a 422 naming them")
        Boolean approximate) {

    /** Without a config.json (the two original forms). */
    public ModelSpec(String preset, ArchitectureSpec architecture) {
        this(preset, architecture, null, null);
    }

    /** A config.json read exactly. */
    public ModelSpec(String preset, ArchitectureSpec architecture, Map<String, Object> huggingFaceConfig) {
        this(preset, architecture, huggingFaceConfig, null);
    }
}
