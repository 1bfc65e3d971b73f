package dev.llmcalc.api.plans;

import java.util.List;
import java.util.Map;

import dev.llmcalc.api.ParallelismSpec;
import dev.llmcalc.core.plan.Calibration;
import dev.llmcalc.core.plan.StepTime;
import dev.llmcalc.core.run.Precision;
import dev.llmcalc.core.run.Recomputation;
import io.swagger.v3.oas.annotations.media.Schema;

/** Answer of {@code POST /api/v1/plans}. */
public record PlanResponse(
        @Schema(description = "the preset id or 'architecture'") String model,
        @Schema(description = "the GPU compared against (single-GPU search)") String gpu,
        @Schema(description = "its memory (single-GPU search)") Long gpuMemoryBytes,
        @Schema(description = "GPUs in the run (single-GPU search)") Integer gpuCount,
        @Schema(description = "the best plans, fastest first (ties: less memory, then smaller degrees); single-GPU search")
        List<PlanView> plans,
        @Schema(description = "candidates left out, by reason (single-GPU search; per option in a comparison)")
        Map<String, Long> rejected,
        @Schema(description = "candidate layouts whose memory was estimated") long evaluated,
        @Schema(description = "of which fit the GPU") long fitting,
        @Schema(description = "fitting candidates whose communication ledger was computed; the rest were provably "
                + "slower than the plans returned") long communicationEvaluated,
        List<String> assumptions,
        @Schema(description = "mixture-of-experts models (single-GPU search): each expert-parallel degree tried, with "
                + "its fastest fitting plan or, when none fits, the reasons its candidates were left out")
        List<ExpertDegreeView> expertParallel,
        @Schema(description = "with calibration.runs (single-GPU search): the kernel shares fitted for the request's "
                + "model from your measured runs and used for every plan (send them again as kernelEfficiency), the "
                + "factors, gpuWideShare, modelError and each run's residual")
        Calibration calibration,
        @Schema(description = "cluster.gpu as a list: every accelerator × count with its best plan, time, cost and "
                + "energy, and the cheapest and fastest that fit (evaluated, fitting and communicationEvaluated are then "
                + "summed over all searches)") ComparisonView comparison) {

    /** One plan. */
    public record PlanView(@Schema(description = "the training precision of the plan") Precision precision,
            ParallelismSpec parallelism, int zeroStage,
            @Schema(description = "what the plan moves off the GPU (absent: nothing)") OffloadSpecView offload,
            Recomputation recomputation,
            @Schema(description = "with recomputation SELECTIVE from constraints.recomputeModules: the Megatron-Core "
                    + "modules rebuilt in backward (absent: the attention core)") List<String> recomputeModules,
            boolean sequenceParallel, long microBatchSize,
            @Schema(description = "micro-batches per step and data-parallel rank") long microBatches,
            @Schema(description = "total training memory of the most-loaded GPU") long perGpuBytes,
            @Schema(description = "perGpuBytes in GiB (2^30)") double perGpuGiB,
            @Schema(description = "GPU memory − perGpuBytes") long headroomBytes,
            @Schema(description = "perGpuBytes by kind, as /memory/training reports it") Memory memory,
            @Schema(description = "seconds per optimizer step (step.totalSeconds)") double stepSeconds,
            @Schema(description = "the step time by part") StepTime step,
            @Schema(description = "model FLOPs per step ÷ (step time × GPUs × dense peak)") double mfu) {
    }

    /** One expert-parallel degree of a mixture-of-experts search. */
    public record ExpertDegreeView(
            @Schema(description = "expert-parallel degree") int expert,
            @Schema(description = "its fastest fitting plan; null when none fits") PlanView best,
            @Schema(description = "candidates with this degree whose memory was estimated") long evaluated,
            @Schema(description = "of which fit the GPU") long fitting,
            @Schema(description = "its candidates (or the splits it cannot use) left out, by reason")
            Map<String, Long> rejected) {
    }

    /** perGpuBytes by kind. */
    public record Memory(long modelStatesBytes, long activationsBytes, long transientBytes, long frameworkBytes,
            int pipelineStage) {
    }
}
