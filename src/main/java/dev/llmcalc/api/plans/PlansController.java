package dev.llmcalc.api.plans;

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
import dev.llmcalc.core.activation.AttentionKernel;
import dev.llmcalc.core.activation.BatchShape;
import dev.llmcalc.core.activation.Recomputation;
import dev.llmcalc.core.hardware.Cluster;
import dev.llmcalc.core.memory.FrameworkAllowance;
import dev.llmcalc.core.memory.Training;
import dev.llmcalc.core.memory.TrainingMemory;
import dev.llmcalc.core.memory.TrainingMemoryCalculator;
import dev.llmcalc.core.memory.ZeroStage;
import dev.llmcalc.core.plan.Layout;
import dev.llmcalc.core.plan.Plan;
import dev.llmcalc.core.plan.PlanConstraints;
import dev.llmcalc.core.plan.PlanResult;
import dev.llmcalc.core.plan.PlanSearch;
import dev.llmcalc.core.plan.Planner;
import dev.llmcalc.core.unit.Units;
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
        return this.metrics.search(() -> search(request), PlanResponse::evaluated);
    }

    /** The search behind the endpoint (also used by the command line). */
    static PlanResponse search(PlanRequest request) {
        ResolvedModel model = ModelResolver.resolve(request.model(), "model");
        BatchShape batch = BatchSpec.toCore(request.batch());
        if (batch.globalBatchSize() == 0) {
            throw new BadRequestException("batch.globalBatchSize", "is required for a plan search");
        }
        Cluster cluster = request.cluster().toCore("cluster");
        TrainingSpec training = request.training() != null ? request.training() : new TrainingSpec(null, null, null);
        Training base = TrainingSpec.toCore(training);
        ActivationsSpec activations = request.activations();
        if (activations != null && (Boolean.TRUE.equals(activations.dropout())
                || Boolean.TRUE.equals(activations.residualDropout()) || activations.sequenceParallel() != null
                || Boolean.FALSE.equals(activations.lossInFp32()))) {
            throw new BadRequestException("activations", "a plan search takes only 'attention' and 'recomputation': "
                    + "it turns sequence parallelism on with tensor parallelism and assumes no dropout and an fp32 loss");
        }
        AttentionKernel attention = activations != null && activations.attention() != null ? activations.attention()
                : AttentionKernel.FLASH;
        List<Recomputation> modes = activations != null && activations.recomputation() != null
                ? List.of(activations.recomputation()) : List.of(Recomputation.values());
        List<ZeroStage> stages = training.zeroStage() != null ? List.of(base.zeroStage()) : List.of(ZeroStage.values());
        ConstraintsSpec c = request.constraints() != null ? request.constraints()
                : new ConstraintsSpec(null, null, null, null, null);
        PlanConstraints constraints = new PlanConstraints(
                c.maxTensor() != null ? c.maxTensor() : cluster.gpusPerNode(),
                c.maxPipeline() != null ? c.maxPipeline() : model.architecture().numLayers(),
                c.maxContext() != null ? c.maxContext() : cluster.gpusPerNode(),
                c.maxMicroBatchSize() != null ? c.maxMicroBatchSize() : ConstraintsSpec.DEFAULT_MAX_MICRO_BATCH,
                c.maxMemoryFraction() != null ? c.maxMemoryFraction() : 1.0, stages, modes);
        FrameworkAllowance allowance = AllowanceSpec.toCore(request.allowance());
        PlanSearch search = new PlanSearch(model.architecture(), batch.sequenceLength(), batch.globalBatchSize(),
                base.precision(), base.optimizer(), attention, cluster, constraints,
                request.efficiency() != null ? request.efficiency() : PlanSearch.DEFAULT_EFFICIENCY,
                request.limit() != null ? request.limit() : PlanSearch.DEFAULT_LIMIT, allowance);
        PlanResult result = Planner.search(search);
        List<PlanResponse.PlanView> plans = result.plans().stream().map((plan) -> view(search, plan)).toList();
        return new PlanResponse(model.source(), cluster.gpu().id(), cluster.gpu().memoryBytes(), cluster.gpuCount(),
                plans, result.rejected(), result.evaluated(), result.fitting(), result.communicationEvaluated(),
                result.assumptions());
    }

    private static PlanResponse.PlanView view(PlanSearch search, Plan plan) {
        Layout layout = plan.layout();
        // the memory breakdown of a returned plan, by the same calculation as /memory/training
        TrainingMemory memory = TrainingMemoryCalculator.estimate(search.model(),
                new BatchShape(layout.microBatchSize(), search.sequenceLength(), search.globalBatchSize()),
                new Training(search.precision(), search.optimizer(), layout.zeroStage()),
                new ActivationOptions(layout.recomputation(), search.attention(), layout.sequenceParallel(), false,
                        false, true, search.precision().activations()),
                layout.parallelism(), search.allowance(), 0);
        return new PlanResponse.PlanView(ParallelismSpec.from(layout.parallelism()), layout.zeroStage().number(),
                layout.recomputation(), layout.sequenceParallel(), layout.microBatchSize(), plan.microBatches(),
                plan.perGpuBytes(), Units.toGiB(plan.perGpuBytes()),
                search.cluster().gpu().memoryBytes() - plan.perGpuBytes(),
                new PlanResponse.Memory(memory.modelStates().totalBytes(), memory.activationsBytes(),
                        memory.transientBytes(), memory.frameworkBytes(), memory.pipelineStage()),
                plan.step(), plan.mfu());
    }
}
