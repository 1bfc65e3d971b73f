package dev.llmcalc.core.model.hf;

import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.model.MlpType;
import dev.llmcalc.core.model.NormType;
import dev.llmcalc.core.model.PositionEmbedding;

/**
 * GPT-2, GPT-NeoX and Falcon: LayerNorm decoders with a plain GELU MLP (2 matrices), biases on most linear
 * layers and their own config naming.
 */
final class ClassicFamilies {

    private ClassicFamilies() {
    }

    // modeling_gpt2.py (GPT2LMHeadModel): wte V·h and wpe n_positions·h; per block ln_1, ln_2 (LayerNorm), c_attn
    // Conv1D(h, 3h) and c_proj Conv1D(h, h) with biases, mlp c_fc Conv1D(h, n_inner) and c_proj Conv1D(n_inner, h)
    // with biases; ln_f; lm_head tied to wte. GPT2Config: n_inner None → 4·n_embd, n_positions 1024; the attribute
    // map lets hidden_size / num_hidden_layers / num_attention_heads / max_position_embeddings stand in for the
    // n_* names. attn.bias and attn.masked_bias are causal-mask buffers, not parameters.
    static Architecture gpt2(ImportContext ctx) {
        ConfigReader c = ctx.config;
        String hiddenKey = c.firstPresent("n_embd", "hidden_size");
        String layersKey = c.firstPresent("n_layer", "num_hidden_layers");
        String headsKey = c.firstPresent("n_head", "num_attention_heads");
        Integer vocab = c.requiredInt("vocab_size");
        Integer hidden = c.requiredInt(hiddenKey);
        Integer layers = c.requiredInt(layersKey);
        Integer heads = c.requiredInt(headsKey);
        c.requireAll();
        String positionsKey = c.firstPresent("n_positions", "max_position_embeddings");
        int positions = c.intOrDefault(positionsKey, 1024, "");
        ctx.dividedHeadDim(headsKey, hidden, heads, "(GPT2Attention requires it)");
        int inner;
        if (c.present("n_inner")) {
            inner = c.optionalInt("n_inner");
        }
        else {
            inner = fourTimes(ctx, hiddenKey, hidden);
            c.consult("n_inner");
            ctx.note("n_inner is " + (c.has("n_inner") ? "null" : "absent") + ": the MLP is 4 · n_embd = " + inner
                    + " wide.");
        }
        if (c.present("add_cross_attention") && c.boolOrDefault("add_cross_attention", false)) {
            throw ctx.impossible("add_cross_attention", "adds encoder-decoder cross-attention blocks, which the core "
                    + "decoder-only architecture does not count");
        }
        c.consult("n_ctx");
        boolean tied = LlamaStyleFamilies.tied(ctx, c.boolOrDefault("tie_word_embeddings", true));
        ctx.keyFor("hiddenSize", hiddenKey);
        ctx.keyFor("numLayers", layersKey);
        ctx.keyFor("numAttentionHeads", headsKey);
        ctx.keyFor("maxPositionEmbeddings", positionsKey);
        ctx.keyFor("intermediateSize", "n_inner");
        ctx.note("GPT-2 (modeling_gpt2.py): learned positions (" + positions + " × " + hidden + "), LayerNorms, biases "
                + "on every Conv1D, GELU MLP; the 'attn.bias' causal masks a checkpoint may store (" + layers + " × "
                + positions + "² values) are buffers, not parameters.");
        return ctx.build(Architecture.builder().vocabSize(vocab).hiddenSize(hidden).numLayers(layers)
                .numAttentionHeads(heads).intermediateSize(inner).mlp(MlpType.STANDARD).norm(NormType.LAYER_NORM)
                .qkvBias(true).attentionOutputBias(true).mlpBias(true).tiedEmbeddings(tied)
                .positionEmbedding(PositionEmbedding.LEARNED).maxPositionEmbeddings(positions));
    }

    /** The default MLP width 4·h, which must still be an int. */
    private static int fourTimes(ImportContext ctx, String hiddenKey, int hidden) {
        if (hidden > Integer.MAX_VALUE / 4) {
            throw ctx.impossible(hiddenKey, "(" + hidden + ") is too large: the default MLP width 4 × " + hiddenKey
                    + " exceeds " + Integer.MAX_VALUE);
        }
        return 4 * hidden;
    }

    // modeling_gpt_neox.py (GPTNeoXForCausalLM): embed_in; per layer input_layernorm and post_attention_layernorm
    // (LayerNorm, both present whether use_parallel_residual or not), query_key_value Linear(h, 3h) and dense
    // Linear(h, h) with bias=config.attention_bias, mlp dense_h_to_4h / dense_4h_to_h with biases; final_layer_norm;
    // embed_out Linear(h, V, bias=False), untied by default. GPTNeoXConfig: attention_bias True, tie False,
    // use_parallel_residual True. rotary_pct / partial_rotary_factor only decide how much of each head rotates.
    static Architecture gptNeoX(ImportContext ctx) {
        ConfigReader c = ctx.config;
        Integer vocab = c.requiredInt("vocab_size");
        Integer hidden = c.requiredInt("hidden_size");
        Integer layers = c.requiredInt("num_hidden_layers");
        Integer heads = c.requiredInt("num_attention_heads");
        Integer ffn = c.requiredInt("intermediate_size");
        c.requireAll();
        ctx.dividedHeadDim("num_attention_heads", hidden, heads, "(GPTNeoXAttention requires it)");
        boolean attentionBias = c.boolOrDefault("attention_bias", true);
        boolean parallel = c.boolOrDefault("use_parallel_residual", true);
        boolean tied = LlamaStyleFamilies.tied(ctx, c.boolOrDefault("tie_word_embeddings", false));
        c.consult("rotary_pct", "partial_rotary_factor", "rotary_emb_base");
        ctx.note("GPT-NeoX (modeling_gpt_neox.py): fused query_key_value and dense with biases"
                + (attentionBias ? "" : " switched off (attention_bias false)") + ", GELU MLP with biases, two "
                + "LayerNorms per layer" + (parallel ? " feeding attention and MLP in parallel (use_parallel_residual)"
                        : "") + ", untied embed_out unless tie_word_embeddings; rotary_pct holds no parameters.");
        return ctx.build(Architecture.builder().vocabSize(vocab).hiddenSize(hidden).numLayers(layers)
                .numAttentionHeads(heads).intermediateSize(ffn).mlp(MlpType.STANDARD).norm(NormType.LAYER_NORM)
                .normsPerLayer(2).parallelBlock(parallel).qkvBias(attentionBias).attentionOutputBias(attentionBias)
                .mlpBias(true).tiedEmbeddings(tied));
    }

    // modeling_falcon.py (FalconForCausalLM): word_embeddings; query_key_value = Linear(h, (a + 2g)·d, bias=bias)
    // with g = num_kv_heads under new_decoder_architecture, 1 with multi_query, else a; dense Linear(h, h, bias=bias);
    // MLP dense_h_to_4h / dense_4h_to_h of ffn_hidden_size (default 4h) with bias=bias; LayerNorms: input_layernorm
    // + post_attention_layernorm when not parallel_attn, ln_attn + ln_mlp when num_ln_in_parallel_attn == 2
    // (the default under new_decoder_architecture), else input_layernorm alone; ln_f; lm_head tied by default
    // (FalconConfig inherits tie_word_embeddings True). Defaults: multi_query True, parallel_attn True, bias False,
    // alibi False, new_decoder_architecture False. The pre-4.33 names n_head, n_layer, n_head_kv, n_embed also work.
    static Architecture falcon(ImportContext ctx) {
        ConfigReader c = ctx.config;
        String hiddenKey = c.firstPresent("hidden_size", "n_embed");
        String layersKey = c.firstPresent("num_hidden_layers", "n_layer");
        String headsKey = c.firstPresent("num_attention_heads", "n_head");
        Integer vocab = c.requiredInt("vocab_size");
        Integer hidden = c.requiredInt(hiddenKey);
        Integer layers = c.requiredInt(layersKey);
        Integer heads = c.requiredInt(headsKey);
        c.requireAll();
        ctx.dividedHeadDim(headsKey, hidden, heads, "(FalconAttention requires it)");
        boolean newDecoder = c.boolOrDefault("new_decoder_architecture", false);
        boolean multiQuery = c.boolOrDefault("multi_query", true);
        boolean parallel = c.boolOrDefault("parallel_attn", true);
        boolean bias = c.boolOrDefault("bias", false);
        boolean alibi = c.boolOrDefault("alibi", false);
        String kvKey = c.firstPresent("num_kv_heads", "n_head_kv");
        int kv;
        if (newDecoder) {
            kv = ctx.keyValueHeads(kvKey, heads, null);
        }
        else {
            c.consult("num_kv_heads", "n_head_kv");
            kv = multiQuery ? 1 : heads;
        }
        int ffn = c.present("ffn_hidden_size") ? c.optionalInt("ffn_hidden_size") : fourTimes(ctx, hiddenKey, hidden);
        Integer lnInParallel = c.optionalInt("num_ln_in_parallel_attn");
        if (lnInParallel == null && newDecoder) {
            lnInParallel = 2;
        }
        int norms = !parallel || (lnInParallel != null && lnInParallel == 2) ? 2 : 1;
        boolean tied;
        if (c.present("tie_word_embeddings")) {
            tied = LlamaStyleFamilies.tied(ctx, c.boolOrDefault("tie_word_embeddings", true));
        }
        else {
            ctx.warn("tie_word_embeddings is absent: FalconConfig keeps transformers' default (true), so lm_head is "
                    + "tied to word_embeddings and counted once.");
            tied = true;
        }
        c.consult("apply_residual_connection_post_layernorm");
        ctx.keyFor("hiddenSize", hiddenKey);
        ctx.keyFor("numLayers", layersKey);
        ctx.keyFor("numAttentionHeads", headsKey);
        ctx.keyFor("numKeyValueHeads", kvKey);
        ctx.keyFor("intermediateSize", "ffn_hidden_size");
        ctx.note("Falcon (modeling_falcon.py): " + (newDecoder ? "new decoder architecture, " + kv + " key/value heads"
                : multiQuery ? "multi-query attention (1 key/value head)" : "multi-head attention") + ", "
                + (parallel ? "parallel attention and MLP" : "sequential attention and MLP") + " with " + norms
                + " LayerNorm(s) per layer, " + (bias ? "biases on every linear layer" : "no linear biases") + ", "
                + (alibi ? "ALiBi positions (no parameters)" : "rotary positions") + ", GELU MLP " + ffn + " wide.");
        return ctx.build(Architecture.builder().vocabSize(vocab).hiddenSize(hidden).numLayers(layers)
                .numAttentionHeads(heads).numKeyValueHeads(kv).intermediateSize(ffn).mlp(MlpType.STANDARD)
                .norm(NormType.LAYER_NORM).normsPerLayer(norms).parallelBlock(parallel).qkvBias(bias)
                .attentionOutputBias(bias).mlpBias(bias).tiedEmbeddings(tied)
                .positionEmbedding(alibi ? PositionEmbedding.ALIBI : PositionEmbedding.ROTARY));
    }
}
