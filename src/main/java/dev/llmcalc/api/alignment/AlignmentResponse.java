package dev.llmcalc.api.alignment;

import java.util.List;

import dev.llmcalc.api.ParallelismSpec;
import dev.llmcalc.api.TrainingSpec;
import dev.llmcalc.core.alignment.Algorithm;
import dev.llmcalc.core.alignment.AlignmentEstimate;
import dev.llmcalc.core.alignment.AlignmentTotals;
import dev.llmcalc.core.alignment.AlignmentEstimate.Generation;
import dev.llmcalc.core.alignment.AlignmentEstimate.RoleStates;
import dev.llmcalc.core.alignment.Placement;
import dev.llmcalc.core.alignment.Role;
import dev.llmcalc.core.plan.CapacityCheck;
import dev.llmcalc.core.unit.Units;
import io.swagger.v3.oas.annotations.media.Schema;

/** Answer of {@code POST /api/v1/alignment}. */
public record AlignmentResponse(
        @Schema(description = "the policy: preset id, 'architecture' or 'huggingFaceConfig'") String model,
        Algorithm algorithm,
        @Schema(description = "COLOCATED or SEPARATE") Placement placement,
        @Schema(description = "the run's GPUs (SEPARATE: every role's added up)") long gpuCount,
        TrainingSpec training,
        ParallelismSpec parallelism,
        @Schema(description = "each model of the algorithm on one GPU") List<RoleView> roles,
        @Schema(description = "colocated: their sum per GPU, every role resident; separate: the largest role's per GPU "
                + "of its own pool") long modelStatesBytes,
        @Schema(description = "modelStatesBytes in GiB (2^30 bytes), for reading") double modelStatesGiB,
        @Schema(description = "PPO / GRPO with a rollout: the generation phase per engine") GenerationView generation,
        @Schema(description = "with a batch: the forward passes that score the step's sequences") ScoringView scoring,
        @Schema(description = "with a batch: each trained role's training phase") List<RoleTrainingView> trainingPhase,
        @Schema(description = "with a batch: the training phase's peak per GPU (a trained role's total with every other "
                + "role's model states resident)") Long trainingPeakBytes,
        @Schema(description = "with a batch and a GPU: the phases one after another (generation as its lower bound)")
        Double stepSeconds,
        @Schema(description = "the step's largest per-GPU memory: its phase (MODEL_STATES, GENERATION, TRAINING), role "
                + "and bytes") AlignmentEstimate.Peak peak,
        @Schema(description = "with a GPU: its memory") Long gpuMemoryBytes,
        @Schema(description = "with a GPU: the step's peak within its memory and at least one sequence in the "
                + "generation's cache") Boolean fits,
        @Schema(description = "with a GPU: no requirement violated (memory always checked)") Boolean pass,
        @Schema(description = "each violated requirement: its limit and the actual value") List<CapacityCheck.Violation> violations,
        @Schema(description = "with run, a batch and a GPU: the whole run") TotalsView totals,
        List<String> assumptions) {

    /** The whole run. */
    public record TotalsView(long steps, double seconds, double days, double gpuHours, Double cost) {

        static TotalsView of(AlignmentTotals t) {
            return t == null ? null : new TotalsView(t.steps(), t.seconds(), t.days(), t.gpuHours(), t.cost());
        }
    }

    /** The scoring phase. */
    public record ScoringView(List<Role> roles, long sequences, double flops, Double seconds) {

        static ScoringView of(AlignmentEstimate.Scoring s) {
            return s == null ? null : new ScoringView(s.roles(), s.sequences(), s.flops(), s.seconds());
        }
    }

    /** A trained role's training phase; totalBytes and its parts as POST /api/v1/memory/training answers them. */
    public record RoleTrainingView(Role role, long modelStatesBytes, long activationsBytes, long transientBytes,
            long frameworkBytes, long totalBytes, long peakBytes, long optimizerSteps, Double stepSeconds,
            Double seconds) {

        static RoleTrainingView of(AlignmentEstimate.RoleTraining r) {
            return new RoleTrainingView(r.role(), r.memory().modelStates().totalBytes(), r.memory().activationsBytes(),
                    r.memory().transientBytes(), r.memory().frameworkBytes(), r.memory().totalBytes(), r.peakBytes(),
                    r.optimizerSteps(), r.stepSeconds(), r.seconds());
        }
    }

    /** One role's model states on one GPU. */
    public record RoleView(Role role, boolean trained, long parameters, long bytesPerGpu, String note) {

        static RoleView of(RoleStates states) {
            return new RoleView(states.role(), states.trained(), states.parameters(), states.bytesPerGpu(),
                    states.note());
        }
    }

    /** The rollout; seconds are lower bounds (absent without a GPU). */
    public record GenerationView(long engines, long sequencesPerEngine, long weightsBytesPerGpu,
            long kvCacheBytesPerToken, long kvCacheBytes, Long maxSequencesInCache, Long waves,
            Double weightReadSeconds, Double cacheReadSeconds, Double prefillSeconds, Double lowerBoundSeconds,
            @Schema(description = "the longest response with which all the engine's sequences fit the cache at once")
            Long maxResponseLength) {

        static GenerationView of(Generation g) {
            return g == null ? null : new GenerationView(g.engines(), g.sequencesPerEngine(), g.weightsBytesPerGpu(),
                    g.kvCacheBytesPerToken(), g.kvCacheBytes(), g.maxSequencesInCache(), g.waves(),
                    g.weightReadSeconds(), g.cacheReadSeconds(), g.prefillSeconds(), g.lowerBoundSeconds(),
                    g.maxResponseLength());
        }
    }

    static AlignmentResponse of(String model, Algorithm algorithm, TrainingSpec training, ParallelismSpec parallelism,
            AlignmentEstimate estimate, Long gpuMemoryBytes, List<CapacityCheck.Violation> violations,
            AlignmentTotals totals) {
        return new AlignmentResponse(model, algorithm, estimate.placement(), estimate.gpuCount(), training, parallelism,
                estimate.roles().stream().map(RoleView::of).toList(), estimate.modelStatesBytes(),
                Units.toGiB(estimate.modelStatesBytes()), GenerationView.of(estimate.generation()),
                ScoringView.of(estimate.scoring()), estimate.training().stream().map(RoleTrainingView::of).toList(),
                estimate.trainingPeakBytes(), estimate.stepSeconds(), estimate.peak(), gpuMemoryBytes,
                gpuMemoryBytes != null ? estimate.fits(gpuMemoryBytes) : null,
                violations != null ? violations.isEmpty() : null, violations, TotalsView.of(totals),
                estimate.assumptions());
    }
}
