package dev.llmcalc.core.parallel;

import java.util.List;

import dev.llmcalc.core.model.Architecture;

/**
 * The parameters one GPU holds before ZeRO partitioning: its tensor-parallel slice of its pipeline stage.
 *
 * @param dense parameters outside routed experts (replicated over data × context ranks)
 * @param expert parameters of the routed experts this GPU hosts (replicated over data × context / expert ranks)
 * @param pipelineStage the stage (0-based) these belong to
 * @param layers transformer layers on that stage
 * @param shapes where the 2-D weight matrices among them come from ({@link #matrices()}); {@code null} when the
 *        shapes are unknown (a raw parameter count, LoRA adapters). Everything else (norms, biases, sinks) is a vector.
 */
public record LocalParameters(long dense, long expert, int pipelineStage, int layers, Shapes shapes) {

    /** Without shapes. */
    public LocalParameters(long dense, long expert, int pipelineStage, int layers) {
        this(dense, expert, pipelineStage, layers, (Shapes) null);
    }

    /** With the matrices listed. */
    public LocalParameters(long dense, long expert, int pipelineStage, int layers, List<WeightMatrix> matrices) {
        this(dense, expert, pipelineStage, layers, new Listed(List.copyOf(matrices)));
    }

    /**
     * The 2-D weight matrices among these parameters, by kind, or {@code null} when the shapes are unknown. Listed on
     * demand: only the optimizers and precisions that need shapes (Adafactor, Muon, FP8) ask, so memory estimates
     * and plan searches that do not pay nothing for them.
     */
    public List<WeightMatrix> matrices() {
        return this.shapes == null ? null : this.shapes.list();
    }

    /** Where a GPU's weight matrices come from. */
    public sealed interface Shapes permits Listed, Placed {

        List<WeightMatrix> list();
    }

    /** Matrices given one by one. */
    public record Listed(List<WeightMatrix> list) implements Shapes {
    }

    /**
     * The matrices {@link ParameterPlacement} places on one GPU of a stage, listed when asked.
     *
     * @param model the architecture
     * @param tensor t
     * @param localExperts routed experts on the GPU
     * @param layers layers on the stage
     * @param denseFfnLayers of which have a dense FFN
     * @param first whether the stage holds the embedding
     * @param last whether it holds the head
     */
    public record Placed(Architecture model, int tensor, int localExperts, int layers,
            int denseFfnLayers, boolean first, boolean last) implements Shapes {

        @Override
        public List<WeightMatrix> list() {
            return ParameterPlacement.matrices(this.model, this.tensor, this.localExperts, this.layers,
                    this.denseFfnLayers, this.first, this.last);
        }
    }

    public long total() {
        return Math.addExact(this.dense, this.expert);
    }

    /** Whether the matrices' shapes are known. */
    public boolean hasShapes() {
        return this.shapes != null;
    }
}
