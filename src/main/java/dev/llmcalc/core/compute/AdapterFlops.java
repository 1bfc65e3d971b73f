package dev.llmcalc.core.compute;

import dev.llmcalc.core.finetune.AdapterCounter;
import dev.llmcalc.core.finetune.FineTuning;
import dev.llmcalc.core.finetune.TargetModule;
import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.model.MoeConfig;
import dev.llmcalc.core.unit.Exact;

/**
 * Forward FLOPs of one token through LoRA adapters (a multiply-add is 2 FLOPs): 2·r·(d_in + d_out) per adapted
 * matrix a token passes.
 *
 * @param layers adapters inside the transformer layers (attention, dense FFN, the k routed and the shared experts)
 * @param outsideLayers adapters on the embedding (B only: A is a lookup) and the LM head
 */
public record AdapterFlops(long layers, long outsideLayers) {

    private static final String Q = "flopsPerToken";

    public long total() {
        return Exact.add(Q, this.layers, this.outsideLayers);
    }

    // Hu et al. 2021 §4.1: x·A then (x·A)·B, 2·r·(d_in + d_out) FLOPs per adapted matrix per token; MoE: the k routed
    // experts and the shared experts a token passes; embedding: the lookup of A is free, B costs 2·r·h
    public static AdapterFlops forwardPerToken(Architecture m, FineTuning fineTuning) {
        if (!fineTuning.isAdapter()) {
            return new AdapterFlops(0, 0);
        }
        AdapterCounter.requireSupported(m, fineTuning);
        int r = fineTuning.rank();
        long h = m.hiddenSize();
        long queryWidth = Exact.multiply(Q, m.numAttentionHeads(), m.headDim());
        long keyValueWidth = Exact.multiply(Q, m.numKeyValueHeads(), m.headDim());
        long perLayer = 0;
        long ffnMatrices = 0;
        long outside = 0;
        for (TargetModule module : fineTuning.targetModules()) {
            switch (module) {
                case Q -> perLayer = Exact.add(Q, perLayer, AdapterCounter.adapterPerMatrix(r, h, queryWidth));
                case K, V -> perLayer = Exact.add(Q, perLayer, AdapterCounter.adapterPerMatrix(r, h, keyValueWidth));
                case O -> perLayer = Exact.add(Q, perLayer, AdapterCounter.adapterPerMatrix(r, queryWidth, h));
                case GATE, UP, DOWN -> ffnMatrices++;
                case EMBEDDING -> outside = Exact.add(Q, outside, Exact.multiply(Q, r, h));
                case LM_HEAD -> outside = Exact.add(Q, outside, AdapterCounter.adapterPerMatrix(r, h, m.vocabSize()));
            }
        }
        long attention = Exact.multiply(Q, perLayer, m.numLayers());
        long ffn = Exact.multiply(Q, ffnMatrices, ffnPerToken(m, r));
        return new AdapterFlops(Exact.multiply(Q, 2, Exact.add(Q, attention, ffn)), Exact.multiply(Q, 2, outside));
    }

    /** Adapter weights one token passes on one FFN projection kind, over all layers. */
    private static long ffnPerToken(Architecture m, int r) {
        long h = m.hiddenSize();
        long dense = Exact.multiply(Q, m.denseFfnLayers(), AdapterCounter.adapterPerMatrix(r, h, m.intermediateSize()));
        MoeConfig moe = m.moe();
        if (moe == null) {
            return dense;
        }
        long routed = Exact.multiply(Q, moe.numExpertsPerToken(),
                AdapterCounter.adapterPerMatrix(r, h, moe.expertIntermediateSize()));
        long shared = Exact.multiply(Q, moe.numSharedExperts(),
                AdapterCounter.adapterPerMatrix(r, h, moe.sharedExpertIntermediateSize()));
        return Exact.add(Q, dense, Exact.multiply(Q, m.moeLayers(), Exact.add(Q, routed, shared)));
    }
}
