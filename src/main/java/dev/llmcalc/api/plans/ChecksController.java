package dev.llmcalc.api.plans;

import java.util.ArrayList;
import java.util.List;

import dev.llmcalc.api.ActivationsSpec;
import dev.llmcalc.api.AllowanceSpec;
import dev.llmcalc.api.BadRequestException;
import dev.llmcalc.api.BatchSpec;
import dev.llmcalc.api.ModelResolver;
import dev.llmcalc.api.ParallelismSpec;
import dev.llmcalc.api.ResolvedModel;
import dev.llmcalc.api.TrainingSpec;
import dev.llmcalc.core.activation.ActivationOptions;
import dev.llmcalc.core.activation.BatchShape;
import dev.llmcalc.core.hardware.Cluster;
import dev.llmcalc.core.memory.Training;
import dev.llmcalc.core.memory.TrainingMemory;
import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.plan.CapacityCheck;
import dev.llmcalc.core.plan.CapacityCheck.CheckResult;
import dev.llmcalc.core.plan.PlanSearch;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "plans")
class ChecksController {

    @PostMapping(path = "/api/v1/checks", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    @Operation(summary = "Check a concrete plan against requirements (memory fraction, step time, training days, MFU, "
            + "headroom): 200 with pass and violations for any valid plan, 4xx only for bad input")
    CheckResponse check(@Valid @RequestBody CheckRequest request) {
        return run(request);
    }

    /** The check behind the endpoint (also used by the command line). */
    static CheckResponse run(CheckRequest request) {
        ResolvedModel model = ModelResolver.resolve(request.model(), "model");
        BatchShape batch = BatchSpec.toCore(request.batch());
        if (batch.globalBatchSize() == 0) {
            throw new BadRequestException("batch.globalBatchSize", "is required to check a plan");
        }
        Training training = TrainingSpec.toCore(request.training());
        ActivationOptions options = ActivationsSpec.toCore(request.activations(), model.architecture(), training);
        Parallelism parallelism = ParallelismSpec.toCore(request.parallelism());
        Cluster cluster = request.cluster().toCore("cluster");
        double efficiency = request.efficiency() != null ? request.efficiency() : PlanSearch.DEFAULT_EFFICIENCY;
        CheckResult result = CapacityCheck.check(model.architecture(), batch, training, options, parallelism, cluster,
                AllowanceSpec.toCore(request.allowance()), efficiency, RequirementsSpec.toCore(request.requirements()));
        TrainingMemory memory = result.memory();
        List<String> assumptions = new ArrayList<>(memory.assumptions());
        assumptions.add("Step time = compute (the step's FLOPs with recomputation at the dense BF16 peak × efficiency "
                + efficiency + ") + 1F1B bubble (p − 1)/(m·v) + the slowest stage's exposed communication.");
        return new CheckResponse(result.pass(), result.violations(),
                new CheckResponse.Estimate(model.source(), cluster.gpu().id(), ParallelismSpec.from(parallelism),
                        memory.totalBytes(), memory.modelStates().totalBytes(), memory.activationsBytes(),
                        memory.transientBytes(), memory.frameworkBytes(), cluster.gpu().memoryBytes(),
                        memory.headroomBytes(), memory.totalBytes() / (double) cluster.gpu().memoryBytes(),
                        memory.pipelineStage(), result.microBatches(), result.step(), result.mfu(),
                        result.trainingDays()),
                List.copyOf(assumptions));
    }
}
