package dev.llmcalc.core.parallel;

import static dev.llmcalc.core.unit.InvalidInputException.require;

import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.unit.Exact;
import dev.llmcalc.core.unit.InvalidInputException;

/**
 * Parallel degrees. The GPU count is their product over data, tensor, pipeline and context;
 * expert parallelism is carved out of the data × context ranks (Megatron-Core's convention).
 *
 * @param data data-parallel degree (n_d)
 * @param tensor tensor-parallel degree (t)
 * @param pipeline pipeline-parallel degree (p)
 * @param expert expert-parallel degree (e)
 * @param context context-parallel degree (c)
 * @param virtualPipeline interleaved model chunks per pipeline stage (v; 1 = plain 1F1B)
 */
public record Parallelism(int data, int tensor, int pipeline, int expert, int context, int virtualPipeline) {

    /** Upper bound on any one degree; no real cluster comes near it. */
    public static final int MAX_DEGREE = 1 << 20;

    public static final Parallelism NONE = new Parallelism(1, 1, 1, 1, 1);

    public Parallelism {
        requireDegree(virtualPipeline, "parallelism.virtualPipeline");
        require(virtualPipeline == 1 || pipeline > 1, "parallelism.virtualPipeline",
                "needs pipeline > 1: interleaving splits each pipeline stage into chunks");
        requireDegree(data, "parallelism.data");
        requireDegree(tensor, "parallelism.tensor");
        requireDegree(pipeline, "parallelism.pipeline");
        requireDegree(expert, "parallelism.expert");
        requireDegree(context, "parallelism.context");
        if (((long) data * context) % expert != 0) {
            throw new InvalidInputException("parallelism.expert", "must divide data × context ("
                    + ((long) data * context) + "): expert-parallel ranks are taken from them");
        }
    }

    /** Without interleaving. */
    public Parallelism(int data, int tensor, int pipeline, int expert, int context) {
        this(data, tensor, pipeline, expert, context, 1);
    }

    private static void requireDegree(int degree, String field) {
        require(degree >= 1 && degree <= MAX_DEGREE, field, "must be between 1 and " + MAX_DEGREE);
    }

    public static Parallelism dataParallel(int data) {
        return new Parallelism(data, 1, 1, 1, 1);
    }

    /** Whether each pipeline stage holds more than one chunk (Megatron-LM's interleaved 1F1B schedule). */
    public boolean interleaved() {
        return this.virtualPipeline > 1;
    }

    /** GPUs in the layout: data × tensor × pipeline × context. */
    public long gpuCount() {
        return Exact.multiply("gpuCount", Exact.multiply("gpuCount", this.data, this.tensor),
                Exact.multiply("gpuCount", this.pipeline, this.context));
    }

    // Megatron-LM's uniform split (Narayanan et al. 2021 §2.2): L/p layers per stage, earlier stages take the remainder
    public static int layersOnStage(int numLayers, int pipeline, int stage) {
        return numLayers / pipeline + (stage < numLayers % pipeline ? 1 : 0);
    }

    /**
     * Ranks that hold replicas of the same dense parameters: data × context, which share ZeRO's partitions unless the
     * training shards over smaller groups (use {@code Training.denseShardingDegree(par)} for what ZeRO divides by).
     */
    public long denseShardingDegree() {
        return (long) this.data * this.context;
    }

    /** Ranks that hold replicas of the same experts: data × context / expert (Megatron-Core's expert-data group). */
    public long expertShardingDegree() {
        return denseShardingDegree() / this.expert;
    }

    /** The rules that need the model: tensor parallelism splits heads, pipeline splits layers, EP splits experts. */
    public void requireFits(Architecture model) {
        // messages are built only on failure: this runs for every estimate and every candidate of a search
        if (model.numAttentionHeads() % this.tensor != 0) {
            throw new InvalidInputException("parallelism.tensor",
                    "must divide numAttentionHeads (" + model.numAttentionHeads() + ")");
        }
        if (model.numKeyValueHeads() % this.tensor != 0) {
            throw new InvalidInputException("parallelism.tensor", "must divide numKeyValueHeads ("
                    + model.numKeyValueHeads() + "); Megatron splits key/value heads across tensor-parallel ranks");
        }
        if (this.pipeline > model.numLayers()) {
            throw new InvalidInputException("parallelism.pipeline",
                    "must not exceed numLayers (" + model.numLayers() + ")");
        }
        // interleaving need not divide the layers (Megatron-Core's uneven pipeline split; Llama 3 405B ran 126 layers
        // on 16 × 8 chunks): chunk j holds L/(p·v) layers and the first L mod (p·v) one more, so stage k holds
        // L/p + (k < L mod p), as without interleaving (layersOnStage)
        if (model.isMoe() && model.moe().numExperts() % this.expert != 0) {
            throw new InvalidInputException("parallelism.expert",
                    "must divide moe.numExperts (" + model.moe().numExperts() + ")");
        }
        require(model.isMoe() || this.expert == 1, "parallelism.expert", "must be 1 for a model without experts");
    }
}
