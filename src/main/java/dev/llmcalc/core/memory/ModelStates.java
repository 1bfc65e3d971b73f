package dev.llmcalc.core.memory;

import java.util.List;

import dev.llmcalc.core.DocumentFormula;
import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.parallel.LocalParameters;
import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.run.Optimizer;
import dev.llmcalc.core.run.Training;

/**
 * Model-state memory of the most-loaded GPU.
 *
 * @param perGpu weights, gradients and optimizer states on that GPU
 * @param local the parameters it holds before ZeRO partitioning, and its pipeline stage
 * @param bytesPerParameter weights + gradients + optimizer bytes per parameter before partitioning (16, 18, …)
 * @param effectiveBytesPerParameter per-GPU bytes divided by the parameters the GPU serves (falls with ZeRO)
 * @param zeroShards ranks the dense ZeRO partitions are spread over (data × context)
 * @param totalParameters Φ of the whole model
 * @param training how it is trained
 * @param parallelism how it is laid out
 * @param model the architecture the placement came from, or {@code null} for a raw parameter count
 */
public record ModelStates(ModelStateBytes perGpu, LocalParameters local, int bytesPerParameter,
        double effectiveBytesPerParameter, long zeroShards, long totalParameters, Training training,
        Parallelism parallelism, Architecture model) implements GpuModelStates {

    @Override
    public DocumentFormula documentFormula() {
        return ModelStateCalculator.documentFormula(this.totalParameters, this.perGpu.totalBytes(), this.training,
                this.parallelism);
    }

    /** Whether the placement came from an architecture (else from a raw count). */
    public boolean modelKnown() {
        return this.model != null;
    }

    /** The model states buffer by buffer, each with its width (they add up to {@link #perGpu()}'s total). */
    public List<ModelStateItem> items() {
        return ModelStateCalculator.items(this.local, this.training, this.parallelism,
                this.model != null ? ModelStateCalculator.workingLayer(this.model, this.training, this.parallelism) : 0);
    }

    /** Optimizer MUON with a known model: Newton–Schulz FLOPs of one step over the whole model; else null. */
    public Long newtonSchulzFlopsPerStep() {
        return this.model != null && this.training.optimizer() == Optimizer.MUON
                ? ShapedOptimizerStates.newtonSchulzFlopsPerStep(this.model) : null;
    }

    /** What this GPU's rank keeps off the GPU (nothing without offload). */
    public OffloadedStates offloaded() {
        return ModelStateCalculator.offloaded(this.local, this.training, this.parallelism);
    }

    @Override
    public List<String> assumptions() {
        return ModelStateCalculator.modelStateAssumptions(this.training, this.parallelism, this.model);
    }
}
