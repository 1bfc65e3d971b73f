package dev.llmcalc.core.plan;

import static dev.llmcalc.core.unit.InvalidInputException.require;

import java.util.List;

import dev.llmcalc.core.run.Recomputation;
import dev.llmcalc.core.run.ZeroStage;

/**
 * Limits on the layouts a search considers.
 *
 * @param maxTensor largest tensor-parallel degree (default: GPUs per node, where Megatron keeps it)
 * @param maxPipeline largest pipeline degree
 * @param maxContext largest context-parallel degree
 * @param maxMicroBatchSize largest micro-batch
 * @param maxMemoryFraction a plan fits when its per-GPU total is at most this fraction of the GPU's memory
 * @param zeroStages the ZeRO stages to try
 * @param recomputations the recomputation modes to try
 */
public record PlanConstraints(int maxTensor, int maxPipeline, int maxContext, long maxMicroBatchSize,
        double maxMemoryFraction, List<ZeroStage> zeroStages, List<Recomputation> recomputations) {

    public PlanConstraints {
        require(maxTensor >= 1, "constraints.maxTensor", "must be at least 1");
        require(maxPipeline >= 1, "constraints.maxPipeline", "must be at least 1");
        require(maxContext >= 1, "constraints.maxContext", "must be at least 1");
        require(maxMicroBatchSize >= 1, "constraints.maxMicroBatchSize", "must be at least 1");
        require(maxMemoryFraction > 0 && maxMemoryFraction <= 1, "constraints.maxMemoryFraction",
                "must be greater than 0 and at most 1");
        require(zeroStages != null && !zeroStages.isEmpty(), "training.zeroStage", "needs at least one stage to try");
        require(recomputations != null && !recomputations.isEmpty(), "activations.recomputation",
                "needs at least one mode to try");
        zeroStages = List.copyOf(zeroStages);
        recomputations = List.copyOf(recomputations);
    }
}
