package dev.llmcalc.api;

import dev.llmcalc.core.run.ActivationOptions;
import dev.llmcalc.core.run.FineTuning;
import dev.llmcalc.core.run.Training;
import dev.llmcalc.core.run.TrainingRun;
import dev.llmcalc.core.unit.InvalidInputException;

/**
 * A request's training run: the model as the client named it (for the answer's {@code model} field) and the core
 * {@link TrainingRun} with every default applied (the activation dtype follows the training precision; LoRA adapters
 * add their intermediates to what is kept).
 */
public record ResolvedRun(ResolvedModel model, TrainingRun run) {

    /** A run of any method (FULL, LORA, QLORA); problems with the adapters name their field under "training.". */
    public static ResolvedRun resolve(ModelSpec model, TrainingSpec training, BatchSpec batch,
            ActivationsSpec activations, ParallelismSpec parallelism) {
        ResolvedModel resolved = ModelResolver.resolve(model, "model");
        Training base = TrainingSpec.baseTraining(training);
        FineTuning fineTuning = TrainingSpec.fineTuning(training);
        try {
            fineTuning.requireAppliesTo(resolved.architecture());
        }
        catch (InvalidInputException ex) {
            throw TrainingSpec.named(ex);
        }
        ActivationOptions options = ActivationsSpec.toCore(activations, resolved.architecture(), base);
        try {
            return new ResolvedRun(resolved, TrainingRun.of(resolved.architecture(), base, fineTuning,
                    BatchSpec.toCore(batch), options, ParallelismSpec.toCore(parallelism)));
        }
        catch (InvalidInputException ex) {
            throw TrainingSpec.named(ex);
        }
    }
}
