package dev.llmcalc.core.parallel;

/**
 * The parameters one GPU holds before ZeRO partitioning: its tensor-parallel slice of its pipeline stage.
 *
 * @param dense parameters outside routed experts (replicated over data × context ranks)
 * @param expert parameters of the routed experts this GPU hosts (replicated over data × context / expert ranks)
 * @param pipelineStage the stage (0-based) these belong to
 * @param layers transformer layers on that stage
 */
public record LocalParameters(long dense, long expert, int pipelineStage, int layers) {

    public long total() {
        return Math.addExact(this.dense, this.expert);
    }
}
