package dev.llmcalc.api.plans;

import java.util.List;

import dev.llmcalc.api.ActivationsSpec;
import dev.llmcalc.api.AllowanceSpec;
import dev.llmcalc.api.BadRequestException;
import dev.llmcalc.api.BatchSpec;
import dev.llmcalc.api.ModelResolver;
import dev.llmcalc.api.ParallelismSpec;
import dev.llmcalc.api.ResolvedModel;
import dev.llmcalc.api.ResolvedRun;
import dev.llmcalc.api.TrainingSpec;
import dev.llmcalc.core.hardware.Cluster;
import dev.llmcalc.core.memory.FrameworkAllowance;
import dev.llmcalc.core.memory.TrainingMemory;
import dev.llmcalc.core.plan.CapacityCheck.CheckResult;
import dev.llmcalc.core.plan.CapacityCheck;
import dev.llmcalc.core.plan.Layout;
import dev.llmcalc.core.plan.Plan;
import dev.llmcalc.core.plan.PlanConstraints;
import dev.llmcalc.core.plan.PlanResult;
import dev.llmcalc.core.plan.PlanSearch;
import dev.llmcalc.core.plan.Planner;
import dev.llmcalc.core.run.AttentionKernel;
import dev.llmcalc.core.run.BatchShape;
import dev.llmcalc.core.run.Training;
import dev.llmcalc.core.run.TrainingRun;
import dev.llmcalc.core.unit.InvalidInputException;
import dev.llmcalc.core.unit.Units;

/**
 * Plan searches and capacity checks, from a request to an answer: what the endpoints and the command line
 * ({@code dev.llmcalc.cli}) both run, so they cannot disagree.
 */
public final class Planning {

    private Planning() {
    }

    /** The search behind the endpoint (also used by the command line). */
    public static PlanResponse plan(PlanRequest request) {
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
                : PlanSearch.DEFAULT_ATTENTION;
        ConstraintsSpec c = request.constraints() != null ? request.constraints()
                : new ConstraintsSpec(null, null, null, null, null);
        PlanConstraints constraints = PlanConstraints.defaults(model.architecture(), cluster)
                .with(new PlanConstraints.Overrides(c.maxTensor(), c.maxPipeline(), c.maxContext(),
                        c.maxMicroBatchSize(), c.maxMemoryFraction(),
                        training.zeroStage() != null ? base.zeroStage() : null,
                        activations != null ? activations.recomputation() : null));
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
        TrainingMemory memory = Planner.memory(search, plan);
        return new PlanResponse.PlanView(ParallelismSpec.from(layout.parallelism()), layout.zeroStage().number(),
                layout.recomputation(), layout.sequenceParallel(), layout.microBatchSize(), plan.microBatches(),
                plan.perGpuBytes(), Units.toGiB(plan.perGpuBytes()),
                plan.headroomBytes(search.cluster().gpu().memoryBytes()),
                new PlanResponse.Memory(memory.modelStates().totalBytes(), memory.activationsBytes(),
                        memory.transientBytes(), memory.frameworkBytes(), memory.pipelineStage()),
                plan.step().totalSeconds(), plan.step(), plan.mfu());
    }

    /** The check behind the endpoint (also used by the command line). */
    public static CheckResponse check(CheckRequest request) {
        ResolvedRun resolved = ResolvedRun.resolve(request.model(), request.training(), request.batch(),
                request.activations(), request.parallelism(), request.cluster());
        TrainingRun run = resolved.run();
        if (run.batch().globalBatchSize() == 0) {
            throw new BadRequestException("batch.globalBatchSize", "is required to check a plan");
        }
        Cluster cluster = request.cluster().toCore("cluster", resolved.layout().gpuCount());
        double efficiency = request.efficiency() != null ? request.efficiency() : PlanSearch.DEFAULT_EFFICIENCY;
        CheckResult result;
        try {
            result = CapacityCheck.check(run, cluster, AllowanceSpec.toCore(request.allowance()), efficiency,
                    RequirementsSpec.toCore(request.requirements()));
        }
        catch (InvalidInputException ex) {
            throw TrainingSpec.named(ex);
        }
        TrainingMemory memory = result.memory();
        return new CheckResponse(result.pass(), result.violations(),
                new CheckResponse.Estimate(resolved.model().source(), cluster.gpu().id(),
                        ParallelismSpec.from(run.parallelism()), memory.totalBytes(), memory.modelStates().totalBytes(),
                        memory.activationsBytes(), memory.transientBytes(), memory.frameworkBytes(),
                        cluster.gpu().memoryBytes(), memory.headroomBytes(), memory.memoryFraction(),
                        memory.pipelineStage(), result.microBatches(), result.step(), result.mfu(),
                        result.trainingDays()),
                resolved.withLayoutAssumptions(result.assumptions()));
    }
}
