package dev.llmcalc.api.plans;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import dev.llmcalc.api.ActivationsSpec;
import dev.llmcalc.api.AllowanceSpec;
import dev.llmcalc.api.BadRequestException;
import dev.llmcalc.api.BatchSpec;
import dev.llmcalc.api.EnergySpec;
import dev.llmcalc.api.KernelEfficiencySpec;
import dev.llmcalc.api.ModelResolver;
import dev.llmcalc.api.ModelSpec;
import dev.llmcalc.api.OffloadView;
import dev.llmcalc.api.ParallelismSpec;
import dev.llmcalc.api.ResolvedModel;
import dev.llmcalc.api.ResolvedRun;
import dev.llmcalc.api.TrainingSpec;
import dev.llmcalc.core.hardware.Cluster;
import dev.llmcalc.core.hardware.GpuSpec;
import dev.llmcalc.core.hardware.KernelEfficiency;
import dev.llmcalc.core.memory.FrameworkAllowance;
import dev.llmcalc.core.memory.TrainingMemory;
import dev.llmcalc.core.plan.AcceleratorComparison;
import dev.llmcalc.core.plan.Calibration;
import dev.llmcalc.core.plan.CapacityCheck.CheckResult;
import dev.llmcalc.core.plan.CapacityCheck;
import dev.llmcalc.core.plan.Comparison;
import dev.llmcalc.core.plan.Layout;
import dev.llmcalc.core.plan.Plan;
import dev.llmcalc.core.plan.PlanConstraints;
import dev.llmcalc.core.plan.PlanResult;
import dev.llmcalc.core.plan.PlanSearch;
import dev.llmcalc.core.plan.Planner;
import dev.llmcalc.core.run.ActivationOptions;
import dev.llmcalc.core.run.AttentionKernel;
import dev.llmcalc.core.run.OffloadDevice;
import dev.llmcalc.core.run.Precision;
import dev.llmcalc.core.run.RecomputeModule;
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

    /** The search behind the endpoint (also used by the command line): one GPU, or a comparison of a list. */
    public static PlanResponse plan(PlanRequest request) {
        ResolvedModel model = ModelResolver.resolve(request.model(), "model");
        BatchShape batch = BatchSpec.toCore(request.batch());
        if (batch.globalBatchSize() == 0) {
            throw new BadRequestException("batch.globalBatchSize", "is required for a plan search");
        }
        TrainingSpec training = request.training() != null ? request.training() : new TrainingSpec(null, null, null);
        InvalidInputException.require(training.shardGroupSize() == null, "training.shardGroupSize", "is not searched by "
                + "/plans yet (it shards over all data × context ranks); check a layout with it on /api/v1/checks");
        Training base = TrainingSpec.toCore(training);
        if (base.offload().activations() != OffloadDevice.NONE) {
            throw new BadRequestException("training.offload.activations", "a plan search keeps the checkpoints on the "
                    + "GPU; check a plan that offloads them with /checks");
        }
        ActivationsSpec activations = request.activations();
        if (activations != null && (Boolean.TRUE.equals(activations.sequenceParallel())
                || Boolean.FALSE.equals(activations.lossInFp32()) || activations.recomputeModules() != null)) {
            throw new BadRequestException("activations", "a plan search takes 'attention', 'recomputation', 'dropout', "
                    + "'residualDropout', 'fusedGatedActivation' and 'sequenceParallel: false' (a stack without it): it "
                    + "turns sequence "
                    + "parallelism on with tensor parallelism and keeps the loss in fp32; module sets to try go in "
                    + "constraints.recomputeModules");
        }
        // dropout as /memory/training resolves it (residual dropout follows dropout for GPT-2-style blocks)
        ActivationOptions kept = ActivationsSpec.toCore(activations, model.architecture(), base);
        AttentionKernel attention = activations != null && activations.attention() != null ? activations.attention()
                : PlanSearch.DEFAULT_ATTENTION;
        ConstraintsSpec c = request.constraints() != null ? request.constraints()
                : new ConstraintsSpec(null, null, null, null, null);
        List<Set<RecomputeModule>> moduleSets = ConstraintsSpec.moduleSets(c.recomputeModules(), model.architecture());
        FrameworkAllowance allowance = AllowanceSpec.toCore(request.allowance());
        PlanClusterSpec clusterSpec = request.cluster();
        boolean compares = clusterSpec.compares();
        int limit = compares ? 1 : request.limit() != null ? request.limit() : PlanSearch.DEFAULT_LIMIT;
        Function<Cluster, PlanSearch> searchFor = (cluster) -> {
            // FP8 needs FP8 tensor cores on every GPU searched, as /checks and /memory/training require
            base.requireRunsOn(cluster.gpu());
            return new PlanSearch(model.architecture(), batch.sequenceLength(), batch.globalBatchSize(),
                    base.precision(), base.optimizer(), attention, kept.dropout(), kept.residualDropout(), cluster,
                    PlanConstraints.defaults(model.architecture(), cluster)
                            .with(new PlanConstraints.Overrides(c.maxTensor(), c.maxPipeline(), c.maxContext(),
                                    c.maxMicroBatchSize(), c.maxMemoryFraction(),
                                    training.zeroStage() != null ? base.zeroStage() : null,
                                    activations != null ? activations.recomputation() : null,
                                    activations != null ? activations.sequenceParallel() : null,
                                    c.maxVirtualPipeline(), c.expert(), c.allowOffload(),
                                    base.offload().any() ? base.offload() : null, moduleSets)),
                    KernelEfficiencySpec.resolve(cluster.gpu(), request.efficiency(), request.kernelEfficiency()),
                    limit, allowance, kept.fusedGatedActivation());
        };
        List<Precision> precisions = c.precisions();
        if (precisions != null && training.precision() != null) {
            throw new BadRequestException("constraints.precisions", "give training.precision or constraints.precisions, "
                    + "not both");
        }
        if (compares) {
            if (clusterSpec.hostMemoryBytesPerNode() != null) {
                throw new BadRequestException("cluster.hostMemoryBytesPerNode", "applies to a single-GPU search; give "
                        + "each GPU of the list its own hostMemoryBytesPerNode");
            }
            if (precisions != null) {
                throw new BadRequestException("constraints.precisions", "applies to a single-GPU search; compare "
                        + "accelerators at one training.precision");
            }
            if (request.calibration() != null) {
                throw new BadRequestException("calibration", "applies to a single-GPU search (it fits one GPU's "
                        + "shares); calibrate each GPU with its own request");
            }
            return compare(request, model, searchFor);
        }
        requireAbsent(request.tokens(), "tokens");
        requireAbsent(request.maxTrainingDays(), "maxTrainingDays");
        requireAbsent(request.energy(), "energy");
        requireAbsent(clusterSpec.gpuCounts(), "cluster.gpuCounts");
        if (clusterSpec.gpuCount() == null) {
            throw new BadRequestException("cluster.gpuCount", "is required");
        }
        Cluster cluster = Cluster.of(clusterSpec.single().toCore("cluster.gpu"), clusterSpec.gpuCount(),
                clusterSpec.gpusPerNode());
        if (clusterSpec.hostMemoryBytesPerNode() != null) {
            cluster = cluster.withHostMemoryBytesPerNode(clusterSpec.hostMemoryBytesPerNode());
        }
        PlanSearch uncalibrated = searchFor.apply(cluster);
        Calibration calibration = calibrate(request.calibration(), request.model(), uncalibrated);
        PlanSearch search = calibration != null ? uncalibrated.withEfficiency(calibration.kernelEfficiency())
                : uncalibrated;
        if (precisions != null) {
            for (int i = 0; i < precisions.size(); i++) {
                try {
                    new Training(precisions.get(i), base.optimizer(), base.zeroStage()).requireRunsOn(cluster.gpu());
                }
                catch (InvalidInputException ex) {
                    throw new InvalidInputException("constraints.precisions[" + i + "]", ex.reason());
                }
            }
        }
        PlanResult result = Planner.search(search, precisions);
        List<PlanResponse.PlanView> plans = result.plans().stream().map((plan) -> view(search, plan)).toList();
        List<PlanResponse.ExpertDegreeView> experts = result.expertDegrees().isEmpty() ? null
                : result.expertDegrees().stream().map((e) -> new PlanResponse.ExpertDegreeView(e.expert(),
                        e.best() != null ? view(search, e.best()) : null, e.evaluated(), e.fitting(), e.rejected()))
                        .toList();
        return new PlanResponse(model.source(), cluster.gpu().id(), cluster.gpu().memoryBytes(), cluster.gpuCount(),
                plans, result.rejected(), result.evaluated(), result.fitting(), result.communicationEvaluated(),
                result.assumptions(), experts, calibration, null);
    }

    /** The shares fitted to a search's calibration runs, or {@code null} without calibration. */
    private static Calibration calibrate(CalibrationSpec spec, ModelSpec model, PlanSearch search) {
        if (spec == null) {
            return null;
        }
        try {
            return Calibration.fit(CalibrationRuns.of(spec, model, search.cluster().gpu(), null, null),
                    search.efficiency(), spec.modelError(), search.model());
        }
        catch (InvalidInputException ex) {
            throw TrainingSpec.named(ex);
        }
    }

    private static void requireAbsent(Object value, String field) {
        if (value != null) {
            throw new BadRequestException(field, "applies to a comparison only: give cluster.gpu as a list (a list of "
                    + "one GPU is fine)");
        }
    }

    /** cluster.gpu as a list: every GPU at every count, each with its best plan, time, cost and energy. */
    private static PlanResponse compare(PlanRequest request, ResolvedModel model,
            Function<Cluster, PlanSearch> searchFor) {
        PlanClusterSpec spec = request.cluster();
        if (request.tokens() == null) {
            throw new BadRequestException("tokens", "is required to compare accelerators (the whole run's tokens)");
        }
        if (request.limit() != null) {
            throw new BadRequestException("limit", "applies to a single-GPU search; a comparison reports the best plan "
                    + "of each accelerator and count");
        }
        if (spec.gpuCount() != null && spec.gpuCounts() != null) {
            throw new BadRequestException("cluster.gpuCounts", "give gpuCount or gpuCounts, not both");
        }
        List<GpuOffer> entries = spec.offers();
        if (entries.isEmpty()) {
            throw new BadRequestException("cluster.gpu", "must list at least one GPU to compare");
        }
        List<AcceleratorComparison.Offer> offers = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            String field = "cluster.gpu[" + i + "]";
            GpuOffer entry = entries.get(i);
            if (entry == null) {
                throw new BadRequestException(field, "must be a GPU id or object, not null");
            }
            if (entry.gpuCount() != null && entry.gpuCounts() != null) {
                throw new BadRequestException(field + ".gpuCounts", "give gpuCount or gpuCounts, not both");
            }
            List<Integer> counts = entry.gpuCounts() != null ? entry.gpuCounts()
                    : entry.gpuCount() != null ? List.of(entry.gpuCount())
                    : spec.gpuCounts() != null ? spec.gpuCounts()
                    : spec.gpuCount() != null ? List.of(spec.gpuCount()) : null;
            if (counts == null) {
                throw new BadRequestException(field + ".gpuCount", "is required: give gpuCount or gpuCounts here or on "
                        + "cluster");
            }
            if (new HashSet<>(counts).size() != counts.size()) {
                throw new BadRequestException(entry.gpuCounts() != null ? field + ".gpuCounts" : "cluster.gpuCounts",
                        "repeats a GPU count");
            }
            GpuSpec gpu = entry.choice().toCore(field);
            for (Integer count : counts) {
                offers.add(new AcceleratorComparison.Offer(Cluster.of(gpu, count, spec.gpusPerNode()),
                        entry.pricePerGpuHour()));
            }
        }
        Comparison comparison = AcceleratorComparison.compare(offers, searchFor, request.tokens(),
                request.maxTrainingDays(), EnergySpec.toCore(request.energy()));
        List<ComparisonView.Option> options = new ArrayList<>();
        for (int i = 0; i < comparison.options().size(); i++) {
            options.add(option(i, comparison.options().get(i)));
        }
        List<String> assumptions = comparison.options().get(0).result().assumptions();
        return new PlanResponse(model.source(), null, null, null, null, null, comparison.evaluated(),
                comparison.fitting(), comparison.communicationEvaluated(), assumptions, null, null,
                new ComparisonView(comparison.tokens(), comparison.tokensPerStep(), comparison.maxTrainingDays(),
                        options, choice(options, comparison.cheapest()), choice(options, comparison.fastest()),
                        choice(options, comparison.cheapestWithinMaxTrainingDays()), comparison.notes()));
    }

    private static ComparisonView.Option option(int index, Comparison.Option option) {
        Cluster cluster = option.cluster();
        Plan best = option.best();
        return new ComparisonView.Option(index, cluster.gpu().id(), cluster.gpu().name(), cluster.gpuCount(),
                cluster.gpusPerNode(), cluster.gpu().memoryBytes(), option.pricePerGpuHour(), option.fits(),
                best != null ? view(option.search(), best) : null, best != null ? best.step().totalSeconds() : null,
                option.trainingSeconds(), option.trainingDays(), option.gpuHours(), option.cost(),
                option.withinMaxTrainingDays(), EnergySpec.View.of(option.energy()), option.result().rejected(),
                option.result().evaluated(), option.result().fitting());
    }

    private static ComparisonView.Choice choice(List<ComparisonView.Option> options, Integer index) {
        if (index == null) {
            return null;
        }
        ComparisonView.Option option = options.get(index);
        return new ComparisonView.Choice(index, option.gpu(), option.gpuCount(), option.trainingDays(), option.cost());
    }

    private static PlanResponse.PlanView view(PlanSearch search, Plan plan) {
        Layout layout = plan.layout();
        TrainingMemory memory = Planner.memory(search, plan);
        return new PlanResponse.PlanView(plan.precision(), ParallelismSpec.from(layout.parallelism()),
                layout.zeroStage().number(),
                layout.offload().any() ? OffloadSpecView.of(layout.offload()) : null,
                layout.recomputation(), layout.recomputeModules().isEmpty() ? null
                        : layout.recomputeModules().stream().sorted().map(RecomputeModule::id).toList(),
                layout.sequenceParallel(), layout.microBatchSize(), plan.microBatches(),
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
        run.training().requireRunsOn(cluster.gpu());
        KernelEfficiency efficiency = KernelEfficiencySpec.resolve(cluster.gpu(), request.efficiency(),
                request.kernelEfficiency());
        CheckResult result;
        Calibration calibration = null;
        try {
            if (request.calibration() != null) {
                calibration = Calibration.fit(CalibrationRuns.of(request.calibration(), request.model(),
                        cluster.gpu(), run, cluster), efficiency, request.calibration().modelError(), run.model());
                efficiency = calibration.kernelEfficiency();
            }
            result = CapacityCheck.check(run, cluster, AllowanceSpec.toCore(request.allowance()), efficiency,
                    RequirementsSpec.toCore(request.requirements()), EnergySpec.toCore(request.energy()));
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
                        result.trainingDays(), result.gpuHours(), EnergySpec.View.of(result.energy()),
                        OffloadView.of(run, memory, result.offloaded(), cluster.ranksPerNode(),
                                cluster.hostMemoryBytesPerNode())),
                calibration, resolved.withLayoutAssumptions(result.assumptions()));
    }
}
