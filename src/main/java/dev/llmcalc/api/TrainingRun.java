package dev.llmcalc.api;

import dev.llmcalc.core.activation.ActivationOptions;
import dev.llmcalc.core.activation.BatchShape;
import dev.llmcalc.core.memory.Training;
import dev.llmcalc.core.parallel.Parallelism;

/**
 * A training run as the memory and planning endpoints read it: model, training, batch, activation options
 * and layout, with every default applied (the activation dtype follows the training precision).
 */
public record TrainingRun(ResolvedModel model, Training training, BatchShape batch, ActivationOptions options,
        Parallelism parallelism) {

    public static TrainingRun resolve(ModelSpec model, TrainingSpec training, BatchSpec batch,
            ActivationsSpec activations, ParallelismSpec parallelism) {
        ResolvedModel resolved = ModelResolver.resolve(model, "model");
        Training run = TrainingSpec.toCore(training);
        return new TrainingRun(resolved, run, BatchSpec.toCore(batch),
                ActivationsSpec.toCore(activations, resolved.architecture(), run), ParallelismSpec.toCore(parallelism));
    }
}
