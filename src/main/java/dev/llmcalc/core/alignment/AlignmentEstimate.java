package dev.llmcalc.core.alignment;

import java.util.List;

import dev.llmcalc.core.memory.TrainingMemory;

/**
 * An alignment step's model states per GPU, role by role, and its generation phase.
 *
 * @param roles each model of the algorithm and what it holds on one GPU
 * @param modelStatesBytes colocated: their sum, every role resident on each GPU; separate: the largest role's, per GPU
 *        of its own pool
 * @param generation the rollout (PPO, GRPO), or {@code null}
 * @param scoring forward passes of the roles that score the step's sequences, or {@code null} without a batch
 * @param training each trained role's training memory and time, or empty without a batch
 * @param assumptions what the figures assume, in words
 */
public record AlignmentEstimate(List<RoleStates> roles, long modelStatesBytes, Generation generation,
        Scoring scoring, List<RoleTraining> training, Placement placement, long gpuCount, Peak peak,
        List<String> assumptions) {

    public AlignmentEstimate {
        roles = List.copyOf(roles);
        training = List.copyOf(training);
        assumptions = List.copyOf(assumptions);
    }

    /** The training phase's peak per GPU: the largest trained role's total with every other role resident. */
    public Long trainingPeakBytes() {
        return this.training.stream().map(RoleTraining::peakBytes).max(Long::compare).orElse(null);
    }

    /**
     * Whether the step fits a GPU of {@code gpuMemoryBytes}: its peak (the largest phase) within its memory, and at
     * least one sequence in the generation's cache budget.
     */
    public boolean fits(long gpuMemoryBytes) {
        boolean generates = this.generation == null || this.generation.maxSequencesInCache() == null
                || this.generation.maxSequencesInCache() > 0;
        return this.peak.bytes() <= gpuMemoryBytes && generates;
    }

    /** The phases of a step, for the peak's attribution. */
    public enum Phase {
        /** Every role's model states, before any phase adds to them. */
        MODEL_STATES,
        /** The rollout: the generation engine's weights and KV cache beside the resident model states. */
        GENERATION,
        /** A trained role's training total beside the other roles' model states. */
        TRAINING
    }

    /**
     * The step's largest per-GPU memory: in which phase, for which role, how many bytes.
     *
     * @param role the trained role for TRAINING, the policy for GENERATION, {@code null} for MODEL_STATES
     */
    public record Peak(Phase phase, Role role, long bytes) {
    }

    /** Seconds of the step's phases one after another (null when a phase could not be timed). */
    public Double stepSeconds() {
        if (this.scoring == null || this.scoring.seconds() == null
                || this.training.stream().anyMatch((r) -> r.seconds() == null)) {
            return null;
        }
        // colocated roles train one after another; separate ones at the same time on their own GPUs
        double seconds = this.scoring.seconds() + (this.placement == Placement.COLOCATED
                ? this.training.stream().mapToDouble(RoleTraining::seconds).sum()
                : this.training.stream().mapToDouble(RoleTraining::seconds).max().orElse(0));
        if (this.generation != null) {
            if (this.generation.lowerBoundSeconds() == null) {
                return null;
            }
            seconds += this.generation.lowerBoundSeconds();
        }
        return seconds;
    }

    /**
     * @param roles the roles whose forward pass scores the sequences
     * @param sequences sequences scored per step
     * @param flops their forward FLOPs together
     * @param seconds at the step-time model's efficiency: colocated over all GPUs one role after another, separate
     *        each role on its own GPUs at the same time (null without a GPU)
     */
    public record Scoring(List<Role> roles, long sequences, double flops, Double seconds) {

        public Scoring {
            roles = List.copyOf(roles);
        }
    }

    /**
     * A trained role's training phase.
     *
     * @param memory its /memory/training total on the most-loaded GPU (model states, activations, transient, allowance)
     * @param peakBytes that total plus, colocated, every other role's model states resident beside it
     * @param optimizerSteps optimizer steps per alignment step (epochs × sequences ÷ global batch)
     * @param stepSeconds one optimizer step, as /checks times it (null without a GPU or a global batch)
     * @param seconds all its optimizer steps (null when stepSeconds is)
     */
    public record RoleTraining(Role role, TrainingMemory memory, long peakBytes,
            long optimizerSteps, Double stepSeconds, Double seconds) {
    }

    /**
     * @param role the model
     * @param trained whether it is trained (weights, gradients, optimizer states) or frozen (weights only)
     * @param parameters its parameters (scalar-head roles: the policy's − LM head + h)
     * @param bytesPerGpu its model states on the most-loaded GPU
     * @param note how they are counted
     */
    public record RoleStates(Role role, boolean trained, long parameters, long bytesPerGpu, String note) {
    }

    /**
     * The rollout on one generation engine (a tensor-parallel group of the layout's t GPUs holding the whole policy).
     *
     * @param engines generation engines: GPUs / t
     * @param sequencesPerEngine responses one engine generates per step
     * @param weightsBytesPerGpu the policy's weights on one GPU of an engine, at the frozen precision
     * @param kvCacheBytesPerToken keys and values of one token on one GPU (2·L·g·d elements ÷ t; MLA: the latent)
     * @param kvCacheBytes the cache of all the engine's sequences at full length, per GPU
     * @param maxSequencesInCache how many full-length sequences fit next to the weights in the cache budget (null
     *        without a GPU)
     * @param waves generation waves the step needs (null without a GPU, or when not even one sequence fits)
     * @param weightReadSeconds lower bound: every decoded token reads the weights from HBM once per wave
     * @param cacheReadSeconds lower bound: every decoded token reads the cache of its sequence so far
     * @param prefillSeconds lower bound: the prompts' forward FLOPs (2·Φ per token) at the dense peak
     * @param maxResponseLength the longest response with which all the engine's sequences fit the cache in one wave
     *        (null without a GPU; 0 when not even the prompts fit)
     */
    public record Generation(long engines, long sequencesPerEngine, long weightsBytesPerGpu, long kvCacheBytesPerToken,
            long kvCacheBytes, Long maxSequencesInCache, Long waves, Double weightReadSeconds, Double cacheReadSeconds,
            Double prefillSeconds, Long maxResponseLength) {

        /** The three lower bounds together (null without a GPU, or when no sequence fits). */
        public Double lowerBoundSeconds() {
            return this.weightReadSeconds == null ? null
                    : this.weightReadSeconds + this.cacheReadSeconds + this.prefillSeconds;
        }
    }
}
