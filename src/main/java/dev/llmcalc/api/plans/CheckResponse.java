package dev.llmcalc.api.plans;

import java.util.List;

import dev.llmcalc.api.EnergySpec;
import dev.llmcalc.api.OffloadView;
import dev.llmcalc.api.ParallelismSpec;
import dev.llmcalc.core.plan.Calibration;
import dev.llmcalc.core.plan.CapacityCheck.Violation;
import dev.llmcalc.core.plan.StepTime;
import io.swagger.v3.oas.annotations.media.Schema;

/** Answer of {@code POST /api/v1/checks}: always 200 for a valid plan, pass or fail. */
public record CheckResponse(
        @Schema(description = "true when no requirement is violated") boolean pass,
        @Schema(description = "each violated requirement with its limit and the plan's value") List<Violation> violations,
        @Schema(description = "the full estimate of the plan") Estimate estimate,
        @Schema(description = "with calibration: the kernel shares fitted for this plan's model (send them again as "
                + "kernelEfficiency), the factors applied, gpuWideShare (the share of the all-runs fit a model without "
                + "runs of its own takes), modelError and each measured run's residual (absent without calibration)")
        Calibration calibration,
        List<String> assumptions) {

    /** The plan's estimate. */
    public record Estimate(String model, String gpu, ParallelismSpec parallelism,
            @Schema(description = "total training memory of the most-loaded GPU") long perGpuBytes,
            long modelStatesBytes, long activationsBytes, long transientBytes, long frameworkBytes,
            long gpuMemoryBytes, long headroomBytes, double memoryFraction, int pipelineStage,
            @Schema(description = "micro-batches per step and data-parallel rank") long microBatches,
            StepTime step, double mfu,
            @Schema(description = "days to train on requirements.tokens (absent without it)") Double trainingDays,
            @Schema(description = "GPUs × hours to train on requirements.tokens (absent without it)") Double gpuHours,
            @Schema(description = "energy and emissions of training on requirements.tokens (absent without it)")
            EnergySpec.View energy,
            @Schema(description = "with training.offload: what leaves the GPU, per GPU and per node of the cluster "
                    + "(absent without offload)") OffloadView offload) {
    }
}
