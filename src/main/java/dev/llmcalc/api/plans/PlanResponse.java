package dev.llmcalc.api.plans;

import java.util.List;
import java.util.Map;

import dev.llmcalc.api.ParallelismSpec;
import dev.llmcalc.core.plan.StepTime;
import dev.llmcalc.core.run.Recomputation;
import io.swagger.v3.oas.annotations.media.Schema;

/** Answer of {@code POST /api/v1/plans}. */
public record PlanResponse(
        @Schema(description = "the preset id or 'architecture'") String model,
        @Schema(description = "the GPU compared against") String gpu,
        long gpuMemoryBytes,
        int gpuCount,
        @Schema(description = "the best plans, fastest first (ties: less memory, then smaller degrees)") List<PlanView> plans,
        @Schema(description = "candidates left out, by reason") Map<String, Long> rejected,
        @Schema(description = "candidate layouts whose memory was estimated") long evaluated,
        @Schema(description = "of which fit the GPU") long fitting,
        @Schema(description = "fitting candidates whose communication ledger was computed; the rest were provably "
                + "slower than the plans returned") long communicationEvaluated,
        List<String> assumptions) {

    /** One plan. */
    public record PlanView(ParallelismSpec parallelism, int zeroStage, Recomputation recomputation,
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

    /** perGpuBytes by kind. */
    public record Memory(long modelStatesBytes, long activationsBytes, long transientBytes, long frameworkBytes,
            int pipelineStage) {
    }
}
