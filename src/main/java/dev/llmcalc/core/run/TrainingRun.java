package dev.llmcalc.core.run;

import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.unit.InvalidInputException;

/**
 * One training run: the model, how it is trained (precision, optimizer, ZeRO stage), which weights are trained (full
 * training, or LoRA / QLoRA adapters over frozen weights), the batch, what is kept for backward, and the parallel
 * layout. Every calculator that can tell full training from fine-tuning takes one, so the choice is made by the
 * calculation, once, and never by a caller.
 *
 * @param options what is kept for backward; for LoRA / QLoRA it carries the adapters' intermediates
 *        ({@link FineTuning#adapterActivations()})
 */
public record TrainingRun(Architecture model, Training training, FineTuning fineTuning, BatchShape batch,
        ActivationOptions options, Parallelism parallelism) {

    public TrainingRun {
        if (model == null || training == null || fineTuning == null || batch == null || options == null
                || parallelism == null) {
            throw new IllegalArgumentException("every part of a training run is required");
        }
        if (!options.adapters().equals(fineTuning.adapterActivations())) {
            throw new IllegalArgumentException("the activation options must carry the run's adapters (use TrainingRun.of)");
        }
        training.requireShardGroupFits(parallelism);
    }

    /**
     * A run of any method: LoRA / QLoRA adapters are checked against the model (each target module must exist in it)
     * and their intermediates added to what is kept for backward.
     */
    public static TrainingRun of(Architecture model, Training training, FineTuning fineTuning, BatchShape batch,
            ActivationOptions options, Parallelism parallelism) {
        fineTuning.requireAppliesTo(model);
        requireOffloadModelled(training, fineTuning);
        return new TrainingRun(model, training, fineTuning, batch, options.withAdapters(fineTuning.adapterActivations()),
                parallelism);
    }

    /** Full training: every parameter is trained. */
    public static TrainingRun full(Architecture model, BatchShape batch, Training training, ActivationOptions options,
            Parallelism parallelism) {
        return of(model, training, FineTuning.FULL, batch, options, parallelism);
    }

    /** Offloading is modelled for full training only (the adapters' states are small; QLoRA keeps its base on the GPU). */
    public static void requireOffloadModelled(Training training, FineTuning fineTuning) {
        if (fineTuning.isAdapter() && training.offload().any()) {
            throw new InvalidInputException("training.offload",
                    "is not modelled with training.method " + fineTuning.method() + " yet; use FULL");
        }
        if (fineTuning.isAdapter() && training.precision().fp8().any()) {
            throw new InvalidInputException("training.precision", training.precision()
                    + " is not modelled with training.method " + fineTuning.method() + " yet; use FULL or a 16-bit precision");
        }
        if (fineTuning.isAdapter() && training.optimizer().dependsOnShapes()) {
            throw new InvalidInputException("training.optimizer", training.optimizer()
                    + " is not modelled with training.method " + fineTuning.method() + " yet (its states follow each "
                    + "adapter matrix's shape); use FULL or another optimizer");
        }
    }

    /** Whether low-rank adapters are trained over frozen weights (LoRA, QLoRA). */
    public boolean isAdapter() {
        return this.fineTuning.isAdapter();
    }
}
