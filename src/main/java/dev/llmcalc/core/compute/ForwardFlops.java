package dev.llmcalc.core.compute;

import dev.llmcalc.core.unit.Exact;

/**
 * Forward-pass FLOPs of one token, summed over all layers (a multiply-add is 2 FLOPs).
 *
 * @param attentionProjections 2 × the Q, K, V and O weights (or MLA's projections)
 * @param mlp 2 × the FFN weights a token passes: the dense FFN, or on MoE layers its k routed and the shared experts
 * @param router 2·h·E on each MoE layer
 * @param lmHead 2·h·V, counted even when the head is tied to the embedding
 * @param attentionScores QKᵀ and P·V against the sequence's keys and values (halved when causal)
 */
public record ForwardFlops(long attentionProjections, long mlp, long router, long lmHead, long attentionScores) {

    private static final String Q = "flopsPerToken";

    /** Everything the transformer layers do (all but the LM head): what full recomputation runs again. */
    public long layers() {
        return Exact.sum(Q, this.attentionProjections, this.mlp, this.router, this.attentionScores);
    }

    public long total() {
        return Exact.add(Q, layers(), this.lmHead);
    }
}
