package dev.llmcalc.core.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The built-in model catalog. Shapes are the published Hugging Face config.json values (importing each one's
 * config.json gives the same architecture: see the catalog tests); counts are the unique trainable parameters of
 * the {@code *ForCausalLM} module (tied weights once, buffers excluded). Every count is checked in the tests
 * against the published number named in its source.
 */
public final class ModelPresets {

    private static final Map<String, ModelPreset> PRESETS = new LinkedHashMap<>();

    private static final String KERAS_HUB = "keras-team/keras-hub ";

    private static final String HF_TOTAL = "Hugging Face API safetensors.total";

    static {
        // Llama-2 (Touvron et al. 2023); keras-hub llama2_7b_en params=6738415616
        add("llama-2-7b", "Llama-2-7B", llama(32_000, 4096, 32, 32, 32, 11_008), 6_738_415_616L,
                "meta-llama/Llama-2-7b-hf config.json; keras-hub llama_presets.py llama2_7b_en");
        add("llama-2-13b", "Llama-2-13B", llama(32_000, 5120, 40, 40, 40, 13_824), 13_015_864_320L,
                "meta-llama/Llama-2-13b-hf config.json; HF safetensors metadata");
        add("llama-2-70b", "Llama-2-70B", llama(32_000, 8192, 80, 64, 8, 28_672), 68_976_648_192L,
                "meta-llama/Llama-2-70b-hf config.json; HF safetensors metadata");
        add("llama-3-8b", "Meta-Llama-3-8B", llama(128_256, 4096, 32, 32, 8, 14_336), 8_030_261_248L,
                "meta-llama/Meta-Llama-3-8B config.json; HF safetensors metadata");
        add("llama-3.1-8b", "Llama-3.1-8B", llama(128_256, 4096, 32, 32, 8, 14_336), 8_030_261_248L,
                "meta-llama/Llama-3.1-8B config.json (same shape as Llama-3-8B, longer rope scaling)");
        add("llama-3.1-70b", "Llama-3.1-70B", llama(128_256, 8192, 80, 64, 8, 28_672), 70_553_706_496L,
                "meta-llama/Llama-3.1-70B config.json; HF safetensors metadata");
        add("llama-3.1-405b", "Llama-3.1-405B", llama(128_256, 16_384, 126, 128, 8, 53_248), 405_853_388_800L,
                "meta-llama/Llama-3.1-405B config.json; " + HF_TOTAL + " 405,853,388,800");
        add("mistral-7b", "Mistral-7B-v0.1", llama(32_000, 4096, 32, 32, 8, 14_336), 7_241_732_096L,
                "mistralai/Mistral-7B-v0.1 config.json; HF safetensors metadata; " + KERAS_HUB
                        + "mistral_presets.py mistral_7b_en params=7241732096");
        // keras-hub mixtral_presets.py mixtral_8_7b_en params=46702792704
        add("mixtral-8x7b", "Mixtral-8x7B-v0.1", Architecture.builder().vocabSize(32_000).hiddenSize(4096).numLayers(32)
                .numAttentionHeads(32).numKeyValueHeads(8).intermediateSize(14_336)
                .moe(MoeConfig.routed(8, 2, 14_336)).build(), 46_702_792_704L,
                "mistralai/Mixtral-8x7B-v0.1 config.json; keras-hub mixtral_presets.py mixtral_8_7b_en");

        // Qwen2.5 (modeling_qwen2.py: q/k/v biases, o without)
        add("qwen2.5-0.5b", "Qwen2.5-0.5B", qwen2(151_936, 896, 24, 14, 2, 4864, true), 494_032_768L,
                "Qwen/Qwen2.5-0.5B config.json; keras-hub qwen_presets.py qwen2.5_0.5b_en");
        add("qwen2.5-1.5b", "Qwen2.5-1.5B", qwen2(151_936, 1536, 28, 12, 2, 8960, true), 1_543_714_304L,
                "Qwen/Qwen2.5-1.5B config.json; " + KERAS_HUB + "qwen_presets.py qwen2.5_math_1.5b_en params=1543714304 "
                        + "(the same shape)");
        add("qwen2.5-3b", "Qwen2.5-3B", qwen2(151_936, 2048, 36, 16, 2, 11_008, true), 3_085_938_688L,
                "Qwen/Qwen2.5-3B config.json; " + KERAS_HUB + "qwen_presets.py qwen2.5_3b_en params=3085938688");
        add("qwen2.5-7b", "Qwen2.5-7B", qwen2(152_064, 3584, 28, 28, 4, 18_944, false), 7_615_616_512L,
                "Qwen/Qwen2.5-7B config.json; model card 7.61B; " + KERAS_HUB
                        + "qwen_presets.py qwen2.5_math_7b_en params=7615616512 (the same shape)");
        add("qwen2.5-32b", "Qwen2.5-32B", qwen2(152_064, 5120, 64, 40, 8, 27_648, false), 32_763_876_352L,
                "Qwen/Qwen2.5-32B config.json; " + KERAS_HUB + "qwen_presets.py qwen2.5_instruct_32b_en params=32763876352");
        add("qwen2.5-72b", "Qwen2.5-72B", qwen2(152_064, 8192, 80, 64, 8, 29_568, false), 72_706_203_648L,
                "Qwen/Qwen2.5-72B config.json; " + KERAS_HUB + "qwen_presets.py qwen2.5_instruct_72b_en params=72706203648");

        // Qwen3 (modeling_qwen3.py: head_dim 128 apart from hidden / heads, per-head q_norm/k_norm)
        add("qwen3-0.6b", "Qwen3-0.6B", qwen3(1024, 28, 16, 8, 3072, true), 596_049_920L,
                "Qwen/Qwen3-0.6B config.json; " + KERAS_HUB + "qwen3_presets.py qwen3_0.6b_en params=596049920");
        add("qwen3-1.7b", "Qwen3-1.7B", qwen3(2048, 28, 16, 8, 6144, true), 1_720_574_976L,
                "Qwen/Qwen3-1.7B config.json; " + KERAS_HUB + "qwen3_presets.py qwen3_1.7b_en params=1720574976");
        add("qwen3-4b", "Qwen3-4B", qwen3(2560, 36, 32, 8, 9728, true), 4_022_468_096L,
                "Qwen/Qwen3-4B config.json; " + KERAS_HUB + "qwen3_presets.py qwen3_4b_en params=4022468096");
        add("qwen3-8b", "Qwen3-8B", qwen3(4096, 36, 32, 8, 12_288, false), 8_190_735_360L,
                "Qwen/Qwen3-8B config.json; " + KERAS_HUB + "qwen3_presets.py qwen3_8b_en params=8190735360");
        add("qwen3-14b", "Qwen3-14B", qwen3(5120, 40, 40, 8, 17_408, false), 14_768_307_200L,
                "Qwen/Qwen3-14B config.json; " + KERAS_HUB + "qwen3_presets.py qwen3_14b_en params=14768307200");
        add("qwen3-32b", "Qwen3-32B", qwen3(5120, 64, 64, 8, 25_600, false), 32_762_123_264L,
                "Qwen/Qwen3-32B config.json; " + KERAS_HUB + "qwen3_presets.py qwen3_32b_en params=32762123264");
        add("qwen3-30b-a3b", "Qwen3-30B-A3B", qwen3Moe(2048, 48, 32, 4, 6144, 768), 30_532_122_624L,
                "Qwen/Qwen3-30B-A3B config.json; " + KERAS_HUB
                        + "qwen3_moe_presets.py qwen3_moe_30b_a3b_en params=30532122624");
        add("qwen3-235b-a22b", "Qwen3-235B-A22B", qwen3Moe(4096, 94, 64, 4, 12_288, 1536), 235_093_634_560L,
                "Qwen/Qwen3-235B-A22B config.json; " + KERAS_HUB
                        + "qwen3_moe_presets.py qwen3_moe_235b_a22b_en params=235093634560");
        // modeling_qwen2_moe.py: 60 experts, one shared expert with its shared_expert_gate
        add("qwen1.5-moe-a2.7b", "Qwen1.5-MoE-A2.7B", Architecture.builder().vocabSize(151_936).hiddenSize(2048)
                .numLayers(24).numAttentionHeads(16).numKeyValueHeads(16).intermediateSize(5632).qkvBias(true)
                .moe(new MoeConfig(60, 4, 1408, 1, 5632, 0, false, true)).build(), 14_315_784_192L,
                "Qwen/Qwen1.5-MoE-A2.7B config.json; " + KERAS_HUB
                        + "qwen_moe_presets.py qwen1.5_moe_2.7b_en params=14315784192");

        // Gemma (head_dim 256 apart from hidden / heads, tied); Gemma-2 four norms; Gemma-3 adds per-head qk-norm
        add("gemma-2b", "Gemma-2B", gemma(2048, 18, 8, 1, 256, 16_384, 2), 2_506_172_416L,
                "google/gemma-2b config.json; " + KERAS_HUB + "gemma_presets.py gemma_2b_en params=2506172416");
        add("gemma-7b", "Gemma-7B", gemma(3072, 28, 16, 16, 256, 24_576, 2), 8_537_680_896L,
                "google/gemma-7b config.json; " + KERAS_HUB + "gemma_presets.py gemma_7b_en params=8537680896");
        add("gemma-2-2b", "Gemma-2-2B", gemma(2304, 26, 8, 4, 256, 9216, 4), 2_614_341_888L,
                "google/gemma-2-2b config.json; " + KERAS_HUB + "gemma_presets.py gemma2_2b_en params=2614341888");
        add("gemma-2-9b", "Gemma-2-9B", gemma(3584, 42, 16, 8, 256, 14_336, 4), 9_241_705_984L,
                "google/gemma-2-9b config.json; " + KERAS_HUB + "gemma_presets.py gemma2_9b_en params=9241705984");
        add("gemma-2-27b", "Gemma-2-27B", gemma(4608, 46, 32, 16, 128, 36_864, 4), 27_227_128_320L,
                "google/gemma-2-27b config.json; " + KERAS_HUB + "gemma_presets.py gemma2_27b_en params=27227128320");
        add("gemma-3-270m", "Gemma-3-270M", gemma3(640, 18, 4, 1, 2048), 268_098_176L,
                "google/gemma-3-270m config.json; " + KERAS_HUB + "gemma3_presets.py gemma3_270m params=268098176");
        add("gemma-3-1b", "Gemma-3-1B", gemma3(1152, 26, 4, 1, 6912), 999_885_952L,
                "google/gemma-3-1b-pt config.json; " + KERAS_HUB + "gemma3_presets.py gemma3_1b params=999885952");

        // modeling_phi3.py: fused qkv_proj and gate_up_proj count as separate projections
        add("phi-3-mini", "Phi-3-mini-4k", llama(32_064, 3072, 32, 32, 32, 8192), 3_821_079_552L,
                "microsoft/Phi-3-mini-4k-instruct config.json; " + KERAS_HUB
                        + "phi3_presets.py phi3_mini_4k_instruct_en params=3821079552");

        // keras-hub gpt2_presets.py gpt2_base_en params=124439808
        add("gpt2", "GPT-2 (124M)", gpt2(768, 12, 12), 124_439_808L,
                "openai-community/gpt2 config.json; keras-hub gpt2_presets.py gpt2_base_en");
        add("gpt2-medium", "GPT-2 Medium (355M)", gpt2(1024, 24, 16), 354_823_168L,
                "openai-community/gpt2-medium config.json; " + KERAS_HUB + "gpt2_presets.py gpt2_medium_en params=354823168");
        add("gpt2-large", "GPT-2 Large (774M)", gpt2(1280, 36, 20), 774_030_080L,
                "openai-community/gpt2-large config.json; " + KERAS_HUB + "gpt2_presets.py gpt2_large_en params=774030080");
        add("gpt2-xl", "GPT-2 XL (1.5B)", gpt2(1600, 48, 25), 1_557_611_200L,
                "openai-community/gpt2-xl config.json; keras-hub gpt2_presets.py gpt2_extra_large_en");

        // Pythia (GPT-NeoX): total = the paper's non-embedding count + untied embed_in and embed_out, 2·50304·h
        add("pythia-160m", "Pythia-160M", pythia(768, 12, 12), 162_322_944L,
                "EleutherAI/pythia-160m config.json; Biderman et al. 2023 (Pythia) Table 1: 85,056,000 non-embedding "
                        + "+ 2·50304·768");
        add("pythia-1b", "Pythia-1B", pythia(2048, 16, 8), 1_011_781_632L,
                "EleutherAI/pythia-1b config.json; Biderman et al. 2023 (Pythia) Table 1: 805,736,448 non-embedding "
                        + "+ 2·50304·2048");

        // Falcon (modeling_falcon.py): LayerNorm, GELU MLP, tied head (FalconConfig default)
        add("falcon-rw-1b", "Falcon-RW-1B", Architecture.builder().vocabSize(50_304).hiddenSize(2048).numLayers(24)
                .numAttentionHeads(32).intermediateSize(8192).mlp(MlpType.STANDARD).norm(NormType.LAYER_NORM)
                .normsPerLayer(2).qkvBias(true).attentionOutputBias(true).mlpBias(true).tiedEmbeddings(true)
                .positionEmbedding(PositionEmbedding.ALIBI).build(), 1_311_625_216L,
                "tiiuae/falcon-rw-1b config.json; " + KERAS_HUB + "falcon_presets.py falcon_refinedweb_1b_en "
                        + "params=1311625216");
        // multi-query (1 key/value head), parallel attention + MLP with one LayerNorm, no linear biases
        add("falcon-7b", "Falcon-7B", Architecture.builder().vocabSize(65_024).hiddenSize(4544).numLayers(32)
                .numAttentionHeads(71).numKeyValueHeads(1).intermediateSize(4 * 4544).mlp(MlpType.STANDARD)
                .norm(NormType.LAYER_NORM).normsPerLayer(1).parallelBlock(true).tiedEmbeddings(true).build(),
                6_921_720_704L,
                "tiiuae/falcon-7b config.json; count derived from it by hand (no exact published count found): "
                        + "65024·4544 + 32·(4544·4672 + 4544² + 2·4544·18176 + 2·4544) + 2·4544; the same rules "
                        + "reproduce keras-hub's falcon_refinedweb_1b_en exactly");

        // OLMo: non-parametric LayerNorms; OLMo-2: RMSNorm after attention and MLP, qk-norm over the full projections
        add("olmo-7b", "OLMo-7B", Architecture.builder().vocabSize(50_304).hiddenSize(4096).numLayers(32)
                .numAttentionHeads(32).intermediateSize(11_008).norm(NormType.NON_PARAMETRIC).build(), 6_888_095_744L,
                "allenai/OLMo-7B-hf config.json; Groeneveld et al. 2024 (OLMo) 6.88B; 50304·4096·2 + 32·(4·4096² + "
                        + "3·4096·11008)");
        add("olmo-2-7b", "OLMo-2-1124-7B", olmo2(4096, 32, 32, 11_008), 7_298_617_344L,
                "allenai/OLMo-2-1124-7B config.json; " + HF_TOTAL + " 7,298,617,344");
        add("olmo-2-13b", "OLMo-2-1124-13B", olmo2(5120, 40, 40, 13_824), 13_716_198_400L,
                "allenai/OLMo-2-1124-13B config.json; " + HF_TOTAL + " 13,716,198,400");

        // DeepSeek-V3: MLA, 3 dense layers then 58 MoE layers of 256 routed + 1 shared expert; the router bias is
        // e_score_correction_bias; the MTP layer (num_nextn_predict_layers) is not part of the *ForCausalLM module
        add("deepseek-v3", "DeepSeek-V3", Architecture.builder().vocabSize(129_280).hiddenSize(7168).numLayers(61)
                .numAttentionHeads(128).numKeyValueHeads(128).intermediateSize(18_432)
                .mla(new MlaConfig(1536, 512, 128, 64, 128))
                .moe(new MoeConfig(256, 8, 2048, 1, 2048, 3, true, false, 4)).build(), 671_026_419_200L,
                "deepseek-ai/DeepSeek-V3 config.json; DeepSeek-V3 report: 671B total (main model, MTP excluded); "
                        + "671,026,419,200 = the checkpoint's main-model tensors, including e_score_correction_bias");

        // Llama 4 (modeling_llama4.py): the language model (Llama4ForCausalLM on text_config) of the multimodal
        // checkpoint; every MoE layer has 16 or 128 routed experts + 1 shared expert of width 8192, top-1, no router
        // bias; Maverick's dense layers (every other one) are 16384 wide. The vision tower and projector, 871,932,416
        // for both, are not part of the count (POST /api/v1/models/import reports them in otherModules).
        add("llama-4-scout-17b-16e", "Llama-4-Scout-17B-16E", llama4(16, 0), 107_769_861_120L,
                "meta-llama/Llama-4-Scout-17B-16E config.json; Meta: 17B active, 109B total = this language model "
                        + "(107,769,861,120; active 17,172,894,720) + the vision tower and projector (871,932,416): "
                        + "108,641,793,536");
        add("llama-4-maverick-17b-128e", "Llama-4-Maverick-17B-128E", llama4(128, 24), 400_711_848_960L,
                "meta-llama/Llama-4-Maverick-17B-128E config.json; Meta: 17B active, 400B total = this language "
                        + "model (400,711,848,960; active 17,184,691,200); with the vision tower and projector "
                        + "(871,932,416) 401,583,781,376");

        // gpt-oss (modeling_gpt_oss.py): every layer MoE with biased experts (fused gate_up) and a biased router,
        // q/k/v/o biases, one attention sink per head per layer, head_dim 64 apart from hidden / heads, untied
        add("gpt-oss-20b", "gpt-oss-20b", gptOss(24, 32), 20_914_757_184L,
                "openai/gpt-oss-20b config.json; OpenAI gpt-oss model card (arXiv 2508.10925) Table 1: 20.91B total, "
                        + "3.61B active (3,608,307,264 = activeParametersPerToken − the 579,133,440 input embedding)");
        add("gpt-oss-120b", "gpt-oss-120b", gptOss(36, 128), 116_829_156_672L,
                "openai/gpt-oss-120b config.json; OpenAI gpt-oss model card (arXiv 2508.10925) Table 1: 116.83B total, "
                        + "5.13B active (5,132,849,472 = activeParametersPerToken − the 579,133,440 input embedding)");
    }

    private ModelPresets() {
    }

    private static void add(String id, String name, Architecture architecture, long published, String source) {
        PRESETS.put(id, new ModelPreset(id, name, architecture, published, source));
    }

    private static Architecture llama(int vocab, int hidden, int layers, int heads, int kvHeads, int ffn) {
        return Architecture.builder().vocabSize(vocab).hiddenSize(hidden).numLayers(layers).numAttentionHeads(heads)
                .numKeyValueHeads(kvHeads).intermediateSize(ffn).build();
    }

    private static Architecture qwen2(int vocab, int hidden, int layers, int heads, int kvHeads, int ffn, boolean tied) {
        return Architecture.builder().vocabSize(vocab).hiddenSize(hidden).numLayers(layers).numAttentionHeads(heads)
                .numKeyValueHeads(kvHeads).intermediateSize(ffn).qkvBias(true).tiedEmbeddings(tied).build();
    }

    private static Architecture.Builder qwen3Attention(int hidden, int layers, int heads, int kvHeads) {
        return Architecture.builder().vocabSize(151_936).hiddenSize(hidden).numLayers(layers).numAttentionHeads(heads)
                .numKeyValueHeads(kvHeads).headDim(128).qkNorm(true);
    }

    private static Architecture qwen3(int hidden, int layers, int heads, int kvHeads, int ffn, boolean tied) {
        return qwen3Attention(hidden, layers, heads, kvHeads).intermediateSize(ffn).tiedEmbeddings(tied).build();
    }

    // every layer is MoE: intermediate_size is carried but no layer uses it
    private static Architecture qwen3Moe(int hidden, int layers, int heads, int kvHeads, int ffn, int expertFfn) {
        return qwen3Attention(hidden, layers, heads, kvHeads).intermediateSize(ffn)
                .moe(MoeConfig.routed(128, 8, expertFfn)).build();
    }

    private static Architecture gemma(int hidden, int layers, int heads, int kvHeads, int headDim, int ffn, int norms) {
        return Architecture.builder().vocabSize(256_000).hiddenSize(hidden).numLayers(layers).numAttentionHeads(heads)
                .numKeyValueHeads(kvHeads).headDim(headDim).intermediateSize(ffn).normsPerLayer(norms)
                .tiedEmbeddings(true).build();
    }

    private static Architecture gemma3(int hidden, int layers, int heads, int kvHeads, int ffn) {
        return Architecture.builder().vocabSize(262_144).hiddenSize(hidden).numLayers(layers).numAttentionHeads(heads)
                .numKeyValueHeads(kvHeads).headDim(256).intermediateSize(ffn).normsPerLayer(4).qkNorm(true)
                .tiedEmbeddings(true).build();
    }

    // Llama4TextConfig of Scout and Maverick: the same attention and widths, different expert counts and interleaving
    private static Architecture llama4(int experts, int denseLayers) {
        return Architecture.builder().vocabSize(202_048).hiddenSize(5120).numLayers(48).numAttentionHeads(40)
                .numKeyValueHeads(8).headDim(128).intermediateSize(16_384)
                .moe(new MoeConfig(experts, 1, 8192, 1, 8192, denseLayers, false, false)).build();
    }

    // GptOssConfig of gpt-oss-20b and -120b: the same layer shape, different depth and expert count
    private static Architecture gptOss(int layers, int experts) {
        return Architecture.builder().vocabSize(201_088).hiddenSize(2880).numLayers(layers).numAttentionHeads(64)
                .numKeyValueHeads(8).headDim(64).intermediateSize(2880).qkvBias(true).attentionOutputBias(true)
                .mlpBias(true).attentionSinks(true).moe(new MoeConfig(experts, 4, 2880, 0, 0, 0, true, false)).build();
    }

    private static Architecture gpt2(int hidden, int layers, int heads) {
        return Architecture.builder().vocabSize(50_257).hiddenSize(hidden).numLayers(layers).numAttentionHeads(heads)
                .intermediateSize(4 * hidden).mlp(MlpType.STANDARD).norm(NormType.LAYER_NORM).qkvBias(true)
                .attentionOutputBias(true).mlpBias(true).tiedEmbeddings(true)
                .positionEmbedding(PositionEmbedding.LEARNED).maxPositionEmbeddings(1024).build();
    }

    // modeling_gpt_neox.py: two LayerNorms per layer even with the parallel residual, biases everywhere, untied embed_out
    private static Architecture pythia(int hidden, int layers, int heads) {
        return Architecture.builder().vocabSize(50_304).hiddenSize(hidden).numLayers(layers).numAttentionHeads(heads)
                .intermediateSize(4 * hidden).mlp(MlpType.STANDARD).norm(NormType.LAYER_NORM).normsPerLayer(2)
                .parallelBlock(true).qkvBias(true).attentionOutputBias(true).mlpBias(true).build();
    }

    private static Architecture olmo2(int hidden, int layers, int heads, int ffn) {
        return Architecture.builder().vocabSize(100_352).hiddenSize(hidden).numLayers(layers).numAttentionHeads(heads)
                .intermediateSize(ffn).qkNorm(true).qkNormScope(QkNormScope.FULL_WIDTH).build();
    }

    /** The preset with this id, matched case-insensitively. */
    public static Optional<ModelPreset> find(String id) {
        return Optional.ofNullable(PRESETS.get(id.trim().toLowerCase(Locale.ROOT)));
    }

    public static List<ModelPreset> all() {
        return List.copyOf(PRESETS.values());
    }

    /** The presets whose shape equals {@code architecture} (e.g. an imported config of a catalogued model). */
    public static List<ModelPreset> withArchitecture(Architecture architecture) {
        return PRESETS.values().stream().filter((preset) -> preset.architecture().equals(architecture)).toList();
    }

    /** Up to {@code limit} known ids closest to {@code id} (edit distance), for "did you mean" answers. */
    public static List<String> closestIds(String id, int limit) {
        return EditDistance.closest(id, PRESETS.keySet(), limit);
    }
}
