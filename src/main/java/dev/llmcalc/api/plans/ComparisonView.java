package dev.llmcalc.api.plans;

import java.util.List;
import java.util.Map;

import dev.llmcalc.api.EnergySpec;
import io.swagger.v3.oas.annotations.media.Schema;

/** The {@code comparison} block of {@code POST /api/v1/plans} when {@code cluster.gpu} is a list. */
public record ComparisonView(
        @Schema(description = "tokens the whole run trains on") long tokens,
        @Schema(description = "global batch × sequence length") long tokensPerStep,
        @Schema(description = "the deadline asked for, if any") Double maxTrainingDays,
        @Schema(description = "one per accelerator and GPU count, in the order asked") List<Option> options,
        @Schema(description = "the fitting option with the lowest cost (absent when no fitting option has a price)")
        Choice cheapest,
        @Schema(description = "the fitting option with the fewest training days") Choice fastest,
        @Schema(description = "with maxTrainingDays: the cheapest fitting option that finishes in time")
        Choice cheapestWithinMaxTrainingDays,
        @Schema(description = "how the options are computed and ranked, and why a choice is missing") List<String> notes) {

    /** One accelerator at one GPU count. */
    public record Option(@Schema(description = "index in options") int option, String gpu, String gpuName,
            int gpuCount, int gpusPerNode, long gpuMemoryBytes, Double pricePerGpuHour,
            @Schema(description = "whether any layout fits") boolean fits,
            @Schema(description = "the fastest layout that fits (absent when none fits)") PlanResponse.PlanView plan,
            Double stepSeconds, Double trainingSeconds, Double trainingDays,
            @Schema(description = "gpuCount × trainingSeconds ÷ 3600") Double gpuHours,
            @Schema(description = "gpuHours × pricePerGpuHour") Double cost,
            @Schema(description = "trainingDays ≤ maxTrainingDays (absent without a deadline)") Boolean withinMaxTrainingDays,
            EnergySpec.View energy,
            @Schema(description = "candidates left out, by reason") Map<String, Long> rejected,
            long evaluated, long fitting) {
    }

    /** A named choice: which option, and its headline figures. */
    public record Choice(@Schema(description = "index in options") int option, String gpu, int gpuCount,
            double trainingDays, Double cost) {
    }
}
