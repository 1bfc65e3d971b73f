package dev.llmcalc.core.run;

import static dev.llmcalc.core.unit.InvalidInputException.require;

/**
 * LoRA adapters as the activation ledger sees them (Hu et al. 2021): each adapted matrix also keeps its r-wide
 * intermediate x·A, the input of B that B's weight gradient needs. The adapter's input x is the frozen matrix's
 * input, already in the ledger.
 *
 * @param rank r (0: no adapters)
 * @param attentionMatrices adapted attention projections per layer (q, k, v, o: 0 to 4)
 * @param ffnMatrices adapted FFN projections of each dense FFN and each expert (gate, up, down: 0 to 3)
 * @param embedding an adapter on the token embedding (its r-wide lookup is kept on the first stage)
 * @param lmHead an adapter on the LM head (its r-wide intermediate is kept on the last stage)
 */
public record AdapterActivations(int rank, int attentionMatrices, int ffnMatrices, boolean embedding,
        boolean lmHead) {

    /** Full training: no adapters. */
    public static final AdapterActivations NONE = new AdapterActivations(0, 0, 0, false, false);

    public AdapterActivations {
        require(rank >= 0, "lora.rank", "must not be negative");
        require(attentionMatrices >= 0 && attentionMatrices <= 4, "lora.targetModules", "at most 4 attention matrices");
        require(ffnMatrices >= 0 && ffnMatrices <= 3, "lora.targetModules", "at most 3 FFN matrices");
    }

    public boolean any() {
        return this.rank > 0;
    }
}
