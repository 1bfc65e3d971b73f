package dev.llmcalc.api.compute;

import dev.llmcalc.core.compute.ChinchillaFit;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "compute", description = "Training FLOPs, time and cost")
class ScalingLawController {

    @PostMapping(path = "/api/v1/scaling-law", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Chinchilla loss of a model and data size, and the compute-optimal split of a FLOP budget")
    ScalingLawResponse scalingLaw(@Valid @RequestBody ScalingLawRequest request) {
        ChinchillaFit fit = ChinchillaFit.APPROACH_3;
        return ScalingLawResponse.of(request, fit, request.estimate(fit));
    }
}
