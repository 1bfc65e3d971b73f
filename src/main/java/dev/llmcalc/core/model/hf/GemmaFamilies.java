package dev.llmcalc.core.model.hf;

import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.model.QkNormScope;

/**
 * Gemma 1, 2 and 3. All keep head_dim apart from hidden_size / heads (default 256), tie the LM head to the
 * embedding by default, use GeGLU (gate, up, down) and RMSNorms whose weight is applied as (1 + w), which holds
 * the same h parameters. The embedding is scaled by sqrt(hidden_size) through a non-persistent buffer: nothing
 * to count.
 */
final class GemmaFamilies {

    private GemmaFamilies() {
    }

    // modeling_gemma.py: q/k/v/o bias=config.attention_bias, GeGLU gate/up/down without bias, input_layernorm and
    // post_attention_layernorm. GemmaConfig: head_dim 256, num_key_value_heads 16, attention_bias False, tie True.
    static Architecture gemma(ImportContext ctx) {
        LlamaStyleFamilies.Decoder d = LlamaStyleFamilies.decoder(ctx, null, null, 16, 256);
        int ffn = LlamaStyleFamilies.intermediateSize(ctx);
        boolean attentionBias = ctx.config.boolOrDefault("attention_bias", false);
        boolean tied = ctx.config.boolOrDefault("tie_word_embeddings", true);
        ctx.note("Gemma (modeling_gemma.py): head_dim " + d.headDim() + " independent of hidden_size / heads; GeGLU; "
                + "2 RMSNorms per layer; the sqrt(hidden_size) embedding scale is a buffer, not a parameter.");
        return ctx.build(d.builder().intermediateSize(ffn).qkvBias(attentionBias).attentionOutputBias(attentionBias)
                .tiedEmbeddings(LlamaStyleFamilies.tied(ctx, tied)));
    }

    // modeling_gemma2.py: four RMSNorms per layer (input_layernorm, post_attention_layernorm,
    // pre_feedforward_layernorm, post_feedforward_layernorm); logit soft-capping holds no parameters.
    // Gemma2Config: head_dim 256, num_key_value_heads 4, attention_bias False, tie True.
    static Architecture gemma2(ImportContext ctx) {
        LlamaStyleFamilies.Decoder d = LlamaStyleFamilies.decoder(ctx, null, null, 4, 256);
        int ffn = LlamaStyleFamilies.intermediateSize(ctx);
        boolean attentionBias = ctx.config.boolOrDefault("attention_bias", false);
        boolean tied = ctx.config.boolOrDefault("tie_word_embeddings", true);
        ctx.note("Gemma-2 (modeling_gemma2.py): 4 RMSNorms per layer (pre and post attention, pre and post MLP); "
                + "head_dim " + d.headDim() + "; soft-capping and query_pre_attn_scalar hold no parameters.");
        return ctx.build(d.builder().intermediateSize(ffn).normsPerLayer(4).qkvBias(attentionBias)
                .attentionOutputBias(attentionBias).tiedEmbeddings(LlamaStyleFamilies.tied(ctx, tied)));
    }

    // modeling_gemma3.py (Gemma3ForCausalLM): Gemma-2's four norms plus q_norm and k_norm = Gemma3RMSNorm(head_dim).
    // Gemma3TextConfig: vocab_size 262208, num_attention_heads 8, num_key_value_heads 4, head_dim 256, attention_bias
    // False, tie True. The multimodal configs' text_config leaves most of these out and relies on the defaults.
    static Architecture gemma3Text(ImportContext ctx, Boolean tiedFromParent) {
        LlamaStyleFamilies.Decoder d = LlamaStyleFamilies.decoder(ctx, 262_208, 8, 4, 256);
        int ffn = LlamaStyleFamilies.intermediateSize(ctx);
        boolean attentionBias = ctx.config.boolOrDefault("attention_bias", false);
        boolean tied = tiedFromParent != null ? tiedFromParent : ctx.config.boolOrDefault("tie_word_embeddings", true);
        ctx.note("Gemma-3 (modeling_gemma3.py): q_norm and k_norm over one head (head_dim " + d.headDim() + ") and 4 "
                + "RMSNorms per layer; sliding-window layers hold the same parameters as global ones.");
        return ctx.build(d.builder().intermediateSize(ffn).normsPerLayer(4).qkvBias(attentionBias)
                .attentionOutputBias(attentionBias).qkNorm(true).qkNormScope(QkNormScope.PER_HEAD)
                .tiedEmbeddings(LlamaStyleFamilies.tied(ctx, tied)));
    }
}
