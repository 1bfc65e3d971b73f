package dev.llmcalc.core.plan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import dev.llmcalc.core.activation.ActivationCalculator;
import dev.llmcalc.core.activation.ActivationProfile;
import dev.llmcalc.core.comms.CommunicationCalculator;
import dev.llmcalc.core.comms.Network;
import dev.llmcalc.core.comms.RankOrder;
import dev.llmcalc.core.comms.StageTraffic;
import dev.llmcalc.core.compute.TrainingCompute;
import dev.llmcalc.core.memory.FrameworkAllowance;
import dev.llmcalc.core.memory.ModelStateCalculator;
import dev.llmcalc.core.memory.TrainingMemoryCalculator;
import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.parallel.LocalParameters;
import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.parallel.ParameterPlacement;
import dev.llmcalc.core.run.ActivationOptions;
import dev.llmcalc.core.run.AdapterActivations;
import dev.llmcalc.core.run.BatchShape;
import dev.llmcalc.core.run.RecomputeModule;
import dev.llmcalc.core.run.Recomputation;
import dev.llmcalc.core.run.Training;
import dev.llmcalc.core.run.TrainingRun;
import dev.llmcalc.core.run.ZeroStage;
import dev.llmcalc.core.unit.Exact;

/**
 * The planner as it was before its search was made faster (commit 9a09f8e): every candidate's memory computed
 * afresh, the fitting candidates fully sorted, every communication ledger built. The tests hold the planner to
 * exactly its answers.
 */
final class ReferencePlanner {

    static final String TENSOR_ABOVE_MAX = "tensor parallel above constraints.maxTensor";

    static final String TENSOR_HEADS = "tensor parallel does not divide the attention or key/value heads";

    static final String CONTEXT_ABOVE_MAX = "context parallel above constraints.maxContext";

    static final String CONTEXT_SEQUENCE = "context parallel does not divide the sequence length";

    static final String PIPELINE_ABOVE_MAX = "pipeline parallel above constraints.maxPipeline";

    static final String PIPELINE_LAYERS = "more pipeline stages than layers";

    static final String DATA_BATCH = "data parallel does not divide the global batch";

    static final String DOES_NOT_FIT = "does not fit in GPU memory";

    private ReferencePlanner() {
    }

    static PlanResult search(PlanSearch q) {
        int only = q.constraints().expert();
        if (!q.model().isMoe()) {
            dev.llmcalc.core.unit.InvalidInputException.require(only <= 1, "constraints.expert",
                    "applies to mixture-of-experts models only");
        }
        else {
            dev.llmcalc.core.unit.InvalidInputException.require(only == 0 || q.model().moe().numExperts() % only == 0,
                    "constraints.expert", "must divide the " + q.model().moe().numExperts() + " experts");
        }
        PlanResult main = search(q, false);
        if (!q.model().isMoe()) {
            return main;
        }
        // each expert degree: a search of that degree alone, its best plan and counts, the other degrees' reason dropped
        List<ExpertDegree> degrees = new ArrayList<>();
        for (long e : divisors(q.model().moe().numExperts())) {
            if (q.constraints().expert() != 0 && e != q.constraints().expert()) {
                continue;
            }
            PlanSearch alone = new PlanSearch(q.model(), q.sequenceLength(), q.globalBatchSize(), q.precision(),
                    q.optimizer(), q.attention(), q.dropout(), q.residualDropout(), q.cluster(),
                    q.constraints().withExpert((int) e), q.efficiency(), 1, q.allowance(), q.fusedGatedActivation());
            PlanResult r = search(alone, true);
            Map<String, Long> rejected = new TreeMap<>(r.rejected());
            rejected.remove(Planner.EXPERT_CONSTRAINT);
            degrees.add(new ExpertDegree((int) e, r.plans().isEmpty() ? null : r.plans().get(0), r.evaluated(),
                    r.fitting(), rejected));
        }
        return new PlanResult(main.plans(), main.rejected(), main.evaluated(), main.fitting(),
                main.communicationEvaluated(), main.assumptions(), degrees);
    }

    private static PlanResult search(PlanSearch q, boolean nested) {
        Architecture m = q.model();
        long gpus = q.cluster().gpuCount();
        PlanConstraints limits = q.constraints();
        Map<String, Long> rejected = new TreeMap<>();
        List<Training> trainings = new ArrayList<>();
        for (ZeroStage zero : limits.zeroStages()) {
            for (dev.llmcalc.core.run.Offload offload : limits.offloads()) {
                if (Planner.offloadAllowed(zero, offload)) {
                    trainings.add(new Training(q.precision(), q.optimizer(), zero, offload));
                }
            }
        }
        if (trainings.isEmpty()) {
            throw new dev.llmcalc.core.unit.InvalidInputException("training.offload", "needs a ZeRO stage that allows "
                    + "it: the optimizer is offloaded from ZeRO-1, the parameters at ZeRO-3 only");
        }
        long budget = (long) Math.floor(q.cluster().gpu().memoryBytes() * limits.maxMemoryFraction());
        // model FLOPs for MFU; /checks' step time (StepTimeModel.step) prices what the kernels run
        // each mode; SELECTIVE once with the attention core and once per module set
        List<Object[]> choices = new ArrayList<>();
        for (Recomputation mode : limits.recomputations()) {
            choices.add(new Object[] { mode, Set.<RecomputeModule>of() });
            if (mode == Recomputation.SELECTIVE) {
                for (Set<RecomputeModule> modules : limits.recomputeModuleSets()) {
                    choices.add(new Object[] { mode, modules });
                }
            }
        }
        FrameworkAllowance.Fragmentation fragmentation = q.allowance().fragmentation();
        Map<List<Long>, List<LocalParameters>> placements = new HashMap<>();
        Map<List<Object>, ActivationProfile> profiles = new HashMap<>();
        List<Candidate> fitting = new ArrayList<>();
        long evaluated = 0;

        for (long t : divisors(gpus)) {
            for (long c : divisors(gpus / t)) {
                for (long p : divisors(gpus / t / c)) {
                    long d = gpus / t / c / p;
                    String reason = structuralReason(q, t, c, p, d);
                    if (reason != null) {
                        rejected.merge(reason, 1L, Long::sum);
                        continue;
                    }
                    long perRank = q.globalBatchSize() / d;
                    boolean sequenceParallel = limits.sequenceParallel() && t > 1
                            && (q.sequenceLength() / c) % t == 0;
                    for (long e : m.isMoe() ? divisors(m.moe().numExperts()) : List.of(1L)) {
                        if (m.isMoe() && q.constraints().expert() != 0 && e != q.constraints().expert()) {
                            rejected.merge(Planner.EXPERT_CONSTRAINT, 1L, Long::sum);
                            continue;
                        }
                        if ((d * c) % e != 0) {
                            rejected.merge(Planner.EXPERT_DATA, 1L, Long::sum);
                            continue;
                        }
                        Parallelism flat = new Parallelism((int) d, (int) t, (int) p, (int) e, (int) c);
                        List<LocalParameters> stages = placements.computeIfAbsent(List.of(t, p, e),
                                (key) -> ParameterPlacement.stages(m, flat));
                        for (int v : Planner.virtualPipelines(m, (int) p, limits.maxVirtualPipeline())) {
                            Parallelism par = new Parallelism((int) d, (int) t, (int) p, (int) e, (int) c, v);
                            for (Object[] choice : choices) {
                                Recomputation mode = (Recomputation) choice[0];
                                @SuppressWarnings("unchecked")
                                Set<RecomputeModule> modules = (Set<RecomputeModule>) choice[1];
                                ActivationOptions options = options(q, mode, modules, sequenceParallel);
                                for (long b : divisors(perRank)) {
                                    if (b > limits.maxMicroBatchSize()) {
                                        break;
                                    }
                                    long microBatches = perRank / b;
                                    if (v > 1 && microBatches % p != 0) {
                                        rejected.merge(Planner.INTERLEAVING_MICRO_BATCHES,
                                                (long) trainings.size(), Long::sum);
                                        continue;
                                    }
                                    ActivationProfile profile = profiles.computeIfAbsent(
                                            List.of(t, c, b, mode, modules, sequenceParallel),
                                            (key) -> ActivationCalculator.profile(m,
                                                    new BatchShape(b, q.sequenceLength(), q.globalBatchSize()),
                                                    options, par));
                                    for (Training training : trainings) {
                                        evaluated++;
                                        Layout layout = new Layout(par, training.zeroStage(), mode, sequenceParallel, b,
                                                training.offload(), modules);
                                        // interleaved: /memory/training itself; otherwise its arithmetic by stage
                                        long bytes = v > 1
                                                ? TrainingMemoryCalculator.estimate(m,
                                                        new BatchShape(b, q.sequenceLength(), q.globalBatchSize()),
                                                        training, options, par, q.allowance(), 0)
                                                        .totalBytes()
                                                : perGpuBytes(m, stages, training, par, profile,
                                                        microBatches, q, fragmentation);
                                        if (bytes > budget) {
                                            rejected.merge(DOES_NOT_FIT, 1L, Long::sum);
                                            continue;
                                        }
                                        if (hostBytesPerNode(q, layout) > hostLimit(q)) {
                                            rejected.merge(Planner.HOST_DOES_NOT_FIT, 1L, Long::sum);
                                            continue;
                                        }
                                        // compute and bubble as /checks prices the plan
                                        StepTime checked = StepTimeModel.step(run(q, layout), q.cluster(),
                                                q.efficiency());
                                        fitting.add(new Candidate(layout, microBatches, bytes, checked.kernels(),
                                                checked.bubbleSeconds(), checked.offload(), modelFlops(q, mode,
                                                        modules)));
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }

        fitting.sort(Comparator.comparingDouble(Candidate::lowerBound).thenComparingLong(Candidate::bytes)
                .thenComparing(Candidate::layout, LAYOUT_ORDER));
        List<Plan> best = new ArrayList<>();
        Comparator<Plan> ranking = Comparator.comparingDouble((Plan plan) -> plan.step().totalSeconds())
                .thenComparingLong(Plan::perGpuBytes).thenComparing(Plan::layout, LAYOUT_ORDER);
        long communicationEvaluated = 0;
        for (Candidate candidate : fitting) {
            if (best.size() == q.limit()
                    && candidate.lowerBound() > best.get(best.size() - 1).step().totalSeconds()) {
                break;
            }
            communicationEvaluated++;
            ExposedCommunication communication = exposedCommunication(q, candidate);
            StepTime step = StepTime.of(candidate.compute(), candidate.bubble(), communication, candidate.offload(),
                    q.efficiency());
            double mfu = StepTimeModel.mfu(candidate.modelFlops(), step.totalSeconds(), gpus,
                    q.cluster().gpu().peakFlops());
            Plan plan = new Plan(candidate.layout(), candidate.microBatches(), candidate.bytes(), step, mfu,
                    q.precision());
            int at = 0;
            while (at < best.size() && ranking.compare(best.get(at), plan) <= 0) {
                at++;
            }
            if (at < q.limit()) {
                best.add(at, plan);
                if (best.size() > q.limit()) {
                    best.remove(best.size() - 1);
                }
            }
        }
        return new PlanResult(List.copyOf(best), rejected, evaluated, fitting.size(), communicationEvaluated,
                assumptions(q), List.of());
    }

    /** The first structural reason a (t, c, p, d) split cannot be used, or null. */
    private static String structuralReason(PlanSearch q, long t, long c, long p, long d) {
        Architecture m = q.model();
        PlanConstraints limits = q.constraints();
        if (t > limits.maxTensor()) {
            return TENSOR_ABOVE_MAX;
        }
        if (m.numAttentionHeads() % t != 0 || m.numKeyValueHeads() % t != 0) {
            return TENSOR_HEADS;
        }
        if (c > limits.maxContext()) {
            return CONTEXT_ABOVE_MAX;
        }
        if (q.sequenceLength() % c != 0) {
            return CONTEXT_SEQUENCE;
        }
        if (p > limits.maxPipeline()) {
            return PIPELINE_ABOVE_MAX;
        }
        if (p > m.numLayers()) {
            return PIPELINE_LAYERS;
        }
        if (q.globalBatchSize() % d != 0) {
            return DATA_BATCH;
        }
        return null;
    }

    /** Expert degrees that divide the experts and the data × context ranks; 1 for a dense model. */
    private static List<Long> expertDegrees(Architecture m, long dataTimesContext) {
        if (!m.isMoe()) {
            return List.of(1L);
        }
        List<Long> degrees = new ArrayList<>();
        for (long e : divisors(m.moe().numExperts())) {
            if (dataTimesContext % e == 0) {
                degrees.add(e);
            }
        }
        return degrees;
    }

    // the same total as TrainingMemoryCalculator: per stage, states + kept + transient + allowance; the largest
    private static long perGpuBytes(Architecture m, List<LocalParameters> stages, Training training, Parallelism par,
            ActivationProfile profile, long microBatches, PlanSearch q, FrameworkAllowance.Fragmentation fragmentation) {
        int p = stages.size();
        // with one kind of layer, middle stages hold the same states and fewer micro-batches the later they are:
        // the largest total is on the first, the second or the last stage
        boolean uniform = m.denseFfnLayers() == 0 || m.moeLayers() == 0;
        long worst = 0;
        int start = 0;
        for (int k = 0; k < p; k++) {
            LocalParameters local = stages.get(k);
            int layers = local.layers();
            if (uniform && k > 1 && k < p - 1) {
                start += layers;
                continue;
            }
            int dense = m.denseFfnLayersIn(start, layers);
            int moe = layers - dense;
            long inFlight = Math.min(p - k, microBatches);
            long states = ModelStateCalculator.perGpu(local, training, par,
                    ModelStateCalculator.workingLayer(m, training, par)).totalBytes();
            long peak = Exact.add("perGpu.totalBytes", profile.keptBytes(dense, moe, inFlight, k == 0, k == p - 1),
                    profile.transientBytes(dense, moe, k == p - 1));
            worst = Math.max(worst, TrainingMemoryCalculator.stageTotal(states, peak, q.allowance(), fragmentation));
            start += layers;
        }
        return worst;
    }

    // what /checks counts on a node's host: the busiest GPU's stage's offloaded buffers × the node's ranks
    private static long hostBytesPerNode(PlanSearch q, Layout layout) {
        if (!layout.offload().any()) {
            return 0;
        }
        TrainingRun run = run(q, layout);
        return TrainingMemoryCalculator.offloaded(run, TrainingMemoryCalculator.estimate(run, q.allowance(), 0))
                .bytesPerNode(dev.llmcalc.core.run.OffloadDevice.CPU, q.cluster().ranksPerNode());
    }

    private static long hostLimit(PlanSearch q) {
        return q.cluster().knowsHostMemory() ? q.cluster().hostMemoryBytesPerNode() : Long.MAX_VALUE;
    }

    private static ActivationOptions options(PlanSearch q, Recomputation mode, Set<RecomputeModule> modules,
            boolean sequenceParallel) {
        return new ActivationOptions(mode, q.attention(), sequenceParallel, q.dropout(), q.residualDropout(), true,
                q.precision().activations(), AdapterActivations.NONE, modules, q.precision().fp8(), false,
                q.fusedGatedActivation());
    }

    // model FLOPs for MFU: /checks' count (the attention square whole) for the layout's recomputation
    private static double modelFlops(PlanSearch q, Recomputation mode, Set<RecomputeModule> modules) {
        long tokens = Exact.multiply("tokens", q.globalBatchSize(), q.sequenceLength());
        int s = Math.toIntExact(Math.min(q.sequenceLength(), Integer.MAX_VALUE));
        return TrainingCompute.forFineTuning(q.model(), tokens, s, false, mode, modules,
                dev.llmcalc.core.run.FineTuning.FULL).trainingFlops();
    }

    private static TrainingRun run(PlanSearch q, Layout layout) {
        ActivationOptions options = options(q, layout.recomputation(), layout.recomputeModules(),
                layout.sequenceParallel());
        return TrainingRun.full(q.model(),
                new BatchShape(layout.microBatchSize(), q.sequenceLength(), q.globalBatchSize()),
                new Training(q.precision(), q.optimizer(), layout.zeroStage(), layout.offload()), options,
                layout.parallelism());
    }

    private static ExposedCommunication exposedCommunication(PlanSearch q, Candidate candidate) {
        TrainingRun run = run(q, candidate.layout());
        return StepTimeModel.worstStage(CommunicationCalculator.estimate(run, RankOrder.MEGATRON,
                Network.of(q.cluster())).stages().stream().map(StageTraffic::seconds).toList(), candidate.compute(),
                candidate.microBatches(), q.efficiency(), candidate.layout().sequenceParallel(), false,
                candidate.layout().parallelism().interleaved());
    }

    static final Comparator<Layout> LAYOUT_ORDER = (a, b) -> Arrays.compare(a.key(), b.key());

    /** Divisors of n in increasing order. */
    static List<Long> divisors(long n) {
        List<Long> small = new ArrayList<>();
        List<Long> large = new ArrayList<>();
        for (long i = 1; i * i <= n; i++) {
            if (n % i == 0) {
                small.add(i);
                if (i != n / i) {
                    large.add(0, n / i);
                }
            }
        }
        small.addAll(large);
        return small;
    }

    private static List<String> assumptions(PlanSearch q) {
        return Planner.assumptions(q);
    }

    private record Candidate(Layout layout, long microBatches, long bytes, StepTime.KernelSeconds compute,
            double bubble, OffloadTime offload, double modelFlops) {

        double lowerBound() {
            return this.compute.totalSeconds() + this.bubble + (this.offload != null ? this.offload.exposedSeconds() : 0);
        }
    }
}
