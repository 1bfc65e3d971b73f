package dev.llmcalc.core.model.hf;

import java.util.List;
import java.util.Map;

import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.model.MoeConfig;
import dev.llmcalc.core.unit.Exact;

/**
 * Meta's Llama 4 (Scout, Maverick), counted as transformers builds {@code Llama4ForCausalLM} from the text config,
 * with the vision tower of {@code Llama4ForConditionalGeneration} counted apart. Read from huggingface/transformers
 * at commit 63210d0e3b74c2119b7998ff65bc6a2729283626, src/transformers/models/llama4/modeling_llama4.py, and commit
 * 008e574391258935f3ecc3035c882e73bbcac419, src/transformers/models/llama4/configuration_llama4.py.
 */
final class Llama4Family {

    private static final String Q = "vision parameters";

    private Llama4Family() {
    }

    // modeling_llama4.py: Llama4TextAttention q/k/v/o_proj bias=config.attention_bias; qk_norm is Llama4TextL2Norm
    // (no weight) and only on RoPE layers; Llama4TextDecoderLayer: feed_forward = Llama4TextMoe when layer_idx in
    // config.moe_layers, else Llama4TextMLP(intermediate_size=config.intermediate_size_mlp); two RMSNorms.
    // Llama4TextMoe: experts = Llama4TextExperts (gate_up_proj E × h × 2f, down_proj E × f × h, no biases, f =
    // intermediate_size), router = Llama4Router (nn.Linear(h, E, bias=False)) and shared_expert =
    // Llama4TextMLP(config) of width intermediate_size. Llama4ForCausalLM: lm_head Linear(h, V, bias=False).
    // Llama4TextConfig: vocab_size 202048, num_attention_heads 40, num_key_value_heads 8, head_dim 128,
    // intermediate_size 8192, intermediate_size_mlp 16384, num_local_experts 16, num_experts_per_tok 1,
    // interleave_moe_layer_step 1, moe_layers None → range(step − 1, L, step), attention_bias False, tie False.
    static Architecture text(ImportContext ctx, Boolean tiedFromParent) {
        LlamaStyleFamilies.Decoder d = LlamaStyleFamilies.decoder(ctx, 202_048, 40, 8, 128);
        ConfigReader c = ctx.config;
        int expertWidth = c.intOrDefault("intermediate_size", 8192, "");
        int denseWidth = c.intOrDefault("intermediate_size_mlp", 16_384, "");
        int experts = c.intOrDefault("num_local_experts", 16, "");
        int perToken = LlamaStyleFamilies.topK(ctx, "num_experts_per_tok", 1, experts, "num_local_experts");
        boolean attentionBias = c.boolOrDefault("attention_bias", false);
        boolean tied = tiedFromParent != null ? tiedFromParent : c.boolOrDefault("tie_word_embeddings", false);
        int dense = denseLayers(ctx, d.layers());
        c.consult("use_qk_norm", "no_rope_layers", "no_rope_layer_interval", "attention_chunk_size", "layer_types",
                "attn_temperature_tuning", "floor_scale", "attn_scale", "router_aux_loss_coef", "router_jitter_noise",
                "output_router_logits");
        ctx.keyFor("intermediateSize", "intermediate_size_mlp");
        ctx.keyFor("moe.numExperts", "num_local_experts");
        ctx.keyFor("moe.expertIntermediateSize", "intermediate_size");
        ctx.keyFor("moe.sharedExpertIntermediateSize", "intermediate_size");
        Architecture.Builder builder = d.builder().intermediateSize(denseWidth).qkvBias(attentionBias)
                .attentionOutputBias(attentionBias).tiedEmbeddings(LlamaStyleFamilies.tied(ctx, tied));
        ctx.note("Llama 4 (modeling_llama4.py): q/k/v/o " + (attentionBias ? "with" : "without") + " biases; the qk "
                + "norm (use_qk_norm) is an L2 norm without weights and the no-RoPE layers (no_rope_layers, "
                + "attention_chunk_size, attn_temperature_tuning) only change attention: none hold parameters.");
        if (dense == d.layers()) {
            ctx.warn("No layer is MoE (moe_layers, interleave_moe_layer_step): counted as a dense model of width "
                    + "intermediate_size_mlp (" + denseWidth + ").");
            return ctx.build(builder);
        }
        ctx.note("Llama 4 MoE: " + (d.layers() - dense) + " MoE layers, each with a router of " + experts
                + " experts (no bias), " + experts + " routed experts (fused gate_up_proj, no biases) and one shared "
                + "expert, all of width intermediate_size (" + expertWidth + "); " + dense + " dense layer(s) of width "
                + "intermediate_size_mlp (" + denseWidth + ").");
        return ctx.build(builder.moe(new MoeConfig(experts, perToken, expertWidth, 1, expertWidth, dense, false, false)));
    }

    /** Layers whose FFN is dense: those not in moe_layers (given, or every interleave_moe_layer_step-th layer). */
    private static int denseLayers(ImportContext ctx, int layers) {
        ConfigReader c = ctx.config;
        if (c.present("moe_layers")) {
            List<Integer> moeLayers = c.layerIndices("moe_layers");
            c.consult("interleave_moe_layer_step");
            return ctx.denseLayers(layers, moeLayers::contains, "moe_layers " + moeLayers);
        }
        int step = c.intOrDefault("interleave_moe_layer_step", 1, "");
        // configuration_llama4.py: moe_layers = list(range(step - 1, num_hidden_layers, step))
        return ctx.denseLayers(layers, (layer) -> layer >= step - 1 && (layer - (step - 1)) % step == 0,
                "interleave_moe_layer_step " + step);
    }

    /**
     * Counts Llama4ForConditionalGeneration's vision_model and multi_modal_projector exactly (they are not part of
     * the language model the architecture describes) and returns the reader of vision_config, or {@code null} when
     * the config has no vision part. An absent or null vision_config takes Llama4VisionConfig's defaults, as
     * Llama4Config does.
     */
    static ConfigReader visionTower(ImportContext ctx, ConfigReader root, int textHidden) {
        ConfigReader v = root.nested("vision_config");
        if (v == null) {
            v = new ConfigReader(Map.of(), "vision_config.");
            ctx.warn("vision_config is absent: Llama4Config builds the default Llama4VisionConfig, so the vision "
                    + "tower is counted with its defaults.");
        }
        // Llama4VisionConfig: hidden_size 768, num_hidden_layers 34, num_attention_heads 16, num_channels 3,
        // intermediate_size 5632, vision_output_dim 7680, image_size 448, patch_size 14, projector_input_dim 4096,
        // projector_output_dim 4096
        int hidden = v.intOrDefault("hidden_size", 768, "");
        int layers = v.intOrDefault("num_hidden_layers", 34, "");
        int heads = v.intOrDefault("num_attention_heads", 16, "");
        int channels = v.intOrDefault("num_channels", 3, "");
        int ffn = v.intOrDefault("intermediate_size", 5632, "");
        int outputDim = v.intOrDefault("vision_output_dim", 7680, "");
        int imageSize = v.intOrDefault("image_size", 448, "");
        int patchSize = v.intOrDefault("patch_size", 14, "");
        int projectorIn = v.intOrDefault("projector_input_dim", 4096, "");
        int projectorOut = v.intOrDefault("projector_output_dim", 4096, "");
        long perLayer = visionEncoderLayer(hidden, heads, ffn);
        long tower = Exact.sum(Q, visionPatchEmbedding(channels, patchSize, hidden), visionClassEmbedding(hidden),
                visionPositionEmbedding(imageSize, patchSize, hidden), visionPrePostNorms(hidden),
                Exact.multiply(Q, layers, perLayer), visionAdapter(ffn, projectorIn, projectorOut));
        long projector = multiModalProjector(outputDim, textHidden);
        ctx.otherModule(new ModuleCount("vision_model", tower, "Llama4VisionModel: patch embedding, class and "
                + "position embeddings, 2 LayerNorms, " + layers + " encoder layers of " + perLayer + " (q/k/v/o and "
                + "fc1/fc2 with biases, 2 LayerNorms), pixel-shuffle adapter fc1/fc2 without biases"));
        ctx.otherModule(new ModuleCount("multi_modal_projector", projector, "Llama4MultiModalProjector.linear_1: "
                + "vision_output_dim (" + outputDim + ") × text hidden_size (" + textHidden + "), no bias"));
        ctx.warn("Llama 4 with vision: totalParameters counts the language model only (Llama4ForCausalLM on "
                + "text_config), which is what the Llama 4 presets describe; the checkpoint also holds the vision tower ("
                + tower + ") and the multimodal projector (" + projector + "), counted exactly in otherModules, "
                + Exact.add(Q, tower, projector) + " in all.");
        return v;
    }

    // modeling_llama4.py Llama4UnfoldConvolution: linear = nn.Linear(num_channels · patch², hidden, bias=False)
    static long visionPatchEmbedding(int channels, int patchSize, int hidden) {
        return Exact.multiply(Q, channels, Exact.multiply(Q, patchSize, patchSize), hidden);
    }

    // modeling_llama4.py Llama4VisionModel: class_embedding = nn.Parameter(hidden)
    static long visionClassEmbedding(int hidden) {
        return hidden;
    }

    // modeling_llama4.py Llama4VisionModel: positional_embedding_vlm ((image_size // patch_size)² + 1) × hidden
    static long visionPositionEmbedding(int imageSize, int patchSize, int hidden) {
        long side = imageSize / patchSize;
        return Exact.multiply(Q, Exact.add(Q, Exact.multiply(Q, side, side), 1), hidden);
    }

    // modeling_llama4.py Llama4VisionModel: layernorm_pre and layernorm_post, nn.LayerNorm(hidden): weight and bias
    static long visionPrePostNorms(int hidden) {
        return Exact.multiply(Q, 4, hidden);
    }

    // modeling_llama4.py Llama4VisionEncoderLayer: q/k/v_proj Linear(h, n·(h // n), bias=True), o_proj
    // Linear(n·(h // n), h, bias=True); mlp fc1 Linear(h, f, bias=True), fc2 Linear(f, h, bias=True); input_layernorm
    // and post_attention_layernorm nn.LayerNorm(h)
    static long visionEncoderLayer(int hidden, int heads, int ffn) {
        long width = Exact.multiply(Q, heads, hidden / heads);
        long qkv = Exact.multiply(Q, 3, Exact.add(Q, Exact.multiply(Q, hidden, width), width));
        long o = Exact.add(Q, Exact.multiply(Q, width, hidden), hidden);
        long fc1 = Exact.add(Q, Exact.multiply(Q, hidden, ffn), ffn);
        long fc2 = Exact.add(Q, Exact.multiply(Q, ffn, hidden), hidden);
        return Exact.sum(Q, qkv, o, fc1, fc2, Exact.multiply(Q, 4, hidden));
    }

    // modeling_llama4.py Llama4VisionMLP2 (the pixel-shuffle adapter): fc1 Linear(intermediate_size,
    // projector_input_dim, bias=False), fc2 Linear(projector_output_dim, projector_output_dim, bias=False)
    static long visionAdapter(int ffn, int projectorIn, int projectorOut) {
        return Exact.add(Q, Exact.multiply(Q, ffn, projectorIn), Exact.multiply(Q, projectorOut, projectorOut));
    }

    // modeling_llama4.py Llama4MultiModalProjector: linear_1 Linear(vision_output_dim, text hidden_size, bias=False)
    static long multiModalProjector(int visionOutputDim, int textHidden) {
        return Exact.multiply(Q, visionOutputDim, textHidden);
    }
}
