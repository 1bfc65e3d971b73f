package dev.llmcalc.api.parameters;

import java.util.List;

import dev.llmcalc.api.ArchitectureSpec;
import dev.llmcalc.api.FineTuningView;
import dev.llmcalc.api.FormulaView;
import dev.llmcalc.api.ModelResolver;
import dev.llmcalc.api.ResolvedModel;
import dev.llmcalc.api.TrainingSpec;
import dev.llmcalc.core.params.ParameterCount;
import dev.llmcalc.core.params.ParameterCounter;
import dev.llmcalc.core.run.AdapterCounter;
import dev.llmcalc.core.run.FineTuning;
import dev.llmcalc.core.unit.InvalidInputException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "parameters", description = "Exact parameter counts")
class ParametersController {

    private static final List<String> ASSUMPTIONS = List.of(
            "Counts the unique trainable parameters of the Hugging Face *ForCausalLM module: tied weights once, "
                    + "buffers (rotary inv_freq, causal masks) excluded.",
            "Active parameters per token count the k routed experts a token is sent to, shared experts, "
                    + "attention, router, norms, embedding and LM head.",
            "Non-embedding parameters exclude the token embedding, learned position table and an untied LM head.");

    @PostMapping(path = "/api/v1/parameters", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Count a model's parameters exactly, with the document's Φ formula beside the count; with "
            + "training.method LORA or QLORA also the trainable adapter and frozen base parameters")
    ParametersResponse parameters(@Valid @RequestBody ParametersRequest request) {
        ResolvedModel model = ModelResolver.resolve(request.model(), "model");
        ParameterCount count = ParameterCounter.count(model.architecture());
        FineTuningView fineTuning = null;
        if (request.training() != null) {
            FineTuning tuning = request.training().fineTuning();
            try {
                fineTuning = FineTuningView.of(tuning, AdapterCounter.count(model.architecture(), tuning));
            }
            catch (InvalidInputException ex) {
                throw TrainingSpec.named(ex);
            }
        }
        return new ParametersResponse(model.source(), ArchitectureSpec.from(model.architecture()),
                count.totalParameters(), count.activeParametersPerToken(), count.nonEmbeddingParameters(),
                count.expertParameters(), count.breakdown(), FormulaView.of(count.documentFormula()), ASSUMPTIONS,
                model.warnings().isEmpty() ? null : model.warnings(), fineTuning);
    }
}
