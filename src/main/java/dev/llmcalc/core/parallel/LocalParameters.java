package dev.llmcalc.core.parallel;

import java.util.List;

/**
 * The parameters one GPU holds before ZeRO partitioning: its tensor-parallel slice of its pipeline stage.
 *
 * @param dense parameters outside routed experts (replicated over data × context ranks)
 * @param expert parameters of the routed experts this GPU hosts (replicated over data × context / expert ranks)
 * @param pipelineStage the stage (0-based) these belong to
 * @param layers transformer layers on that stage
 * @param matrices the 2-D weight matrices among them, by kind; {@code null} when the shapes are unknown (a raw
 *        parameter count, LoRA adapters). Everything else (norms, biases, sinks) is a vector.
 */
public record LocalParameters(long dense, long expert, int pipelineStage, int layers, List<WeightMatrix> matrices) {

    public LocalParameters {
        matrices = matrices == null ? null : List.copyOf(matrices);
    }

    /** Without shapes. */
    public LocalParameters(long dense, long expert, int pipelineStage, int layers) {
        this(dense, expert, pipelineStage, layers, null);
    }

    public long total() {
        return Math.addExact(this.dense, this.expert);
    }

    /** Whether the matrices' shapes are known. */
    public boolean hasShapes() {
        return this.matrices != null;
    }
}
