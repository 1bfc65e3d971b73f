package dev.llmcalc.core.comms;

import java.util.Set;

import dev.llmcalc.core.comms.RankOrder.Dimension;

/**
 * The communication groups of a layout, in the order the ledger lists them. Dense groups come from Megatron-Core's
 * dense view of the rank order (tp, cp, dp, pp), expert groups from its expert view (tp, ep, dp = d·c/e, pp).
 */
enum TrafficGroup {

    TENSOR("tensor", false, Set.of(Dimension.TP)),

    CONTEXT("context", false, Set.of(Dimension.CP)),

    /** Dense gradients are reduced over data × context (Megatron reduces over DP × CP). */
    DATA("data × context (dense gradients)", false, Set.of(Dimension.CP, Dimension.DP)),

    EXPERT("expert", true, Set.of(Dimension.EP)),

    EXPERT_DATA("expert data = data × context / expert (expert gradients)", true, Set.of(Dimension.DP)),

    PIPELINE("pipeline", false, Set.of(Dimension.PP));

    private final String label;

    private final boolean expertView;

    private final Set<Dimension> dimensions;

    TrafficGroup(String label, boolean expertView, Set<Dimension> dimensions) {
        this.label = label;
        this.expertView = expertView;
        this.dimensions = dimensions;
    }

    String label() {
        return this.label;
    }

    /** Whether the group is taken from the expert view (and so exists only for mixture-of-experts models). */
    boolean expertView() {
        return this.expertView;
    }

    Set<Dimension> dimensions() {
        return this.dimensions;
    }
}
