package dev.llmcalc.core.model.hf;

import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.model.MoeConfig;

/**
 * OpenAI's gpt-oss, counted as transformers builds {@code GptOssForCausalLM}. Read from huggingface/transformers at
 * commit 6edf5b311854175ff83c59179b3360beca1ceffc, src/transformers/models/gpt_oss/modeling_gpt_oss.py, and commit
 * 828a27fd326e49d4a1c4b08210bfd32c107facc9, src/transformers/models/gpt_oss/configuration_gpt_oss.py.
 */
final class GptOssFamily {

    private GptOssFamily() {
    }

    // modeling_gpt_oss.py: GptOssAttention q/k/v/o_proj = nn.Linear(..., bias=config.attention_bias) and
    // sinks = nn.Parameter(torch.empty(num_attention_heads)); every layer's mlp is GptOssMLP = GptOssTopKRouter
    // (weight E × h and bias E) + GptOssExperts (gate_up_proj E × h × 2f with gate_up_proj_bias E × 2f, down_proj
    // E × f × h with down_proj_bias E × h); input_layernorm and post_attention_layernorm (RMSNorm), final norm,
    // lm_head Linear(h, V, bias=False). GptOssConfig: num_hidden_layers 36, num_local_experts 128, vocab_size 201088,
    // hidden_size 2880, intermediate_size 2880, head_dim 64, num_attention_heads 64, num_key_value_heads 8,
    // num_experts_per_tok 4, tie_word_embeddings False, and attention_bias forced to True whatever the config says.
    static Architecture gptOss(ImportContext ctx) {
        LlamaStyleFamilies.Decoder d = LlamaStyleFamilies.decoder(ctx, 201_088, 64, 8, 64);
        ConfigReader c = ctx.config;
        int expertWidth = c.intOrDefault("intermediate_size", 2880, "");
        int experts = c.intOrDefault("num_local_experts", 128, "");
        int perToken = LlamaStyleFamilies.topK(ctx, "num_experts_per_tok", 4, experts, "num_local_experts");
        boolean tied = LlamaStyleFamilies.tied(ctx, c.boolOrDefault("tie_word_embeddings", false));
        if (c.present("attention_bias") && !c.boolOrDefault("attention_bias", true)) {
            ctx.warn("attention_bias false is overridden: GptOssConfig sets attention_bias = True whatever the config "
                    + "says, so q/k/v/o biases are counted.");
        }
        c.consult("attention_bias");
        if (c.present("experts_per_token")) {
            int original = c.intOrDefault("experts_per_token", perToken, "");
            if (original != perToken) {
                ctx.warn("experts_per_token (" + original + ", the name in OpenAI's original checkpoint) differs from "
                        + "num_experts_per_tok (" + perToken + "); transformers routes with num_experts_per_tok.");
            }
        }
        c.consult("layer_types", "sliding_window", "router_aux_loss_coef", "output_router_logits");
        ctx.keyFor("moe.numExperts", "num_local_experts");
        ctx.keyFor("moe.expertIntermediateSize", "intermediate_size");
        ctx.note("gpt-oss (modeling_gpt_oss.py): every layer is MoE with a router carrying a bias (" + d.hidden()
                + " × " + experts + " weights + " + experts + " biases) and " + experts + " experts whose fused gate_up_proj and "
                + "down_proj carry biases (2·" + expertWidth + " + " + d.hidden() + " per expert, counted as mlpBias); "
                + "q/k/v/o biases; one learned attention sink per head per layer (" + d.heads() + ", attentionSinks); "
                + "the alternating sliding-window and full attention (layer_types, sliding_window) hold no parameters.");
        return ctx.build(d.builder().intermediateSize(expertWidth).qkvBias(true).attentionOutputBias(true).mlpBias(true)
                .attentionSinks(true).tiedEmbeddings(tied)
                .moe(new MoeConfig(experts, perToken, expertWidth, 0, 0, 0, true, false)));
    }
}
