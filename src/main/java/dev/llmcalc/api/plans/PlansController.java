package dev.llmcalc.api.plans;

import dev.llmcalc.ops.PlannerMetrics;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "plans", description = "Parallel-layout search and capacity checks")
class PlansController {

    private final PlannerMetrics metrics;

    PlansController(PlannerMetrics metrics) {
        this.metrics = metrics;
    }

    @PostMapping(path = "/api/v1/plans", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Search every parallel layout of the cluster (tensor × context × pipeline × data × expert, "
            + "ZeRO stage, recomputation, micro-batch) and return the fastest that fit, with why the others did not")
    PlanResponse plans(@Valid @RequestBody PlanRequest request) {
        return this.metrics.search(() -> Planning.plan(request), PlanResponse::evaluated);
    }
}
