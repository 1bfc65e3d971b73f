package dev.llmcalc.api;

import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.run.ActivationOptions;
import dev.llmcalc.core.run.AdapterCounter;
import dev.llmcalc.core.run.BatchShape;
import dev.llmcalc.core.run.FineTuning;
import dev.llmcalc.core.run.Training;
import dev.llmcalc.core.unit.InvalidInputException;

/**
 * A training run as the memory and planning endpoints read it: model, training, method, batch, activation options
 * and layout, with every default applied (the activation dtype follows the training precision; LoRA adapters
 * add their intermediates to the activation options).
 */
public record TrainingRun(ResolvedModel model, Training training, FineTuning fineTuning, BatchShape batch,
        ActivationOptions options, Parallelism parallelism) {

    /** A run of any method (FULL, LORA, QLORA); the adapters are checked against the model. */
    public static TrainingRun resolve(ModelSpec model, TrainingSpec training, BatchSpec batch,
            ActivationsSpec activations, ParallelismSpec parallelism) {
        ResolvedModel resolved = ModelResolver.resolve(model, "model");
        Training run = TrainingSpec.baseTraining(training);
        FineTuning fineTuning = TrainingSpec.fineTuning(training);
        if (fineTuning.isAdapter()) {
            try {
                AdapterCounter.count(resolved.architecture(), fineTuning);
            }
            catch (InvalidInputException ex) {
                throw TrainingSpec.named(ex);
            }
        }
        ActivationOptions options = ActivationsSpec.toCore(activations, resolved.architecture(), run)
                .withAdapters(fineTuning.adapterActivations());
        return new TrainingRun(resolved, run, fineTuning, BatchSpec.toCore(batch), options,
                ParallelismSpec.toCore(parallelism));
    }
}
