package dev.llmcalc.core.model;

import static dev.llmcalc.core.unit.InvalidInputException.require;

/**
 * Mixture-of-experts feed-forward layers (token-choice top-k routing).
 *
 * @param numExperts routed experts per MoE layer (E)
 * @param numExpertsPerToken experts each token is routed to (k)
 * @param expertIntermediateSize FFN width of one routed expert
 * @param numSharedExperts experts every token passes through (DeepSeek, Qwen-MoE)
 * @param sharedExpertIntermediateSize FFN width of one shared expert
 * @param denseLayers leading layers that keep a dense FFN of the model's intermediate size
 * @param routerBias whether the router has a bias of E values (DeepSeek-V3's e_score_correction_bias counts as one)
 * @param sharedExpertGate whether a learned h→1 gate scales the shared experts' output (modeling_qwen2_moe.py:
 *        {@code shared_expert_gate = nn.Linear(hidden_size, 1, bias=False)}), h weights per MoE layer
 * @param maxNodesPerToken node-limited routing: each token's experts lie on at most this many nodes, and a token
 *        crosses the network once per node, then NVLink forwards it to the node's other experts (DeepSeek-V3 §3.2.2,
 *        M = 4); 0 when routing is not limited
 */
public record MoeConfig(int numExperts, int numExpertsPerToken, int expertIntermediateSize, int numSharedExperts,
        int sharedExpertIntermediateSize, int denseLayers, boolean routerBias, boolean sharedExpertGate,
        int maxNodesPerToken) {

    public MoeConfig {
        require(numExperts >= 1, "moe.numExperts", "must be at least 1");
        require(numExpertsPerToken >= 1, "moe.numExpertsPerToken", "must be at least 1");
        require(numExpertsPerToken <= numExperts, "moe.numExpertsPerToken",
                "must not exceed moe.numExperts (" + numExperts + ")");
        require(expertIntermediateSize >= 1, "moe.expertIntermediateSize", "must be at least 1");
        require(numSharedExperts >= 0, "moe.numSharedExperts", "must not be negative");
        require(numSharedExperts == 0 || sharedExpertIntermediateSize >= 1, "moe.sharedExpertIntermediateSize",
                "must be at least 1 when moe.numSharedExperts is set");
        require(sharedExpertIntermediateSize >= 0, "moe.sharedExpertIntermediateSize", "must not be negative");
        require(denseLayers >= 0, "moe.denseLayers", "must not be negative");
        require(!sharedExpertGate || numSharedExperts >= 1, "moe.sharedExpertGate",
                "needs shared experts to gate (moe.numSharedExperts is 0)");
        require(maxNodesPerToken >= 0, "moe.maxNodesPerToken", "must not be negative (0: routing not node-limited)");
    }

    /** Routing not limited by node. */
    public MoeConfig(int numExperts, int numExpertsPerToken, int expertIntermediateSize, int numSharedExperts,
            int sharedExpertIntermediateSize, int denseLayers, boolean routerBias, boolean sharedExpertGate) {
        this(numExperts, numExpertsPerToken, expertIntermediateSize, numSharedExperts, sharedExpertIntermediateSize,
                denseLayers, routerBias, sharedExpertGate, 0);
    }

    /**
     * Of a token's expert copies bound for other nodes, the share that crosses the network when the expert group spans
     * {@code nodes} nodes: with node-limited routing a token reaches at most min(M, nodes) nodes, once each, NVLink
     * forwarding the rest of its k copies there: min(M, nodes) / k (at most 1); else all of them.
     */
    // DeepSeek-V3 §3.2.2: dispatched over IB once per target node, forwarded over NVLink to its experts there
    public double networkShareOfRemoteCopies(long nodes) {
        if (this.maxNodesPerToken <= 0) {
            return 1.0;
        }
        return Math.min(1.0, (double) Math.min(this.maxNodesPerToken, nodes) / this.numExpertsPerToken);
    }

    /** Without a shared-expert gate (every MoE family except Qwen2-MoE). */
    public MoeConfig(int numExperts, int numExpertsPerToken, int expertIntermediateSize, int numSharedExperts,
            int sharedExpertIntermediateSize, int denseLayers, boolean routerBias) {
        this(numExperts, numExpertsPerToken, expertIntermediateSize, numSharedExperts, sharedExpertIntermediateSize,
                denseLayers, routerBias, false);
    }

    /** Routed experts only, no shared experts, no dense layers, no router bias. */
    public static MoeConfig routed(int numExperts, int numExpertsPerToken, int expertIntermediateSize) {
        return new MoeConfig(numExperts, numExpertsPerToken, expertIntermediateSize, 0, 0, 0, false, false);
    }
}
