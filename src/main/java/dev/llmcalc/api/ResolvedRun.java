package dev.llmcalc.api;

import java.util.ArrayList;
import java.util.List;

import dev.llmcalc.core.parallel.ClusterLayout;
import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.run.ActivationOptions;
import dev.llmcalc.core.run.FineTuning;
import dev.llmcalc.core.run.Training;
import dev.llmcalc.core.run.TrainingRun;
import dev.llmcalc.core.unit.InvalidInputException;

/**
 * A request's training run: the model as the client named it (for the answer's {@code model} field) and the core
 * {@link TrainingRun} with every default applied (the activation dtype follows the training precision; LoRA adapters
 * add their intermediates to what is kept).
 *
 * @param layout with a cluster, the layout on it and the GPU count they settled (see
 *        {@link ParallelismSpec#onCluster}); {@code null} without one
 */
public record ResolvedRun(ResolvedModel model, TrainingRun run, ClusterLayout layout) {

    /** A run on a cluster: the data degree or the cluster's GPU count, when left out, from the other. */
    public static ResolvedRun resolve(ModelSpec model, TrainingSpec training, BatchSpec batch,
            ActivationsSpec activations, ParallelismSpec parallelism, ClusterSpec cluster) {
        ClusterLayout layout = cluster != null ? ParallelismSpec.onCluster(parallelism, cluster.gpuCount()) : null;
        return resolve(model, training, batch, activations,
                layout != null ? layout.parallelism() : ParallelismSpec.toCore(parallelism), layout);
    }

    /** The calculator's assumptions, after the defaults the layout on the cluster took (if any). */
    public List<String> withLayoutAssumptions(List<String> assumptions) {
        if (this.layout == null || this.layout.assumptions().isEmpty()) {
            return assumptions;
        }
        List<String> all = new ArrayList<>(this.layout.assumptions());
        all.addAll(assumptions);
        return List.copyOf(all);
    }

    /** A run of any method (FULL, LORA, QLORA); problems with the adapters name their field under "training.". */
    public static ResolvedRun resolve(ModelSpec model, TrainingSpec training, BatchSpec batch,
            ActivationsSpec activations, ParallelismSpec parallelism) {
        return resolve(model, training, batch, activations, ParallelismSpec.toCore(parallelism), null);
    }

    private static ResolvedRun resolve(ModelSpec model, TrainingSpec training, BatchSpec batch,
            ActivationsSpec activations, Parallelism parallelism, ClusterLayout layout) {
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
                    BatchSpec.toCore(batch), options, parallelism), layout);
        }
        catch (InvalidInputException ex) {
            throw TrainingSpec.named(ex);
        }
    }
}
