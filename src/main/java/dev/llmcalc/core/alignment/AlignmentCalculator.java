package dev.llmcalc.core.alignment;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import dev.llmcalc.core.alignment.AlignmentEstimate.Generation;
import dev.llmcalc.core.alignment.AlignmentEstimate.RoleStates;
import dev.llmcalc.core.alignment.AlignmentEstimate.RoleTraining;
import dev.llmcalc.core.alignment.AlignmentEstimate.Scoring;
import dev.llmcalc.core.compute.ForwardFlops;
import dev.llmcalc.core.compute.TrainingFlops;
import dev.llmcalc.core.hardware.Cluster;
import dev.llmcalc.core.memory.FrameworkAllowance;
import dev.llmcalc.core.memory.ModelStateBytes;
import dev.llmcalc.core.memory.TrainingMemory;
import dev.llmcalc.core.memory.TrainingMemoryCalculator;
import dev.llmcalc.core.plan.CapacityCheck;
import dev.llmcalc.core.plan.PlanSearch;
import dev.llmcalc.core.plan.Requirements;
import dev.llmcalc.core.plan.StepTimeModel;
import dev.llmcalc.core.hardware.GpuSpec;
import dev.llmcalc.core.hardware.KernelEfficiency;
import dev.llmcalc.core.memory.AdapterModelStates;
import dev.llmcalc.core.memory.GpuModelStates;
import dev.llmcalc.core.memory.InferenceMemoryCalculator;
import dev.llmcalc.core.memory.ModelStateCalculator;
import dev.llmcalc.core.memory.ModelStates;
import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.parallel.LocalParameters;
import dev.llmcalc.core.parallel.ParameterPlacement;
import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.params.ParameterCounter;
import dev.llmcalc.core.run.BatchShape;
import dev.llmcalc.core.run.Training;
import dev.llmcalc.core.run.TrainingRun;
import dev.llmcalc.core.run.ZeroStage;
import dev.llmcalc.core.unit.DType;
import dev.llmcalc.core.unit.Exact;

/**
 * Model states of every role of an alignment run on one GPU, and the rollout's KV cache and time bounds (issue 17,
 * first part). Trained roles are counted by the same calculation as {@code /memory/model-states}; frozen roles keep
 * their weights only (partitioned by ZeRO-3 like any weight); generation sizes the cache as {@code /memory/inference}
 * does.
 */
public final class AlignmentCalculator {

    private static final String Q = "modelStatesBytes";

    private AlignmentCalculator() {
    }

    /** @param gpu the GPU, for the cache budget and the time bounds, or {@code null} */
    public static AlignmentEstimate estimate(AlignmentRun run, GpuSpec gpu) {
        long phi = ParameterCounter.count(run.policy()).totalParameters();
        List<RoleStates> roles = new ArrayList<>();
        long total = 0;
        boolean colocated = run.placement() == Placement.COLOCATED;
        for (Role role : run.algorithm().roles()) {
            RoleStates states = roleStates(run, role, parameters(run, role));
            roles.add(states);
            total = colocated ? Exact.add(Q, total, states.bytesPerGpu()) : Math.max(total, states.bytesPerGpu());
        }
        Generation generation = run.rollout() != null ? generation(run, phi, gpu) : null;
        Scoring scoring = null;
        List<RoleTraining> training = List.of();
        if (run.batch() != null) {
            scoring = scoring(run, gpu);
            training = training(run, roles, colocated ? total : 0, gpu);
        }
        return new AlignmentEstimate(roles, total, generation, scoring, training, run.placement(), run.gpuCount(),
                peak(run, roles, total, generation, training),
                assumptions(run, gpu));
    }

    /**
     * The largest per-GPU memory of the step: the model states; the generation engine's weights and the KV cache of
     * one wave beside the roles resident on the policy's GPUs; a trained role's training total beside the others.
     */
    static AlignmentEstimate.Peak peak(AlignmentRun run, List<RoleStates> roles, long resident, Generation generation,
            List<RoleTraining> training) {
        AlignmentEstimate.Peak peak = new AlignmentEstimate.Peak(AlignmentEstimate.Phase.MODEL_STATES, null, resident);
        if (generation != null && generation.maxSequencesInCache() != null && generation.maxSequencesInCache() > 0) {
            long onPolicyGpus = run.placement() == Placement.COLOCATED ? resident : roles.get(0).bytesPerGpu();
            long wave = Math.min(generation.sequencesPerEngine(), generation.maxSequencesInCache());
            long cache = Exact.multiply(Q, wave, Exact.multiply(Q, generation.kvCacheBytesPerToken(),
                    run.rollout().tokensPerSequence()));
            long bytes = Exact.sum(Q, onPolicyGpus, generation.weightsBytesPerGpu(), cache);
            if (bytes > peak.bytes()) {
                peak = new AlignmentEstimate.Peak(AlignmentEstimate.Phase.GENERATION, Role.POLICY, bytes);
            }
        }
        for (RoleTraining role : training) {
            if (role.peakBytes() > peak.bytes()) {
                peak = new AlignmentEstimate.Peak(AlignmentEstimate.Phase.TRAINING, role.role(), role.peakBytes());
            }
        }
        return peak;
    }

    /** The training phase's batch: DPO trains on pairs, each a chosen and a rejected sequence (twice the sequences). */
    static BatchShape trainingBatch(AlignmentRun run) {
        BatchShape batch = run.batch();
        if (run.algorithm() != Algorithm.DPO) {
            return batch;
        }
        return new BatchShape(Exact.multiply(Q, 2, batch.microBatchSize()), batch.sequenceLength(),
                Exact.multiply(Q, 2, batch.globalBatchSize()));
    }

    /** What one step consumes: PPO / GRPO prompts, DPO pairs, SFT and reward-model sequences (the global batch). */
    public static long examplesPerStep(AlignmentRun run) {
        if (run.rollout() != null) {
            return run.rollout().prompts();
        }
        return run.batch() != null ? Math.max(1, run.batch().globalBatchSize()) : 1;
    }

    /**
     * The step against CI requirements: memory (the step's peak ÷ GPU memory) and step seconds.
     *
     * @return the violated requirements, empty when the step passes
     */
    public static List<CapacityCheck.Violation> violations(AlignmentEstimate estimate, long gpuMemoryBytes,
            Double maxMemoryFraction, Double maxStepSeconds) {
        List<CapacityCheck.Violation> violations = new ArrayList<>();
        double fraction = estimate.peak().bytes() / (double) gpuMemoryBytes;
        double maxFraction = maxMemoryFraction != null ? maxMemoryFraction : 1.0;
        if (fraction > maxFraction) {
            violations.add(new CapacityCheck.Violation("maxMemoryFraction", maxFraction, fraction));
        }
        if (!estimate.fits(gpuMemoryBytes) && fraction <= maxFraction) {
            violations.add(new CapacityCheck.Violation("generation", 1, 0));
        }
        Double step = estimate.stepSeconds();
        if (maxStepSeconds != null && step != null && step > maxStepSeconds) {
            violations.add(new CapacityCheck.Violation("maxStepSeconds", maxStepSeconds, step));
        }
        return List.copyOf(violations);
    }

    /** Sequences one alignment step trains on: the rollout's responses, else one global batch. */
    static long sequencesPerStep(AlignmentRun run) {
        return run.rollout() != null ? run.rollout().sequences() : Math.max(1, trainingBatch(run).globalBatchSize());
    }

    // PPO / GRPO: ppo_epochs passes, each over the step's sequences in mini-batches of the global batch (OpenRLHF,
    // verl); DPO, SFT and reward-model training: one optimizer step per batch
    static long optimizerSteps(AlignmentRun run) {
        long global = trainingBatch(run).globalBatchSize();
        long perEpoch = run.rollout() != null && global > 0 ? Exact.ceilDiv(run.rollout().sequences(), global) : 1;
        return Exact.multiply(Q, run.epochs(), perEpoch);
    }

    /** The GPUs a role runs on: all of them colocated, its own pool separate. */
    private static Cluster cluster(AlignmentRun run, Role role, GpuSpec gpu) {
        return gpu == null ? null : Cluster.of(gpu, Math.toIntExact(run.parallelism(role).gpuCount()), null);
    }

    /** @param residentBytes colocated: every role's model states on a GPU (0 when each role has its own GPUs) */
    private static List<RoleTraining> training(AlignmentRun run, List<RoleStates> roles, long residentBytes,
            GpuSpec gpu) {
        BatchShape batch = trainingBatch(run);
        long gpuMemory = gpu != null ? gpu.memoryBytes() : 0;
        List<RoleTraining> list = new ArrayList<>();
        for (RoleStates states : roles) {
            if (!states.trained()) {
                continue;
            }
            Parallelism par = run.parallelism(states.role());
            Cluster cluster = cluster(run, states.role(), gpu);
            Role role = states.role();
            TrainingRun trained = TrainingRun.of(run.roleModel(role), run.training(role), run.fineTuning(role), batch,
                    run.options(), par);
            TrainingMemory memory = TrainingMemoryCalculator.estimate(trained, FrameworkAllowance.DEFAULT, gpuMemory);
            long others = residentBytes == 0 ? 0 : Exact.subtract(Q, residentBytes, states.bytesPerGpu());
            long steps = optimizerSteps(run);
            Double stepSeconds = cluster != null && batch.globalBatchSize() > 0
                    ? CapacityCheck.check(trained, cluster, FrameworkAllowance.DEFAULT,
                            KernelEfficiency.forGpu(cluster.gpu()), NO_REQUIREMENTS).step().totalSeconds() : null;
            list.add(new RoleTraining(states.role(), memory, Exact.add(Q, memory.totalBytes(), others), steps,
                    stepSeconds, stepSeconds != null ? stepSeconds * steps : null));
        }
        return list;
    }

    private static final Requirements NO_REQUIREMENTS = Requirements.NONE;

    /**
     * The roles that run forward over the step's sequences before training: PPO the policy (old log-probabilities),
     * reference, reward and critic; GRPO the same without a critic; DPO the reference on chosen and rejected.
     */
    static List<Role> scoringRoles(Algorithm algorithm) {
        return switch (algorithm) {
            case PPO -> List.of(Role.POLICY, Role.REFERENCE, Role.REWARD, Role.CRITIC);
            case GRPO -> List.of(Role.POLICY, Role.REFERENCE, Role.REWARD);
            case DPO -> List.of(Role.REFERENCE);
            case SFT, REWARD_MODEL -> List.of();
        };
    }

    private static Scoring scoring(AlignmentRun run, GpuSpec gpu) {
        BatchShape batch = run.batch();
        long sequences = run.rollout() != null ? run.rollout().sequences() : trainingBatch(run).globalBatchSize();
        double tokens = (double) sequences * batch.sequenceLength();
        int s = Math.toIntExact(Math.min(batch.sequenceLength(), Integer.MAX_VALUE));
        double flops = 0;
        double seconds = 0;
        List<Role> roles = scoringRoles(run.algorithm());
        for (Role role : roles) {
            // one forward pass (Narayanan et al. 2021 §5.1 counting; a scalar head is 2·h)
            double roleFlops = tokens * TrainingFlops.forwardPerToken(run.roleModel(role), s, false).total();
            flops += roleFlops;
            if (gpu != null) {
                double roleSeconds = StepTimeModel.computeSeconds(roleFlops, run.parallelism(role).gpuCount(),
                        gpu.peakFlops(), KernelEfficiency.forGpu(gpu).matmul());
                // colocated: one role after another on all GPUs; separate: at the same time, each on its own
                seconds = run.placement() == Placement.COLOCATED ? seconds + roleSeconds : Math.max(seconds, roleSeconds);
            }
        }
        return new Scoring(roles, sequences, flops, gpu != null ? seconds : null);
    }

    /**
     * A role's parameters: its model's; reward and critic with a scalar head in place of the LM head (OpenRLHF / verl:
     * Llama-2-7B 6,738,415,616 − 32,000·4,096 + 4,096 = 6,607,347,712).
     */
    static long parameters(AlignmentRun run, Role role) {
        Architecture model = run.roleModel(role);
        run.parallelism(role).requireFits(model);
        return ParameterCounter.count(model).totalParameters();
    }

    private static RoleStates roleStates(AlignmentRun run, Role role, long parameters) {
        Parallelism par = run.parallelism(role);
        if (role == Role.REFERENCE && run.referenceIsPolicyBase()) {
            return new RoleStates(role, false, parameters, 0, "the policy's frozen base with its adapters switched off "
                    + "(TRL, OpenRLHF): no second copy");
        }
        if (role.trained(run.algorithm())) {
            GpuModelStates states = ModelStateCalculator.forModel(run.roleModel(role), run.training(role),
                    run.fineTuning(role), par);
            long bytes = states instanceof AdapterModelStates adapters ? adapters.states().totalBytes()
                    : ((ModelStates) states).perGpu().totalBytes();
            return new RoleStates(role, true, parameters, bytes, "trained (" + run.fineTuning(role).method()
                    + "): as /memory/model-states" + (role.scalarHead() ? " for its scalar-head model" : ""));
        }
        LocalParameters local = busiest(ParameterPlacement.stages(run.roleModel(role), par));
        return new RoleStates(role, false, parameters, frozenWeightsBytes(local, run.training(), par,
                run.precision(role)), "frozen: weights only at " + run.precision(role)
                        + (run.training().zeroStage() == ZeroStage.ZERO_3 ? ", partitioned by ZeRO-3" : ""));
    }

    private static LocalParameters busiest(List<LocalParameters> stages) {
        LocalParameters busiest = stages.get(0);
        for (LocalParameters stage : stages) {
            if (stage.total() > busiest.total()) {
                busiest = stage;
            }
        }
        return busiest;
    }

    // a frozen model keeps its weights only; ZeRO-3 partitions them over data × context (experts over their group)
    static long frozenWeightsBytes(LocalParameters local, Training training, Parallelism par, DType precision) {
        boolean shard = training.zeroStage().shardsWeights();
        long dense = shard ? Exact.ceilDiv(local.dense(), training.denseShardingDegree(par)) : local.dense();
        long expert = shard && local.expert() > 0 ? Exact.ceilDiv(local.expert(), training.expertShardingDegree(par))
                : local.expert();
        return precision.bytesFor(Q, Exact.add(Q, dense, expert));
    }

    private static Generation generation(AlignmentRun run, long phi, GpuSpec gpu) {
        Rollout rollout = run.rollout();
        Architecture m = run.policy();
        Parallelism par = run.parallelism();
        int t = par.tensor();
        DType precision = run.frozenPrecision();
        long engines = par.gpuCount() / t;
        long sequences = Exact.ceilDiv(rollout.sequences(), engines);
        long weights = precision.bytesFor(Q, Exact.ceilDiv(phi, t));
        long perToken = Exact.ceilDiv(InferenceMemoryCalculator.kvCacheBytesPerToken(m, precision), t);
        long perSequence = Exact.multiply("kvCacheBytes", perToken, rollout.tokensPerSequence());
        long cache = Exact.multiply("kvCacheBytes", perSequence, sequences);
        if (gpu == null) {
            return new Generation(engines, sequences, weights, perToken, cache, null, null, null, null, null, null);
        }
        long budget = (long) Math.floor(gpu.memoryBytes() * rollout.cacheMemoryFraction()) - weights;
        long fitting = Math.max(0, budget) / perSequence;
        long maxResponse = maxResponseLength(budget, perToken, sequences, rollout.promptLength());
        if (fitting == 0) {
            return new Generation(engines, sequences, weights, perToken, cache, 0L, null, null, null, null, maxResponse);
        }
        long waves = Exact.ceilDiv(sequences, fitting);
        double bandwidth = gpu.memoryBandwidth();
        return new Generation(engines, sequences, weights, perToken, cache, fitting, waves,
                weightReadSeconds(waves, rollout.responseLength(), weights, bandwidth),
                cacheReadSeconds(sequences, perToken, rollout.promptLength(), rollout.responseLength(), bandwidth),
                prefillSeconds(phi, t, sequences, rollout.promptLength(), gpu.peakFlops(precision).orElse(gpu.peakFlops())),
                maxResponse);
    }

    // the cache of n sequences of P + R tokens is n·(P + R)·bytes per token: R ≤ budget / (n · bytes per token) − P
    static long maxResponseLength(long budget, long bytesPerToken, long sequences, long prompt) {
        long tokens = Math.max(0, budget) / Exact.multiply(Q, bytesPerToken, sequences);
        return Math.max(0, tokens - prompt);
    }

    // decoding is memory-bound: each wave reads the weights once per generated token (roofline lower bound)
    static double weightReadSeconds(long waves, long responseLength, long weightsBytes, double bandwidth) {
        return (double) waves * responseLength * weightsBytes / bandwidth;
    }

    // the i-th decoded token of a sequence reads its cache of P + i tokens: Σ over i < R of (P + i) = R·P + R(R−1)/2
    static double cacheReadSeconds(long sequences, long bytesPerToken, long prompt, long response, double bandwidth) {
        double tokensRead = (double) response * prompt + response * (response - 1) / 2.0;
        return sequences * bytesPerToken * tokensRead / bandwidth;
    }

    // prefill is compute-bound: 2·Φ FLOPs per prompt token (Kaplan et al. 2020), split over t GPUs, at the dense peak
    static double prefillSeconds(long phi, int t, long sequences, long prompt, double peak) {
        return 2.0 * phi * sequences * prompt / t / peak;
    }

    private static List<String> assumptions(AlignmentRun run, GpuSpec gpu) {
        List<String> list = new ArrayList<>();
        list.add(run.placement() == Placement.COLOCATED
                ? run.algorithm() + " keeps " + run.algorithm().roles() + "; every role is colocated on the same GPUs "
                        + "and layout and stays resident through the step (nothing offloaded), so the model states add up "
                        + "and the roles of a phase run one after another."
                : run.algorithm() + " keeps " + run.algorithm().roles() + ", each on GPUs of its own ("
                        + run.gpuCount() + " in all; the generation engines on the policy's): per-GPU figures are each "
                        + "role's on its pool, modelStatesBytes the largest, and the roles of a phase run at the same "
                        + "time, so a phase takes as long as its slowest role.");
        list.add("Trained roles: the policy (for REWARD_MODEL the reward model) with training.method "
                + run.fineTuning().method() + "; the critic with its own roles.critic.training (full training by "
                + "default). Frozen roles keep weights only, at " + run.frozenPrecision() + " unless their own precision "
                + "is set.");
        list.add("Reward and critic models have the policy's shape (or their own, from roles.<role>.model) with a scalar "
                + "head (h → 1, no bias) in place of the LM head, as OpenRLHF and verl build them, and are counted, placed "
                + "and timed as that model; with LoRA the scalar head stays with the frozen base (its h parameters).");
        if (run.fineTuning().isAdapter() && run.algorithm().roles().contains(Role.REFERENCE)) {
            list.add(run.separateReference() ? "A separate reference copy is kept, as requested."
                    : "The reference is the policy's frozen base with the adapters switched off: it adds no bytes.");
        }
        if (run.rollout() != null) {
            list.add("Generation: one engine per tensor-parallel group holds the whole policy at " + run.frozenPrecision()
                    + " and a KV cache of 2·L·g·d elements per token (MLA: the latent), ÷ t; "
                    + (gpu == null ? "no GPU given, so no cache budget or time bounds."
                            : "the cache budget is " + run.rollout().cacheMemoryFraction() + " × the GPU's memory less "
                                    + "the weights (vLLM's gpu_memory_utilization); time is bounded below by reading the "
                                    + "weights and the cache from HBM for every decoded token and by the prompts' "
                                    + "forward FLOPs at the dense peak. The generation phase's memory is the engine's "
                                    + "weights and the cache of one wave beside the model states resident on the policy's "
                                    + "GPUs (vLLM pre-allocates up to cacheMemoryFraction of the memory: lower it when the "
                                    + "resident states leave less)."));
        }
        if (run.batch() != null) {
            list.add("Training phase: each trained role as POST /api/v1/memory/training and /api/v1/checks compute it "
                    + "(model states, activations, transient, allowance; step time operator by operator at the GPU's "
                    + "fitted kernel efficiencies + bubble + exposed communication), with every other role's model states "
                    + "resident beside it" + (run.algorithm() == Algorithm.DPO ? "; DPO's micro- and global batch count "
                            + "preference pairs, each a chosen and a rejected sequence" : "")
                    + ". A scalar-head role is counted with the policy's activations and FLOPs (its LM-head logits "
                    + "included: an upper bound).");
            list.add("Scoring phase: one forward pass per scoring role over the step's sequences (" 
                    + scoringRoles(run.algorithm()) + "), its FLOPs at the GPU's fitted GEMM share of the dense peak over all "
                    + "GPUs.");
        }
        list.add("Not modelled: offloading idle roles between phases (they stay resident), the weight transfer from the "
                + "trainer to separate generation engines (SEPARATE placement runs the generation on the policy's GPUs), "
                + "and the scoring phase's activations (forward-only passes free theirs layer by layer).");
        return List.copyOf(list);
    }
}
