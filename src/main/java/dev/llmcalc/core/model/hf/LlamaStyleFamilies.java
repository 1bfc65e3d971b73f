package dev.llmcalc.core.model.hf;

import java.util.List;

import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.model.MlpType;
import dev.llmcalc.core.model.MoeConfig;
import dev.llmcalc.core.model.NormType;
import dev.llmcalc.core.model.QkNormScope;

/**
 * Pre-norm rotary decoders with separate (or fused, which count the same) q/k/v/o projections: the Llama
 * lineage and its relatives. Each method states the module structure it counts and where it comes from; the
 * defaults are those of the transformers config class named in {@link ModelFamily}.
 */
final class LlamaStyleFamilies {

    private LlamaStyleFamilies() {
    }

    /** The sizes every decoder config carries, already checked against each other. */
    record Decoder(int vocab, int hidden, int layers, int heads, int kvHeads, int headDim) {

        Architecture.Builder builder() {
            return Architecture.builder().vocabSize(this.vocab).hiddenSize(this.hidden).numLayers(this.layers)
                    .numAttentionHeads(this.heads).numKeyValueHeads(this.kvHeads).headDim(this.headDim);
        }
    }

    /**
     * Reads vocab_size, hidden_size, num_hidden_layers, num_attention_heads (all required unless the family
     * default is given), num_key_value_heads and head_dim with the family's defaults. The intermediate size is
     * read by each family, because MoE families use it only for their dense layers.
     */
    static Decoder decoder(ImportContext ctx, Integer vocabDefault, Integer headsDefault, Integer kvHeadsDefault,
            Integer headDimDefault) {
        ConfigReader c = ctx.config;
        Integer vocab = vocabDefault != null ? Integer.valueOf(c.intOrDefault("vocab_size", vocabDefault, ""))
                : c.requiredInt("vocab_size");
        Integer hidden = c.requiredInt("hidden_size");
        Integer layers = c.requiredInt("num_hidden_layers");
        Integer heads = headsDefault != null ? Integer.valueOf(c.intOrDefault("num_attention_heads", headsDefault, ""))
                : c.requiredInt("num_attention_heads");
        c.requireAll();
        int headDim = ctx.headDim("num_attention_heads", hidden, heads, headDimDefault);
        int kv = ctx.keyValueHeads("num_key_value_heads", heads, kvHeadsDefault);
        return new Decoder(vocab, hidden, layers, heads, kv, headDim);
    }

    /** The dense FFN width, required. */
    static int intermediateSize(ImportContext ctx) {
        Integer ffn = ctx.config.requiredInt("intermediate_size");
        ctx.config.requireAll();
        return ffn;
    }

    // modeling_llama.py: q/k/v/o_proj bias=config.attention_bias, gate/up/down_proj bias=config.mlp_bias,
    // input_layernorm + post_attention_layernorm (RMSNorm), final norm, lm_head unless tied.
    // LlamaConfig: num_key_value_heads None → num_attention_heads, head_dim None → hidden_size // heads, tie False.
    static Architecture llama(ImportContext ctx) {
        Decoder d = decoder(ctx, null, null, null, null);
        int ffn = intermediateSize(ctx);
        boolean attentionBias = ctx.config.boolOrDefault("attention_bias", false);
        boolean mlpBias = ctx.config.boolOrDefault("mlp_bias", false);
        boolean tied = ctx.config.boolOrDefault("tie_word_embeddings", false);
        ctx.note("Llama decoder (" + ctx.family.modelingFile() + "): q/k/v/o projections"
                + (attentionBias ? " with biases (attention_bias)" : " without biases")
                + ", SwiGLU gate/up/down" + (mlpBias ? " with biases (mlp_bias)" : "")
                + ", 2 RMSNorms per layer and a final RMSNorm; rotary inv_freq is a buffer, not counted.");
        return ctx.build(d.builder().intermediateSize(ffn).qkvBias(attentionBias).attentionOutputBias(attentionBias)
                .mlpBias(mlpBias).tiedEmbeddings(tied(ctx, tied)));
    }

    // An unrecognised model_type: the Llama rules would be a guess, so the import names what is not modelled (422
    // unless the client accepts an approximate count). A config with MoE fields would be counted dense.
    static Architecture unknown(ImportContext ctx, String modelType, String architecturesClass) {
        String known = "known model_types: " + String.join(", ", ModelFamily.knownModelTypes());
        if (modelType != null) {
            ctx.unmodelled("model_type", "('" + modelType + "') is not one this service models, so its module "
                    + "structure is unknown; counted as a Llama-style decoder (rotary, SwiGLU, RMSNorm, optional "
                    + "attention_bias/mlp_bias) it may miss or mistake parameters; " + known);
        }
        else if (architecturesClass != null) {
            ctx.unmodelled("architectures", "(" + architecturesClass + ") is not a class this service models and "
                    + "model_type is absent; counted as a Llama-style decoder it may miss or mistake parameters; "
                    + known);
        }
        else {
            ctx.unmodelled("model_type", "is absent (and so is architectures): the module structure is unknown; "
                    + "counted as a Llama-style decoder it may miss or mistake parameters; " + known);
        }
        for (String moeKey : List.of("num_local_experts", "num_experts", "n_routed_experts", "moe_intermediate_size")) {
            if (ctx.config.present(moeKey)) {
                ctx.unmodelled(moeKey, "suggests a mixture of experts, which a Llama-style reading does not count: "
                        + "only the dense layers would be");
            }
        }
        if (!ctx.config.present("tie_word_embeddings")) {
            ctx.warn("tie_word_embeddings is absent: guessed false (the LlamaConfig default; transformers' own "
                    + "PretrainedConfig default would be true).");
        }
        return llama(ctx);
    }

    // modeling_mistral.py: q/k/v/o_proj bias=False (no attention_bias option), SwiGLU without biases, 2 RMSNorms.
    // MistralConfig: num_key_value_heads 8, head_dim None → hidden_size // heads (Mistral-Nemo sets 128), tie False.
    static Architecture mistral(ImportContext ctx) {
        Decoder d = decoder(ctx, null, null, 8, null);
        int ffn = intermediateSize(ctx);
        boolean tied = ctx.config.boolOrDefault("tie_word_embeddings", false);
        ctx.note("Mistral decoder (modeling_mistral.py): q/k/v/o projections without biases, SwiGLU, 2 RMSNorms "
                + "per layer; sliding_window changes attention, not parameters.");
        return ctx.build(d.builder().intermediateSize(ffn).tiedEmbeddings(tied(ctx, tied)));
    }

    // modeling_mixtral.py: Mistral attention; every layer's FFN is a sparse MoE block: gate = Linear(h, E,
    // bias=False) and E experts w1/w2/w3 of width intermediate_size. MixtralConfig: num_local_experts 8,
    // num_experts_per_tok 2, num_key_value_heads 8, tie False.
    static Architecture mixtral(ImportContext ctx) {
        Decoder d = decoder(ctx, null, null, 8, null);
        int ffn = intermediateSize(ctx);
        int experts = ctx.config.intOrDefault("num_local_experts", 8, "");
        int perToken = topK(ctx, "num_experts_per_tok", 2, experts, "num_local_experts");
        boolean tied = ctx.config.boolOrDefault("tie_word_embeddings", false);
        ctx.keyFor("moe.numExperts", "num_local_experts");
        ctx.keyFor("moe.expertIntermediateSize", "intermediate_size");
        ctx.note("Mixtral (modeling_mixtral.py): every layer is MoE with " + experts + " experts of width "
                + "intermediate_size (" + ffn + "), router without bias; attention as Mistral.");
        return ctx.build(d.builder().intermediateSize(ffn).tiedEmbeddings(tied(ctx, tied))
                .moe(MoeConfig.routed(experts, perToken, ffn)));
    }

    // modeling_qwen2.py: q/k/v_proj bias=True, o_proj bias=False (hard-coded), SwiGLU without biases, 2 RMSNorms.
    // Qwen2Config: num_key_value_heads 32, tie False (Qwen2.5-0.5B/1.5B/3B set it true).
    static Architecture qwen2(ImportContext ctx) {
        Decoder d = decoder(ctx, null, null, 32, null);
        int ffn = intermediateSize(ctx);
        boolean tied = ctx.config.boolOrDefault("tie_word_embeddings", false);
        ctx.note("Qwen2 (modeling_qwen2.py): q, k and v projections carry biases, o does not; SwiGLU; 2 RMSNorms per "
                + "layer; use_sliding_window/max_window_layers change attention, not parameters.");
        return ctx.build(d.builder().intermediateSize(ffn).qkvBias(true).tiedEmbeddings(tied(ctx, tied)));
    }

    // modeling_qwen2_moe.py: q/k/v bias=config.qkv_bias (default True), o_proj bias=False. A layer is a sparse MoE
    // block when it is not in mlp_only_layers, num_experts > 0 and (layer + 1) % decoder_sparse_step == 0, else a
    // dense MLP of intermediate_size. The block: gate Linear(h, E, bias=False), E experts of moe_intermediate_size,
    // one shared_expert of shared_expert_intermediate_size and shared_expert_gate = Linear(h, 1, bias=False).
    // Qwen2MoeConfig: num_key_value_heads 16, num_experts 60, num_experts_per_tok 4, moe_intermediate_size 1408,
    // shared_expert_intermediate_size 5632, intermediate_size 5632, decoder_sparse_step 1, tie False.
    static Architecture qwen2Moe(ImportContext ctx) {
        Decoder d = decoder(ctx, null, null, 16, null);
        ConfigReader c = ctx.config;
        boolean qkvBias = c.boolOrDefault("qkv_bias", true);
        int experts = c.nonNegativeIntOrDefault("num_experts", 60);
        int dense = qwenDenseLayers(ctx, d.layers(), experts);
        int ffn = dense > 0 ? intermediateSize(ctx) : c.intOrDefault("intermediate_size", 5632, "unused: no dense layer");
        boolean tied = c.boolOrDefault("tie_word_embeddings", false);
        Architecture.Builder builder = d.builder().intermediateSize(ffn).qkvBias(qkvBias).tiedEmbeddings(tied(ctx, tied));
        if (dense == d.layers()) {
            ctx.warn("No layer is MoE (num_experts, decoder_sparse_step, mlp_only_layers): counted as a dense model.");
            return ctx.build(builder);
        }
        int perToken = topK(ctx, "num_experts_per_tok", 4, experts, "num_experts");
        int expertWidth = c.intOrDefault("moe_intermediate_size", 1408, "");
        int sharedWidth = c.intOrDefault("shared_expert_intermediate_size", 5632, "");
        c.consult("norm_topk_prob", "router_aux_loss_coef", "output_router_logits");
        ctx.note("Qwen2-MoE (modeling_qwen2_moe.py): " + (d.layers() - dense) + " MoE layers, each with a router of "
                + experts + " experts (no bias), " + experts + " experts of width " + expertWidth
                + ", one shared expert of width " + sharedWidth + " and its shared_expert_gate, a hidden_size→1 "
                + "linear (counted in routerPerLayer); q/k/v biases " + (qkvBias ? "on" : "off")
                + ", o without bias; norm_topk_prob changes routing, not parameters.");
        return ctx.build(builder.moe(new MoeConfig(experts, perToken, expertWidth, 1, sharedWidth, dense, false, true)));
    }

    // modeling_qwen3.py: q/k/v/o bias=config.attention_bias, q_norm and k_norm = RMSNorm(head_dim) (per head),
    // SwiGLU, 2 RMSNorms. Qwen3Config: head_dim 128 (decoupled from hidden_size / heads), num_key_value_heads 8,
    // attention_bias False, tie False (Qwen3-0.6B/1.7B/4B set it true).
    static Architecture qwen3(ImportContext ctx) {
        Decoder d = decoder(ctx, null, null, 8, 128);
        int ffn = intermediateSize(ctx);
        boolean attentionBias = ctx.config.boolOrDefault("attention_bias", false);
        boolean tied = ctx.config.boolOrDefault("tie_word_embeddings", false);
        ctx.note("Qwen3 (modeling_qwen3.py): q_norm and k_norm are RMSNorms over one head (head_dim " + d.headDim()
                + "); q/k/v/o biases " + (attentionBias ? "on" : "off") + " (attention_bias); SwiGLU; 2 RMSNorms per layer.");
        return ctx.build(d.builder().intermediateSize(ffn).qkvBias(attentionBias).attentionOutputBias(attentionBias)
                .qkNorm(true).qkNormScope(QkNormScope.PER_HEAD).tiedEmbeddings(tied(ctx, tied)));
    }

    // modeling_qwen3_moe.py: Qwen3 attention (qk-norm per head). Sparse layers as in Qwen2-MoE but without a shared
    // expert: gate Linear(h, E, bias=False) and E experts of moe_intermediate_size; intermediate_size is used only
    // by dense layers (mlp_only_layers / decoder_sparse_step), i.e. by none in the released models.
    // Qwen3MoeConfig: num_key_value_heads 4, head_dim 128, num_experts 128, num_experts_per_tok 8,
    // moe_intermediate_size 768, intermediate_size 6144, decoder_sparse_step 1, tie False.
    static Architecture qwen3Moe(ImportContext ctx) {
        Decoder d = decoder(ctx, null, null, 4, 128);
        ConfigReader c = ctx.config;
        int experts = c.nonNegativeIntOrDefault("num_experts", 128);
        int dense = qwenDenseLayers(ctx, d.layers(), experts);
        int ffn = dense > 0 ? intermediateSize(ctx) : c.intOrDefault("intermediate_size", 6144, "");
        boolean attentionBias = c.boolOrDefault("attention_bias", false);
        boolean tied = c.boolOrDefault("tie_word_embeddings", false);
        Architecture.Builder builder = d.builder().intermediateSize(ffn).qkvBias(attentionBias)
                .attentionOutputBias(attentionBias).qkNorm(true).qkNormScope(QkNormScope.PER_HEAD)
                .tiedEmbeddings(tied(ctx, tied));
        if (dense == d.layers()) {
            ctx.warn("No layer is MoE (num_experts, decoder_sparse_step, mlp_only_layers): counted as a dense model.");
            return ctx.build(builder);
        }
        int perToken = topK(ctx, "num_experts_per_tok", 8, experts, "num_experts");
        int expertWidth = c.intOrDefault("moe_intermediate_size", 768, "");
        c.consult("norm_topk_prob", "router_aux_loss_coef", "output_router_logits");
        ctx.note("Qwen3-MoE (modeling_qwen3_moe.py): " + (d.layers() - dense) + " MoE layers of " + experts
                + " experts of width moe_intermediate_size (" + expertWidth + "), router without bias, no shared expert"
                + (dense == 0 ? "; intermediate_size (" + ffn + ") is unused because every layer is MoE" : "")
                + "; q_norm/k_norm per head; norm_topk_prob changes routing, not parameters.");
        return ctx.build(builder.moe(new MoeConfig(experts, perToken, expertWidth, 0, 0, dense, false, false)));
    }

    // modeling_phi3.py: qkv_proj = Linear(h, (a + 2g)·d, bias=False) and gate_up_proj = Linear(h, 2f, bias=False)
    // are fused but hold exactly the weights of separate q/k/v and gate/up projections; o_proj and down_proj
    // without bias; 2 RMSNorms. Phi3Config: num_key_value_heads None → heads, tie False.
    static Architecture phi3(ImportContext ctx) {
        Decoder d = decoder(ctx, null, null, null, null);
        int ffn = intermediateSize(ctx);
        boolean tied = ctx.config.boolOrDefault("tie_word_embeddings", false);
        ctx.note("Phi-3 (modeling_phi3.py): the fused qkv_proj and gate_up_proj hold the same weights as separate "
                + "projections; no biases; 2 RMSNorms per layer; partial_rotary_factor/rope_scaling hold no parameters.");
        return ctx.build(d.builder().intermediateSize(ffn).tiedEmbeddings(tied(ctx, tied)));
    }

    // modeling_olmo.py: OlmoLayerNorm is F.layer_norm without weight or bias (non-parametric), 2 per layer plus the
    // final one; q/k/v/o bias=config.attention_bias; SwiGLU. OlmoConfig: tie False; clip_qkv only clamps activations.
    static Architecture olmo(ImportContext ctx) {
        Decoder d = decoder(ctx, null, null, null, null);
        int ffn = intermediateSize(ctx);
        boolean attentionBias = ctx.config.boolOrDefault("attention_bias", false);
        boolean tied = ctx.config.boolOrDefault("tie_word_embeddings", false);
        ctx.config.consult("clip_qkv");
        ctx.note("OLMo (modeling_olmo.py): its LayerNorms have no weight or bias (non-parametric), so norms hold 0 "
                + "parameters; clip_qkv clamps activations and holds none.");
        return ctx.build(d.builder().intermediateSize(ffn).norm(NormType.NON_PARAMETRIC).qkvBias(attentionBias)
                .attentionOutputBias(attentionBias).tiedEmbeddings(tied(ctx, tied)));
    }

    // modeling_olmo2.py: q_norm = RMSNorm(num_attention_heads·head_dim), k_norm = RMSNorm(num_key_value_heads·head_dim)
    // over the full projections; post_attention_layernorm and post_feedforward_layernorm (RMSNorm, no input norm);
    // final RMSNorm. Olmo2Config: attention_bias False, tie False.
    static Architecture olmo2(ImportContext ctx) {
        Decoder d = decoder(ctx, null, null, null, null);
        int ffn = intermediateSize(ctx);
        boolean attentionBias = ctx.config.boolOrDefault("attention_bias", false);
        boolean tied = ctx.config.boolOrDefault("tie_word_embeddings", false);
        ctx.note("OLMo-2 (modeling_olmo2.py): q_norm and k_norm normalise the whole query (" + d.heads() + "·"
                + d.headDim() + ") and key (" + d.kvHeads() + "·" + d.headDim() + ") projections, not one head; "
                + "2 RMSNorms per layer after attention and MLP.");
        return ctx.build(d.builder().intermediateSize(ffn).qkvBias(attentionBias).attentionOutputBias(attentionBias)
                .qkNorm(true).qkNormScope(QkNormScope.FULL_WIDTH).tiedEmbeddings(tied(ctx, tied)));
    }

    // modeling_starcoder2.py: q/k/v/o bias=config.use_bias, MLP c_fc/c_proj (GELU, not gated) bias=config.use_bias,
    // input_layernorm + post_attention_layernorm and the final norm are nn.LayerNorm (weight and bias).
    // Starcoder2Config: use_bias True, num_key_value_heads 2, tie_word_embeddings True.
    static Architecture starcoder2(ImportContext ctx) {
        Decoder d = decoder(ctx, null, null, 2, null);
        int ffn = intermediateSize(ctx);
        boolean bias = ctx.config.boolOrDefault("use_bias", true);
        boolean tied = ctx.config.boolOrDefault("tie_word_embeddings", true);
        ctx.note("StarCoder2 (modeling_starcoder2.py): LayerNorms with bias, a GELU MLP c_fc/c_proj (2 matrices), "
                + "biases on every linear layer " + (bias ? "(use_bias)" : "switched off (use_bias false)") + ".");
        return ctx.build(d.builder().intermediateSize(ffn).mlp(MlpType.STANDARD).norm(NormType.LAYER_NORM)
                .qkvBias(bias).attentionOutputBias(bias).mlpBias(bias).tiedEmbeddings(tied(ctx, tied)));
    }

    /** Dense layers of a Qwen-MoE config: not MoE when in mlp_only_layers or off the decoder_sparse_step. */
    private static int qwenDenseLayers(ImportContext ctx, int layers, int experts) {
        ConfigReader c = ctx.config;
        int step = c.intOrDefault("decoder_sparse_step", 1, "");
        List<Integer> mlpOnly = c.layerIndices("mlp_only_layers");
        return ctx.denseLayers(layers,
                (layer) -> !mlpOnly.contains(layer) && experts > 0 && (layer + 1) % step == 0,
                "decoder_sparse_step " + step + ", mlp_only_layers " + mlpOnly);
    }

    /** num_experts_per_tok, at most the expert count. */
    static int topK(ImportContext ctx, String key, int fallback, int experts, String expertsKey) {
        int k = ctx.config.intOrDefault(key, fallback, "");
        if (k > experts) {
            throw ctx.impossible(key, "(" + k + ") must not exceed " + expertsKey + " (" + experts + ")");
        }
        return k;
    }

    /** Notes a tied head. */
    static boolean tied(ImportContext ctx, boolean tied) {
        if (tied) {
            ctx.note("tie_word_embeddings: the LM head shares the token embedding matrix, counted once.");
        }
        return tied;
    }
}
