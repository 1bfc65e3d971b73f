package dev.llmcalc.api.models;

import java.util.List;
import java.util.Map;

import dev.llmcalc.api.ModelResolver;
import dev.llmcalc.core.model.ModelPresets;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "models", description = "Model catalog and exact Hugging Face config.json import")
class ModelsController {

    @GetMapping(path = "/api/v1/models", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Every catalog model with its exact parameter count and the count's source")
    List<ModelSummary> models() {
        return ModelPresets.all().stream().map(ModelSummary::of).toList();
    }

    @GetMapping(path = "/api/v1/models/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "One catalog model (id matched case-insensitively) with its architecture and breakdown")
    @ApiResponse(responseCode = "200", description = "The model")
    @ApiResponse(responseCode = "404", description = "Unknown id (with the closest known ids)",
            content = @Content(mediaType = "application/problem+json",
                    schema = @Schema(ref = "#/components/schemas/Problem")))
    ModelDetail model(@PathVariable String id) {
        return ModelDetail.of(ModelResolver.preset(id, "id"));
    }

    @PostMapping(path = "/api/v1/models/import", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Read a Hugging Face config.json (the body, as published) and count its parameters exactly",
            description = "Counts the trainable parameters of the *ForCausalLM module transformers builds from the "
                    + "config: tied weights once, buffers excluded, DeepSeek's multi-token-prediction layers excluded. "
                    + "Errors name the config key: 400 for a wrong type or an out-of-range number, 422 for a missing "
                    + "required field, an impossible combination, or a part the count would leave out or guess (an "
                    + "unknown model_type) unless approximate=true. A multimodal Llama 4 config counts its language "
                    + "model; the vision tower is counted apart in otherModules.")
    ImportResponse importConfig(@RequestBody Map<String, Object> config,
            @Parameter(description = "accept a count that leaves out or guesses parts of the model (an unknown "
                    + "model_type), with a warning for each, instead of a 422 naming them")
            @RequestParam(name = "approximate", defaultValue = "false") boolean approximate) {
        return ImportResponse.of(ModelResolver.importHuggingFaceConfig(config, "", approximate));
    }
}
