package dev.llmcalc.core.compute;

import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.run.AdapterCounter;
import dev.llmcalc.core.run.FineTuning;
import dev.llmcalc.core.run.TargetModule;
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

    // Hu et al. 2021 §4.1: x·A then (x·A)·B, 2·r·(d_in + d_out) FLOPs per adapted matrix per token, i.e. 2 per adapter
    // weight a token passes (MoE: its k routed experts and the shared experts); embedding: the lookup of A is free,
    // B costs 2·r·h
    public static AdapterFlops forwardPerToken(Architecture m, FineTuning fineTuning) {
        if (!fineTuning.isAdapter()) {
            return new AdapterFlops(0, 0);
        }
        AdapterCounter.requireSupported(m, fineTuning);
        int r = fineTuning.rank();
        long layers = 0;
        long outside = 0;
        for (TargetModule module : fineTuning.targetModules()) {
            if (module.isAttention()) {
                layers = Exact.add(Q, layers, AdapterCounter.adaptersFor(m, module, r));
            }
            else if (module.isMlp()) {
                layers = Exact.add(Q, layers, AdapterCounter.ffnAdapters(m, r, true));
            }
            else if (module == TargetModule.EMBEDDING) {
                outside = Exact.add(Q, outside, Exact.multiply(Q, r, m.hiddenSize()));
            }
            else {
                outside = Exact.add(Q, outside, AdapterCounter.adaptersFor(m, module, r));
            }
        }
        return new AdapterFlops(Exact.multiply(Q, 2, layers), Exact.multiply(Q, 2, outside));
    }
}
