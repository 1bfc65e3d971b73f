package dev.llmcalc.core.plan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;

import dev.llmcalc.core.activation.ActivationCalculator;
import dev.llmcalc.core.activation.ActivationProfile;
import dev.llmcalc.core.comms.CommunicationCalculator;
import dev.llmcalc.core.comms.CommunicationSeconds;
import dev.llmcalc.core.comms.Network;
import dev.llmcalc.core.comms.RankOrder;
import dev.llmcalc.core.comms.StageSeconds;
import dev.llmcalc.core.comms.StageTraffic;
import dev.llmcalc.core.compute.TrainingCompute;
import dev.llmcalc.core.hardware.Cluster;
import dev.llmcalc.core.hardware.GpuSpec;
import dev.llmcalc.core.hardware.KernelEfficiency;
import dev.llmcalc.core.memory.FrameworkAllowance;
import dev.llmcalc.core.memory.ModelStateCalculator;
import dev.llmcalc.core.memory.TrainingMemory;
import dev.llmcalc.core.memory.TrainingMemoryCalculator;
import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.parallel.LocalParameters;
import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.parallel.ParameterPlacement;
import dev.llmcalc.core.run.ActivationOptions;
import dev.llmcalc.core.run.AdapterActivations;
import dev.llmcalc.core.run.BatchShape;
import dev.llmcalc.core.run.Offload;
import dev.llmcalc.core.run.Precision;
import dev.llmcalc.core.run.OffloadDevice;
import dev.llmcalc.core.run.FineTuning;
import dev.llmcalc.core.run.Recomputation;
import dev.llmcalc.core.run.RecomputeModule;
import dev.llmcalc.core.run.Training;
import dev.llmcalc.core.run.TrainingRun;
import dev.llmcalc.core.run.ZeroStage;
import dev.llmcalc.core.unit.Exact;

import static dev.llmcalc.core.unit.InvalidInputException.require;

/**
 * Exhaustive search over parallel layouts: every tensor × context × pipeline × data split of the cluster
 * (and expert degree for MoE), ZeRO stage, recomputation mode and micro-batch size. Memory is estimated for
 * every candidate with the same arithmetic as {@code /memory/training}; step time is {@code /checks}' (compute
 * operator by operator on the slowest stage, {@link OperatorTime}, + the 1F1B bubble + exposed communication).
 * Candidates are ranked by a lower bound (compute + bubble) first, so the communication ledger is only computed for those that can still
 * enter the best {@code limit}: the answer is the exact top {@code limit}. Inside the search the ledger's seconds
 * come from {@link CommunicationSeconds} (bit for bit the ledger's), and each stage's model states and
 * activation peak are computed once per ZeRO stage and micro-batch rather than once per candidate.
 */
public final class Planner {

    static final String TENSOR_ABOVE_MAX = "tensor parallel above constraints.maxTensor";

    static final String TENSOR_HEADS = "tensor parallel does not divide the attention or key/value heads";

    static final String CONTEXT_ABOVE_MAX = "context parallel above constraints.maxContext";

    static final String CONTEXT_SEQUENCE = "context parallel does not divide the sequence length";

    static final String PIPELINE_ABOVE_MAX = "pipeline parallel above constraints.maxPipeline";

    static final String PIPELINE_LAYERS = "more pipeline stages than layers";

    static final String DATA_BATCH = "data parallel does not divide the global batch";

    static final String DOES_NOT_FIT = "does not fit in GPU memory";

    /** Reason: what an offloading plan keeps on a node's host exceeds the node's CPU memory. */
    static final String HOST_DOES_NOT_FIT = "offloaded states do not fit in the node's host memory";

    static final String EXPERT_DATA = "expert parallel does not divide data × context";

    static final String EXPERT_CONSTRAINT = "expert parallel other than constraints.expert";

    static final String INTERLEAVING_MICRO_BATCHES = "interleaved pipeline needs the micro-batches per step divisible "
            + "by pipeline parallel";

    private Planner() {
    }

    public static PlanResult search(PlanSearch q) {
        return search(q, false);
    }

    /** @param fullLedgers build every communication ledger instead of pricing it with {@link CommunicationSeconds} (tests) */
    static PlanResult search(PlanSearch q, boolean fullLedgers) {
        Architecture m = q.model();
        long gpus = q.cluster().gpuCount();
        PlanConstraints limits = q.constraints();
        Map<String, Long> rejected = new TreeMap<>();
        // each ZeRO stage with each offload it allows (the optimizer from ZeRO-1, the parameters at ZeRO-3)
        List<Training> variants = new ArrayList<>();
        for (ZeroStage zero : limits.zeroStages()) {
            for (Offload offload : limits.offloads()) {
                if (offloadAllowed(zero, offload)) {
                    variants.add(new Training(q.precision(), q.optimizer(), zero, offload));
                }
            }
        }
        Training[] trainings = variants.toArray(new Training[0]);
        ZeroStage[] zeroStages = new ZeroStage[trainings.length];
        for (int z = 0; z < trainings.length; z++) {
            zeroStages[z] = trainings[z].zeroStage();
        }
        long budget = (long) Math.floor(q.cluster().gpu().memoryBytes() * limits.maxMemoryFraction());
        List<PlanConstraints.RecomputeChoice> recomputes = limits.recomputeChoices();
        int choices = recomputes.size();
        double[] modelFlops = new double[choices];
        OperatorTime.Work[] work = new OperatorTime.Work[choices];
        long tokens = Exact.multiply("tokens", q.globalBatchSize(), q.sequenceLength());
        int s = Math.toIntExact(Math.min(q.sequenceLength(), Integer.MAX_VALUE));
        for (int r = 0; r < choices; r++) {
            PlanConstraints.RecomputeChoice choice = recomputes.get(r);
            // model FLOPs for MFU (whole attention square); executed FLOPs for time (causal with FlashAttention)
            TrainingCompute model = TrainingCompute.forFineTuning(m, tokens, s, false, choice.mode(), choice.modules(),
                    FineTuning.FULL);
            TrainingCompute executed = StepTimeModel.causalAttention(q.attention())
                    ? TrainingCompute.forFineTuning(m, tokens, s, true, choice.mode(), choice.modules(),
                            FineTuning.FULL)
                    : model;
            modelFlops[r] = model.trainingFlops();
            work[r] = OperatorTime.Work.of(executed, options(q, choice, false), m.numLayers());
        }
        GpuSpec gpu = q.cluster().gpu();
        KernelEfficiency kernels = q.efficiency();
        double newtonSchulz = OperatorTime.newtonSchulzFlopsPerParameter(m, q.optimizer());
        FrameworkAllowance.Fragmentation fragmentation = q.allowance().fragmentation();
        Map<List<Long>, List<LocalParameters>> placements = new HashMap<>();
        List<Candidate> fitting = new ArrayList<>();
        long evaluated = 0;
        long doesNotFit = 0;
        long hostDoesNotFit = 0;
        Map<Long, ExpertTally> tallies = expertTallies(q);
        require(trainings.length > 0, "training.offload", "needs a ZeRO stage that allows it: the optimizer is offloaded "
                + "from ZeRO-1, the parameters at ZeRO-3 only");

        for (long t : divisors(gpus)) {
            for (long c : divisors(gpus / t)) {
                // a micro-batch's activation profile depends on t, c (and so sequence parallelism), b and the mode
                List<Map<Long, ActivationProfile>> profiles = new ArrayList<>(choices);
                for (int r = 0; r < choices; r++) {
                    profiles.add(new HashMap<>());
                }
                for (long p : divisors(gpus / t / c)) {
                    long d = gpus / t / c / p;
                    String reason = structuralReason(q, t, c, p, d);
                    if (reason != null) {
                        rejected.merge(reason, 1L, Long::sum);
                        for (ExpertTally tally : tallies.values()) {
                            tally.reject(reason, 1);
                        }
                        continue;
                    }
                    long perRank = q.globalBatchSize() / d;
                    boolean sequenceParallel = limits.sequenceParallel() && t > 1
                            && (q.sequenceLength() / c) % t == 0;
                    for (long e : expertDegrees(m)) {
                        ExpertTally tally = tallies.get(e);
                        if (m.isMoe() && tally == null) {
                            rejected.merge(EXPERT_CONSTRAINT, 1L, Long::sum);
                            continue;
                        }
                        if ((d * c) % e != 0) {
                            rejected.merge(EXPERT_DATA, 1L, Long::sum);
                            tally.reject(EXPERT_DATA, 1);
                            continue;
                        }
                        Parallelism flat = new Parallelism((int) d, (int) t, (int) p, (int) e, (int) c);
                        List<LocalParameters> stages = placements.computeIfAbsent(List.of(t, p, e),
                                (key) -> ParameterPlacement.stages(m, flat));
                        StageMemory memory = new StageMemory(m, stages, zeroStages.length);
                        double[] optimizer = new double[zeroStages.length];
                        double[] partition = new double[zeroStages.length];
                        double[] gradients = new double[zeroStages.length];
                        for (int z = 0; z < zeroStages.length; z++) {
                            partition[z] = StepTimeModel.updatedParameters(stages, trainings[z], flat);
                            gradients[z] = StepTimeModel.accumulatedGradients(stages, trainings[z], flat);
                            // an offloaded optimizer steps on the host (OffloadTime), not on the GPU
                            optimizer[z] = trainings[z].offload().optimizer() == OffloadDevice.NONE
                                    ? OperatorTime.optimizerSeconds(partition[z], trainings[z], gpu, kernels,
                                            newtonSchulz)
                                    : 0;
                        }
                        for (int v : virtualPipelines(m, (int) p, limits.maxVirtualPipeline())) {
                            Parallelism par = v == 1 ? flat : new Parallelism((int) d, (int) t, (int) p, (int) e,
                                    (int) c, v);
                            for (int r = 0; r < choices; r++) {
                                PlanConstraints.RecomputeChoice choice = recomputes.get(r);
                                ActivationOptions options = options(q, choice, sequenceParallel);
                                OperatorTime.Work w = work[r];
                                for (long b : divisors(perRank)) {
                                    if (b > limits.maxMicroBatchSize()) {
                                        break;
                                    }
                                    // BatchShape.microBatchesPerStep without its checks: b divides perRank = global / d
                                    long microBatches = perRank / b;
                                    if (v > 1 && microBatches % p != 0) {
                                        rejected.merge(INTERLEAVING_MICRO_BATCHES, (long) zeroStages.length, Long::sum);
                                        if (tally != null) {
                                            tally.reject(INTERLEAVING_MICRO_BATCHES, zeroStages.length);
                                        }
                                        continue;
                                    }
                                    ActivationProfile profile = profiles.get(r).computeIfAbsent(b,
                                            (key) -> ActivationCalculator.profile(m,
                                                    new BatchShape(b, q.sequenceLength(), q.globalBatchSize()),
                                                    options, par));
                                    OperatorTime.Pipeline pipeline = StepTimeModel.pipeline(w, m, options, b,
                                            q.sequenceLength(), par, gpu, kernels);
                                    double bubble = pipeline.bubbleSeconds(v);
                                    memory.nextBatch(profile, microBatches, v);
                                    for (int z = 0; z < zeroStages.length; z++) {
                                        evaluated++;
                                        long bytes = memory.perGpuBytes(z, trainings[z], par, q.allowance(),
                                                fragmentation);
                                        if (tally != null) {
                                            tally.evaluated++;
                                        }
                                        if (bytes > budget) {
                                            doesNotFit++;
                                            if (tally != null) {
                                                tally.doesNotFit++;
                                            }
                                            continue;
                                        }
                                        if (!memory.hostFits(z, trainings[z], flat, q.cluster())) {
                                            hostDoesNotFit++;
                                            if (tally != null) {
                                                tally.hostDoesNotFit++;
                                            }
                                            continue;
                                        }
                                        StepTime.KernelSeconds compute = StepTime.KernelSeconds.of(
                                                pipeline.slowest(), microBatches, optimizer[z],
                                                OperatorTime.gradientAccumulationSeconds(gradients[z], microBatches,
                                                        trainings[z].precision(), gpu, kernels));
                                        OffloadTime offloaded = trainings[z].offload().any()
                                                ? OffloadTime.of(trainings[z], q.cluster(), partition[z], compute,
                                                        microBatches, 0)
                                                : null;
                                        fitting.add(new Candidate(
                                                new Layout(par, zeroStages[z], choice.mode(), sequenceParallel,
                                                        b, trainings[z].offload(), choice.modules()),
                                                microBatches, bytes, compute, bubble, offloaded,
                                                compute.totalSeconds() + bubble
                                                        + (offloaded != null ? offloaded.exposedSeconds() : 0),
                                                modelFlops[r], stages));
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        if (doesNotFit > 0) {
            rejected.merge(DOES_NOT_FIT, doesNotFit, Long::sum);
        }
        if (hostDoesNotFit > 0) {
            rejected.merge(HOST_DOES_NOT_FIT, hostDoesNotFit, Long::sum);
        }

        // the candidates in order of lower bound, bytes and layout, taken one by one from a heap: only those
        // before the cut-off are ever ordered
        PriorityQueue<Candidate> queue = new PriorityQueue<>(fitting);
        List<Plan> best = new ArrayList<>();
        long communicationEvaluated = 0;
        StageSecondsCache pricing = new StageSecondsCache(q);
        while (!queue.isEmpty()) {
            Candidate candidate = queue.poll();
            if (best.size() == q.limit()
                    && candidate.lowerBound() > best.get(best.size() - 1).step().totalSeconds()) {
                break;
            }
            communicationEvaluated++;
            Plan plan = plan(q, candidate, fullLedgers ? ledgerExposedCommunication(q, candidate)
                    : pricing.exposedCommunication(candidate));
            int at = 0;
            while (at < best.size() && ranking(best.get(at), plan) <= 0) {
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
                assumptions(q), expertDegrees(q, tallies, fitting, fullLedgers, pricing));
    }

    /** A mixture-of-experts search's counts at one expert-parallel degree. */
    private static final class ExpertTally {

        private final Map<String, Long> rejected = new TreeMap<>();

        private long evaluated;

        private long doesNotFit;

        private long hostDoesNotFit;

        void reject(String reason, long count) {
            this.rejected.merge(reason, count, Long::sum);
        }
    }

    /** The expert degrees a MoE search tries (constraints.expert, or every divisor of the experts), none if dense. */
    private static Map<Long, ExpertTally> expertTallies(PlanSearch q) {
        Architecture m = q.model();
        int only = q.constraints().expert();
        if (!m.isMoe()) {
            require(only <= 1, "constraints.expert", "applies to mixture-of-experts models only");
            return Map.of();
        }
        require(only == 0 || m.moe().numExperts() % only == 0, "constraints.expert",
                "must divide the " + m.moe().numExperts() + " experts");
        Map<Long, ExpertTally> tallies = new TreeMap<>();
        for (long e : divisors(m.moe().numExperts())) {
            if (only == 0 || e == only) {
                tallies.put(e, new ExpertTally());
            }
        }
        return tallies;
    }

    /**
     * Each expert degree's fastest fitting plan, found as the answer's plans are (candidates of that degree in order
     * of lower bound, priced until the next cannot beat the best), with its counts.
     */
    private static List<ExpertDegree> expertDegrees(PlanSearch q, Map<Long, ExpertTally> tallies,
            List<Candidate> fitting, boolean fullLedgers, StageSecondsCache pricing) {
        if (tallies.isEmpty()) {
            return List.of();
        }
        List<Candidate> ordered = new ArrayList<>(fitting);
        ordered.sort(null);
        List<ExpertDegree> degrees = new ArrayList<>();
        for (Map.Entry<Long, ExpertTally> entry : tallies.entrySet()) {
            long e = entry.getKey();
            ExpertTally tally = entry.getValue();
            Plan best = null;
            for (Candidate candidate : ordered) {
                if (candidate.layout().parallelism().expert() != e) {
                    continue;
                }
                if (best != null && candidate.lowerBound() > best.step().totalSeconds()) {
                    break;
                }
                Plan plan = plan(q, candidate, fullLedgers ? ledgerExposedCommunication(q, candidate)
                        : pricing.exposedCommunication(candidate));
                if (best == null || ranking(plan, best) < 0) {
                    best = plan;
                }
            }
            Map<String, Long> rejected = new TreeMap<>(tally.rejected);
            if (tally.doesNotFit > 0) {
                rejected.merge(DOES_NOT_FIT, tally.doesNotFit, Long::sum);
            }
            if (tally.hostDoesNotFit > 0) {
                rejected.merge(HOST_DOES_NOT_FIT, tally.hostDoesNotFit, Long::sum);
            }
            degrees.add(new ExpertDegree((int) e, best, tally.evaluated,
                    tally.evaluated - tally.doesNotFit - tally.hostDoesNotFit,
                    rejected));
        }
        return degrees;
    }

    /** A priced candidate as a plan: its step time with the exposed communication, and its MFU. */
    private static Plan plan(PlanSearch q, Candidate candidate, ExposedCommunication communication) {
        StepTime step = StepTime.of(candidate.compute(), candidate.bubble(), communication, candidate.offload(),
                q.efficiency());
        double mfu = StepTimeModel.mfu(candidate.modelFlops(), step.totalSeconds(), q.cluster().gpuCount(),
                q.cluster().gpu().peakFlops());
        return new Plan(candidate.layout(), candidate.microBatches(), candidate.bytes(), step, mfu, q.precision());
    }

    /** Ranking of plans: step time, then memory, then {@link #LAYOUT_ORDER}. */
    static int ranking(Plan a, Plan b) {
        int byTime = Double.compare(a.step().totalSeconds(), b.step().totalSeconds());
        if (byTime != 0) {
            return byTime;
        }
        int byBytes = Long.compare(a.perGpuBytes(), b.perGpuBytes());
        return byBytes != 0 ? byBytes : LAYOUT_ORDER.compare(a.layout(), b.layout());
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

    /**
     * Interleaved chunks per stage to try: 1, and with a pipeline every v up to {@code max} that divides the layers per
     * stage (Megatron's interleaved schedule needs numLayers divisible by p·v).
     */
    static List<Integer> virtualPipelines(Architecture m, int p, int max) {
        if (p == 1 || max == 1 || m.numLayers() % p != 0) {
            return List.of(1);
        }
        List<Integer> chunks = new ArrayList<>();
        int perStage = m.numLayers() / p;
        for (int v = 1; v <= Math.min(max, perStage); v++) {
            if (perStage % v == 0) {
                chunks.add(v);
            }
        }
        return chunks;
    }

    /** Expert degrees to consider: the divisors of the experts for a MoE model; 1 for a dense model. */
    private static List<Long> expertDegrees(Architecture m) {
        return m.isMoe() ? divisors(m.moe().numExperts()) : List.of(1L);
    }

    /**
     * The per-GPU total of one parallel layout's candidates, as TrainingMemoryCalculator: per stage, states + kept
     * + transient + allowance; the largest. A stage's model states depend only on the ZeRO stage and its
     * activation peak only on the micro-batch (profile and count), so each is computed once, at the first
     * candidate that needs it: the same values, computed (and failing, if they overflow) in the same order as
     * computing every candidate afresh.
     */
    private static final class StageMemory {

        private final Architecture model;

        private final List<LocalParameters> stages;

        /** The stages that can hold the largest total, and their dense- and MoE-FFN layers. */
        private final int[] considered;

        private final int[] denseLayers;

        private final int[] moeLayers;

        /** Model-state bytes per ZeRO stage and considered stage, -1 until computed. */
        private final long[][] states;

        /** Activation peak bytes of the current micro-batch per considered stage, -1 until computed. */
        private final long[] peaks;

        private ActivationProfile profile;

        /** The stage whose GPU holds the most after the last {@link #perGpuBytes} (the first, on a tie). */
        private int busiest;

        /** Host bytes per node of each ZeRO stage's offload per stage, -1 until computed. */
        private final long[][] hostBytes;

        private long microBatches;

        private int virtualPipeline = 1;

        StageMemory(Architecture m, List<LocalParameters> stages, int zeroStages) {
            this.model = m;
            this.stages = stages;
            int p = stages.size();
            // with one kind of layer, middle stages hold the same states and fewer micro-batches the later they are:
            // the largest total is on the first, the second or the last stage
            boolean uniform = m.denseFfnLayers() == 0 || m.moeLayers() == 0;
            int[] considered = new int[p];
            int[] dense = new int[p];
            int[] moe = new int[p];
            int count = 0;
            int start = 0;
            for (int k = 0; k < p; k++) {
                int layers = stages.get(k).layers();
                if (!(uniform && k > 1 && k < p - 1)) {
                    considered[count] = k;
                    dense[count] = m.denseFfnLayersIn(start, layers);
                    moe[count] = layers - dense[count];
                    count++;
                }
                start += layers;
            }
            this.considered = Arrays.copyOf(considered, count);
            this.denseLayers = Arrays.copyOf(dense, count);
            this.moeLayers = Arrays.copyOf(moe, count);
            this.states = new long[zeroStages][count];
            for (long[] row : this.states) {
                Arrays.fill(row, -1);
            }
            this.peaks = new long[count];
            this.hostBytes = new long[zeroStages][p];
            for (long[] row : this.hostBytes) {
                Arrays.fill(row, -1);
            }
        }

        void nextBatch(ActivationProfile profile, long microBatches, int virtualPipeline) {
            this.profile = profile;
            this.microBatches = microBatches;
            this.virtualPipeline = virtualPipeline;
            Arrays.fill(this.peaks, -1);
        }

        long perGpuBytes(int zero, Training training, Parallelism par, FrameworkAllowance allowance,
                FrameworkAllowance.Fragmentation fragmentation) {
            int p = this.stages.size();
            long[] states = this.states[zero];
            long worst = 0;
            for (int i = 0; i < this.considered.length; i++) {
                int k = this.considered[i];
                long state = states[i];
                if (state < 0) {
                    // with parameter offload the GPU keeps the layer gathered for compute, as /memory/training
                    state = ModelStateCalculator.perGpu(this.stages.get(k), training, par,
                            ModelStateCalculator.workingLayer(this.model, training, par)).totalBytes();
                    states[i] = state;
                }
                long peak = this.peaks[i];
                if (peak < 0) {
                    long inFlight = Math.min(p - k, this.microBatches);
                    peak = Exact.add("perGpu.totalBytes",
                            this.profile.keptBytes(this.denseLayers[i], this.moeLayers[i], inFlight, k == 0, k == p - 1,
                                    p, this.virtualPipeline),
                            this.profile.transientBytes(this.denseLayers[i], this.moeLayers[i], k == p - 1));
                    this.peaks[i] = peak;
                }
                long total = TrainingMemoryCalculator.stageTotal(state, peak, allowance, fragmentation);
                if (total > worst || i == 0) {
                    worst = total;
                    this.busiest = k;
                }
            }
            return worst;
        }

        /**
         * Whether a node's CPU memory holds what the offload keeps there: the busiest GPU's stage's rank buffers
         * × the node's ranks, as {@code /checks} and {@code /memory/training} count them (always, with nothing on the
         * CPU or the node's memory unknown). Call after {@link #perGpuBytes} for the same ZeRO stage.
         */
        boolean hostFits(int zero, Training training, Parallelism par, Cluster cluster) {
            if (!cluster.knowsHostMemory() || training.offload().optimizer() != OffloadDevice.CPU
                    && training.offload().parameters() != OffloadDevice.CPU) {
                return true;
            }
            long bytes = this.hostBytes[zero][this.busiest];
            if (bytes < 0) {
                bytes = ModelStateCalculator.offloaded(this.stages.get(this.busiest), training, par)
                        .bytesPerNode(OffloadDevice.CPU, cluster.ranksPerNode());
                this.hostBytes[zero][this.busiest] = bytes;
            }
            return cluster.hostHolds(bytes);
        }
    }

    /**
     * The memory breakdown of a plan the search returned (model states, activations, transient, allowance of its
     * most-loaded stage), by the same calculation as {@code /memory/training}.
     */
    public static TrainingMemory memory(PlanSearch search, Plan plan) {
        PlanSearch q = search.withPrecision(plan.precision());
        Layout layout = plan.layout();
        return TrainingMemoryCalculator.estimate(q.model(), batch(q, layout), training(q, layout), options(q, layout),
                layout.parallelism(), q.allowance(), 0);
    }

    /**
     * A search at each of several training precisions (FP8 or not, FP32 or mixed), answered as one: the best plans
     * over all of them (ties: the precision listed first), counts and rejections added up, each expert degree's best
     * across them. Each precision must run on the GPU ({@code Training.requireRunsOn}; the caller checks).
     */
    public static PlanResult search(PlanSearch q, List<Precision> precisions) {
        if (precisions == null || precisions.size() <= 1) {
            return search(precisions == null || precisions.isEmpty() ? q : q.withPrecision(precisions.get(0)));
        }
        List<PlanResult> results = new ArrayList<>();
        for (Precision precision : precisions) {
            results.add(search(q.withPrecision(precision)));
        }
        return merge(results, precisions, q.limit());
    }

    /** Results of one search per precision as one answer (see {@link #search(PlanSearch, List)}). */
    static PlanResult merge(List<PlanResult> results, List<Precision> precisions, int limit) {
        List<Plan> plans = new ArrayList<>();
        Map<String, Long> rejected = new TreeMap<>();
        long evaluated = 0;
        long fitting = 0;
        long communication = 0;
        Map<Integer, ExpertDegree> degrees = new TreeMap<>();
        for (PlanResult r : results) {
            plans.addAll(r.plans());
            r.rejected().forEach((reason, count) -> rejected.merge(reason, count, Long::sum));
            evaluated += r.evaluated();
            fitting += r.fitting();
            communication += r.communicationEvaluated();
            for (ExpertDegree e : r.expertDegrees()) {
                degrees.merge(e.expert(), e, (a, b) -> {
                    Plan best = a.best() == null ? b.best() : b.best() == null ? a.best()
                            : mergedRanking(a.best(), b.best(), precisions) <= 0 ? a.best() : b.best();
                    Map<String, Long> reasons = new TreeMap<>(a.rejected());
                    b.rejected().forEach((reason, count) -> reasons.merge(reason, count, Long::sum));
                    return new ExpertDegree(a.expert(), best, a.evaluated() + b.evaluated(), a.fitting() + b.fitting(),
                            reasons);
                });
            }
        }
        plans.sort((a, b) -> mergedRanking(a, b, precisions));
        List<String> assumptions = new ArrayList<>(results.get(0).assumptions());
        assumptions.add("Precisions searched: " + precisions + ", each a search of its own (memory, FLOPs and peaks at "
                + "that precision); the plans are the fastest over all of them, ties going to the precision listed "
                + "first, and evaluated, fitting and rejected add up.");
        return new PlanResult(List.copyOf(plans.subList(0, Math.min(limit, plans.size()))), rejected, evaluated,
                fitting, communication, assumptions, List.copyOf(degrees.values()));
    }

    // the search's ranking, then the order the precisions were listed in
    private static int mergedRanking(Plan a, Plan b, List<Precision> precisions) {
        int c = ranking(a, b);
        return c != 0 ? c : Integer.compare(precisions.indexOf(a.precision()), precisions.indexOf(b.precision()));
    }

    /** A candidate's options: the search's dropout, an fp32 loss, and its recomputation. */
    private static ActivationOptions options(PlanSearch q, Layout layout) {
        return options(q, layout.recomputation(), layout.recomputeModules(), layout.sequenceParallel());
    }

    private static ActivationOptions options(PlanSearch q, PlanConstraints.RecomputeChoice choice,
            boolean sequenceParallel) {
        return options(q, choice.mode(), choice.modules(), sequenceParallel);
    }

    private static ActivationOptions options(PlanSearch q, Recomputation mode, Set<RecomputeModule> modules,
            boolean sequenceParallel) {
        return new ActivationOptions(mode, q.attention(), sequenceParallel, q.dropout(), q.residualDropout(), true,
                q.precision().activations(), AdapterActivations.NONE, modules, q.precision().fp8(), false,
                q.fusedGatedActivation());
    }

    private static BatchShape batch(PlanSearch q, Layout layout) {
        return new BatchShape(layout.microBatchSize(), q.sequenceLength(), q.globalBatchSize());
    }

    private static Training training(PlanSearch q, Layout layout) {
        return new Training(q.precision(), q.optimizer(), layout.zeroStage(), layout.offload());
    }

    /** DeepSpeed offloads the optimizer from ZeRO-1 and the parameters at ZeRO-3 only. */
    static boolean offloadAllowed(ZeroStage zero, Offload offload) {
        return (offload.optimizer() == OffloadDevice.NONE || zero != ZeroStage.ZERO_0)
                && (offload.parameters() == OffloadDevice.NONE || zero == ZeroStage.ZERO_3);
    }

    /** The same seconds from the full ledger of {@code /communication} (tests compare the two searches). */
    private static ExposedCommunication ledgerExposedCommunication(PlanSearch q, Candidate candidate) {
        Layout layout = candidate.layout();
        TrainingRun run = TrainingRun.full(q.model(), batch(q, layout), training(q, layout), options(q, layout),
                layout.parallelism());
        List<StageSeconds> stages = CommunicationCalculator.estimate(run, RankOrder.MEGATRON, Network.of(q.cluster()))
                .stages().stream().map(StageTraffic::seconds).toList();
        return StepTimeModel.worstStage(stages, candidate.compute(), candidate.microBatches(), q.efficiency(),
                layout.sequenceParallel(), false, layout.parallelism().interleaved());
    }

    /**
     * Each layout's communication pricing ({@link CommunicationSeconds}), built once and shared by its ZeRO stages,
     * recomputation modes and micro-batches.
     */
    private static final class StageSecondsCache {

        private final PlanSearch q;

        private final Network network;

        private final Map<Parallelism, CommunicationSeconds> layouts = new HashMap<>();

        StageSecondsCache(PlanSearch q) {
            this.q = q;
            this.network = Network.of(q.cluster());
        }

        ExposedCommunication exposedCommunication(Candidate candidate) {
            Layout layout = candidate.layout();
            CommunicationSeconds seconds = this.layouts.get(layout.parallelism());
            if (seconds == null) {
                seconds = CommunicationSeconds.of(this.q.model(), layout.parallelism(), RankOrder.MEGATRON,
                        this.network, candidate.stages());
                this.layouts.put(layout.parallelism(), seconds);
            }
            return StepTimeModel.exposedCommunication(seconds, batch(this.q, layout), training(this.q, layout),
                    options(this.q, layout), candidate.compute(), candidate.microBatches(),
                    this.q.efficiency(), false, layout.parallelism().interleaved());
        }
    }

    static final Comparator<Layout> LAYOUT_ORDER = Layout::compare;

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

    private static String dropout(PlanSearch q) {
        if (q.dropout() && q.residualDropout()) {
            return "attention and residual dropout on";
        }
        return q.dropout() ? "attention dropout on" : q.residualDropout() ? "residual dropout on" : "dropout off";
    }

    static List<String> assumptions(PlanSearch q) {
        List<String> offloads = new ArrayList<>();
        for (Offload offload : q.constraints().offloads()) {
            if (offload.any()) {
                offloads.add("optimizer " + offload.optimizer() + ", parameters " + offload.parameters());
            }
        }
        String offload = offloads.isEmpty() ? "Nothing is offloaded (constraints.allowOffload tries the optimizer on "
                + "the CPU)."
                : "Offload tried: " + String.join("; ", offloads) + " (the optimizer from ZeRO-1, the parameters at "
                        + "ZeRO-3), its GPU memory as /memory/training counts it and its time as /checks' offload time "
                        + "(CPU optimizer step, host-link and NVMe transfers); the host memory per node is not checked "
                        + "by the search (check the chosen plan with /checks and requirements.maxHostBytesPerNode).";
        return List.of(
                "Every split of the " + q.cluster().gpuCount() + " GPUs into tensor × context × pipeline × data (and, "
                        + "for a mixture of experts, every expert degree dividing the experts and data × context, each "
                        + "reported in expertParallel) is tried with each ZeRO stage, "
                        + "recomputation mode and micro-batch size dividing the per-rank batch (up to "
                        + q.constraints().maxMicroBatchSize() + ") and interleaving v up to "
                        + q.constraints().maxVirtualPipeline() + " (v dividing the layers per stage, micro-batches "
                        + "divisible by the pipeline degree); " + (q.constraints().sequenceParallel()
                                ? "sequence parallelism is on whenever tensor parallelism is (it saves memory and splits "
                                        + "the element-wise work)"
                                : "no sequence parallelism") + "; " + dropout(q) + ".",
                "Memory per GPU is the /memory/training total (model states + activations + transient + allowance) "
                        + "of the most-loaded pipeline stage; a plan fits when it is at most "
                        + q.constraints().maxMemoryFraction() + " × the GPU's " + q.cluster().gpu().memoryBytes()
                        + " bytes.",
                StepTimeModel.describe(q.efficiency()) + " " + StepTimeModel.attentionCounting(q.attention()),
                "MFU = model FLOPs per step ÷ (step time × GPUs × dense peak). Ranking: step time, then memory, then "
                        + "smaller tensor, pipeline, interleaving, context, expert, data degrees, ZeRO stage, offload, "
                        + "recomputation, micro-batch.",
                offload);
    }

    /**
     * @param lowerBound compute + bubble + exposed offload: the step time without communication
     * @param stages the layout's parameters per pipeline stage
     * @param compute the slowest stage's micro-batches and optimizer step, by operator class
     * @param offload what its offload costs ({@code null} when nothing is offloaded)
     */
    private record Candidate(Layout layout, long microBatches, long bytes, StepTime.KernelSeconds compute,
            double bubble, OffloadTime offload, double lowerBound, double modelFlops, List<LocalParameters> stages)
            implements Comparable<Candidate> {

        /** Lower bound, then bytes, then {@link #LAYOUT_ORDER}. */
        @Override
        public int compareTo(Candidate other) {
            int byBound = Double.compare(this.lowerBound, other.lowerBound);
            if (byBound != 0) {
                return byBound;
            }
            int byBytes = Long.compare(this.bytes, other.bytes);
            return byBytes != 0 ? byBytes : LAYOUT_ORDER.compare(this.layout, other.layout);
        }
    }
}
