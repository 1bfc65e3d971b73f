package dev.llmcalc.core.model.hf;

import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.model.MlaConfig;
import dev.llmcalc.core.model.MoeConfig;

/**
 * DeepSeek-V2 and V3: multi-head latent attention and DeepSeekMoE (shared plus routed experts, leading dense
 * layers). Counted as transformers' modeling_deepseek_v2.py / modeling_deepseek_v3.py and DeepSeek's own
 * modeling_deepseek.py (the config's auto_map) build them.
 */
final class DeepSeekFamilies {

    private DeepSeekFamilies() {
    }

    /** The config-class defaults that differ between the two versions. */
    private record Defaults(int routedExperts, Integer expertsPerToken, int expertWidth, int sharedExperts,
            int firstDense) {
    }

    // DeepseekV2Config: n_routed_experts 64, num_experts_per_tok None, moe_intermediate_size 1407, n_shared_experts 2,
    // first_k_dense_replace 0, q_lora_rank 1536, kv_lora_rank 512, qk_nope 128, qk_rope 64, v_head_dim 128, tie False.
    static Architecture deepseekV2(ImportContext ctx) {
        return deepseek(ctx, new Defaults(64, null, 1407, 2, 0), false);
    }

    // DeepseekV3Config: n_routed_experts 256, num_experts_per_tok 8, moe_intermediate_size 2048, n_shared_experts 1,
    // first_k_dense_replace 3, otherwise as V2.
    static Architecture deepseekV3(ImportContext ctx) {
        return deepseek(ctx, new Defaults(256, 8, 2048, 1, 3), true);
    }

    // Attention (both versions): q_proj = Linear(h, a·(nope + rope)) when q_lora_rank is null, else q_a_proj
    // Linear(h, r_q) + q_a_layernorm RMSNorm(r_q) + q_b_proj Linear(r_q, a·(nope + rope)); kv_a_proj_with_mqa
    // Linear(h, r_kv + rope) + kv_a_layernorm RMSNorm(r_kv) + kv_b_proj Linear(r_kv, a·(nope + v)); o_proj
    // Linear(a·v, h). Biases only with attention_bias (on q_a/kv_a/o), which no released model sets.
    // FFN: layer i is MoE when n_routed_experts is set, i >= first_k_dense_replace and i % moe_layer_freq == 0
    // (modeling_deepseek.py; transformers' port ignores moe_layer_freq, which every release sets to 1), else a dense
    // SwiGLU of intermediate_size. A MoE layer: gate weight (E × h, no bias), E routed experts and
    // n_shared_experts·moe_intermediate_size of shared expert width.
    private static Architecture deepseek(ImportContext ctx, Defaults defaults, boolean v3) {
        ConfigReader c = ctx.config;
        Integer vocab = c.requiredInt("vocab_size");
        Integer hidden = c.requiredInt("hidden_size");
        Integer layers = c.requiredInt("num_hidden_layers");
        Integer heads = c.requiredInt("num_attention_heads");
        c.requireAll();
        if (c.boolOrDefault("attention_bias", false)) {
            throw ctx.impossible("attention_bias", "is not supported with latent attention: no released DeepSeek model "
                    + "has these biases and the core architecture does not count them");
        }
        if (c.present("mlp_bias") && c.boolOrDefault("mlp_bias", false)) {
            throw ctx.impossible("mlp_bias", "is not supported for DeepSeek MoE layers (no released model sets it)");
        }
        // num_key_value_heads exists for compatibility only: latent attention gives every head its own keys/values
        c.consult("num_key_value_heads");
        int qLoraRank;
        if (c.has("q_lora_rank") && !c.present("q_lora_rank")) {
            qLoraRank = 0;
            ctx.note("q_lora_rank is null: queries use one uncompressed q_proj (DeepSeek-V2-Lite).");
        }
        else {
            qLoraRank = c.intOrDefault("q_lora_rank", 1536, "");
        }
        MlaConfig mla = new MlaConfig(qLoraRank, c.intOrDefault("kv_lora_rank", 512, ""),
                c.intOrDefault("qk_nope_head_dim", 128, ""), c.intOrDefault("qk_rope_head_dim", 64, ""),
                c.intOrDefault("v_head_dim", 128, ""));
        boolean tied = LlamaStyleFamilies.tied(ctx, c.boolOrDefault("tie_word_embeddings", false));
        Architecture.Builder builder = Architecture.builder().vocabSize(vocab).hiddenSize(hidden).numLayers(layers)
                .numAttentionHeads(heads).numKeyValueHeads(heads).mla(mla).tiedEmbeddings(tied);
        ctx.note("DeepSeek multi-head latent attention (" + ctx.family.modelingFile() + "): "
                + (qLoraRank > 0 ? "queries compressed to rank " + qLoraRank : "uncompressed queries")
                + ", keys/values compressed to rank " + mla.kvLoraRank() + "; the latent RMSNorms are counted.");

        Integer routed;
        if (c.has("n_routed_experts") && !c.present("n_routed_experts")) {
            routed = null;
        }
        else {
            routed = c.intOrDefault("n_routed_experts", defaults.routedExperts(), "");
        }
        int firstDense = c.nonNegativeIntOrDefault("first_k_dense_replace", defaults.firstDense());
        int frequency = c.intOrDefault("moe_layer_freq", 1, "");
        int dense = routed == null ? layers
                : ctx.denseLayers(layers, (layer) -> layer >= firstDense && layer % frequency == 0,
                        "first_k_dense_replace " + firstDense + ", moe_layer_freq " + frequency);
        int ffn = dense > 0 ? LlamaStyleFamilies.intermediateSize(ctx) : c.intOrDefault("intermediate_size", 18_432, "");
        builder.intermediateSize(ffn);
        mtp(ctx);
        if (dense == layers) {
            ctx.warn("No layer is MoE (n_routed_experts null or first_k_dense_replace ≥ num_hidden_layers): "
                    + "counted as a dense model.");
            return ctx.build(builder);
        }
        Integer perToken = defaults.expertsPerToken() != null
                ? Integer.valueOf(LlamaStyleFamilies.topK(ctx, "num_experts_per_tok", defaults.expertsPerToken(), routed,
                        "n_routed_experts"))
                : requiredTopK(ctx, routed);
        int expertWidth = c.intOrDefault("moe_intermediate_size", defaults.expertWidth(), "");
        int shared = c.has("n_shared_experts") && !c.present("n_shared_experts") ? 0
                : c.nonNegativeIntOrDefault("n_shared_experts", defaults.sharedExperts());
        c.consult("n_group", "topk_group", "norm_topk_prob", "routed_scaling_factor", "scoring_func", "aux_loss_alpha",
                "seq_aux", "ep_size");
        // DeepSeek-V3 §3.2.2: node-limited routing, each token to at most M = topk_group of the n_group expert groups,
        // one group per node in training (V2's group-limited routing counts devices, not nodes: not read as nodes)
        Integer groups = v3 ? c.optionalInt("n_group") : null;
        Integer groupsPerToken = v3 ? c.optionalInt("topk_group") : null;
        int maxNodes = groups != null && groups > 1 && groupsPerToken != null && groupsPerToken > 0
                ? groupsPerToken : 0;
        if (maxNodes > 0) {
            ctx.keyFor("moe.maxNodesPerToken", "topk_group");
            ctx.note("Node-limited routing: each token's experts lie in at most topk_group " + maxNodes + " of n_group "
                    + groups + " groups, one node each when trained (DeepSeek-V3 §3.2.2): the expert all-to-all sends a "
                    + "token over the network once per node.");
        }
        boolean correctionBias = v3 && !"greedy".equals(c.optionalString("topk_method"))
                && !"group_limited_greedy".equals(c.optionalString("topk_method"));
        if (correctionBias) {
            // decision: e_score_correction_bias (E values per MoE layer, the aux-loss-free balancing bias of
            // DeepSeek-V3 §2.1.2) is an nn.Parameter in DeepSeek's modeling_deepseek.py (topk_method "noaux_tc")
            // and is stored in the checkpoint; transformers' own port registers it as a buffer. It is counted, as the
            // router bias, so the total matches the published 671,026,419,200 for DeepSeek-V3.
            ctx.note("e_score_correction_bias (" + routed + " per MoE layer, topk_method noaux_tc) is counted as the "
                    + "router bias: an nn.Parameter in DeepSeek's modeling_deepseek.py and stored in the checkpoint. "
                    + "It is set by the load-balancing rule, not by gradients; transformers' port keeps it as a buffer. "
                    + "Without it the total is " + (layers - dense) + " × " + routed + " lower.");
        }
        ctx.keyFor("moe.numExperts", "n_routed_experts");
        ctx.keyFor("moe.denseLayers", "first_k_dense_replace");
        ctx.keyFor("moe.sharedExpertIntermediateSize", "moe_intermediate_size");
        ctx.note("DeepSeekMoE: " + (layers - dense) + " MoE layers of " + routed + " routed experts (top-" + perToken
                + ") and " + shared + " shared expert(s) of width " + expertWidth + "; " + dense + " dense layer(s) of "
                + "width " + ffn + ". activeParametersPerToken includes the input embedding, which DeepSeek's "
                + "'activated parameters' leave out.");
        return ctx.build(builder.moe(new MoeConfig(routed, perToken, expertWidth, shared, shared > 0 ? expertWidth : 0,
                dense, correctionBias, false, maxNodes)));
    }

    // DeepseekV2Config has no default top-k: a MoE config without num_experts_per_tok cannot be routed.
    private static int requiredTopK(ImportContext ctx, int routed) {
        Integer k = ctx.config.requiredInt("num_experts_per_tok");
        ctx.config.requireAll();
        if (k > routed) {
            throw ctx.impossible("num_experts_per_tok", "(" + k + ") must not exceed n_routed_experts (" + routed + ")");
        }
        return k;
    }

    // DeepSeek-V3 §2.2: the multi-token-prediction module (checkpoint layer 61, num_nextn_predict_layers of them)
    // is not part of DeepseekV3ForCausalLM (transformers ignores model.layers.61.* on load).
    private static void mtp(ImportContext ctx) {
        int mtpLayers = ctx.config.present("num_nextn_predict_layers")
                ? ctx.config.nonNegativeIntOrDefault("num_nextn_predict_layers", 0) : 0;
        ctx.config.consult("num_nextn_predict_layers");
        if (mtpLayers > 0) {
            ctx.warn("num_nextn_predict_layers = " + mtpLayers + ": the multi-token-prediction module (an extra decoder "
                    + "layer with its own projection and norms, ~14B parameters for DeepSeek-V3) is in the checkpoint "
                    + "but not in the *ForCausalLM module, and is not counted.");
        }
    }
}
