package dev.llmcalc.core.params;

import dev.llmcalc.core.unit.Exact;

/**
 * Where the parameters are. Per-layer values are for one layer of the kind named; multiply by
 * {@code denseLayers} or {@code moeLayers}.
 *
 * @param embedding token embedding V·h
 * @param positionEmbedding learned position table (0 unless LEARNED)
 * @param attentionPerLayer Q, K, V, O (or MLA projections), their biases and qk-norms
 * @param mlpPerLayer dense FFN of one dense layer (0 when every layer is MoE)
 * @param normsPerLayer normalisation weights inside one block
 * @param routerPerLayer MoE router of one MoE layer (with its bias and Qwen2-MoE's shared-expert gate)
 * @param expertsPerLayer all routed experts of one MoE layer
 * @param activeExpertsPerLayer the k routed experts one token passes through
 * @param sharedExpertsPerLayer shared experts of one MoE layer
 * @param finalNorm the norm before the LM head
 * @param lmHead output projection h·V (0 when tied to the embedding)
 * @param denseLayers layers with a dense FFN
 * @param moeLayers layers with a mixture-of-experts FFN
 */
public record ParameterBreakdown(long embedding, long positionEmbedding, long attentionPerLayer, long mlpPerLayer,
        long normsPerLayer, long routerPerLayer, long expertsPerLayer, long activeExpertsPerLayer,
        long sharedExpertsPerLayer, long finalNorm, long lmHead, int denseLayers, int moeLayers) {

    /** One dense layer: attention + dense FFN + norms. */
    public long denseLayerParameters() {
        return Exact.sum("parameters per layer", this.attentionPerLayer, this.mlpPerLayer, this.normsPerLayer);
    }

    /** One MoE layer: attention + router + all experts + shared experts + norms. */
    public long moeLayerParameters() {
        return Exact.sum("parameters per layer", this.attentionPerLayer, this.routerPerLayer, this.expertsPerLayer,
                this.sharedExpertsPerLayer, this.normsPerLayer);
    }
}
