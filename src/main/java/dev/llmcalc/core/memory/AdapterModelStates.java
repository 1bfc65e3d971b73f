package dev.llmcalc.core.memory;

import java.util.List;

import dev.llmcalc.core.DocumentFormula;
import dev.llmcalc.core.parallel.LocalParameters;
import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.run.FineTuning;
import dev.llmcalc.core.run.Training;

/**
 * A LoRA / QLoRA run's model states on its most-loaded GPU.
 *
 * @param states frozen weights, adapters' states and dequantization buffer of that GPU
 * @param totalParameters Φ of the whole model (what the document's formula counts)
 */
public record AdapterModelStates(FineTuningStates states, long totalParameters, Training training,
        FineTuning fineTuning, Parallelism parallelism) implements GpuModelStates {

    @Override
    public LocalParameters local() {
        return this.states.local();
    }

    @Override
    public int bytesPerParameter() {
        return this.training.bytesPerParameter();
    }

    @Override
    public double effectiveBytesPerParameter() {
        return this.states.effectiveBytesPerParameter();
    }

    @Override
    public long zeroShards() {
        return this.training.denseShardingDegree(this.parallelism);
    }

    @Override
    public DocumentFormula documentFormula() {
        return ModelStateCalculator.documentFormula(this.totalParameters, this.states.totalBytes(), this.training,
                this.parallelism);
    }

    @Override
    public List<String> assumptions() {
        return FineTuningStateCalculator.assumptions(this.training, this.fineTuning, this.parallelism);
    }
}
