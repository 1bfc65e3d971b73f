package dev.llmcalc.core.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The built-in model catalog. Shapes are the published Hugging Face config.json values; counts are
 * the unique trainable parameters of the {@code *ForCausalLM} module (tied weights once, buffers excluded).
 */
public final class ModelPresets {

    private static final Map<String, ModelPreset> PRESETS = new LinkedHashMap<>();

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
        add("mistral-7b", "Mistral-7B-v0.1", llama(32_000, 4096, 32, 32, 8, 14_336), 7_241_732_096L,
                "mistralai/Mistral-7B-v0.1 config.json; HF safetensors metadata");
        // keras-hub mixtral_presets.py mixtral_8_7b_en params=46702792704
        add("mixtral-8x7b", "Mixtral-8x7B-v0.1", Architecture.builder().vocabSize(32_000).hiddenSize(4096).numLayers(32)
                .numAttentionHeads(32).numKeyValueHeads(8).intermediateSize(14_336)
                .moe(MoeConfig.routed(8, 2, 14_336)).build(), 46_702_792_704L,
                "mistralai/Mixtral-8x7B-v0.1 config.json; keras-hub mixtral_presets.py mixtral_8_7b_en");
        // keras-hub qwen_presets.py qwen2.5_0.5b_en params=494032768
        add("qwen2.5-0.5b", "Qwen2.5-0.5B", Architecture.builder().vocabSize(151_936).hiddenSize(896).numLayers(24)
                .numAttentionHeads(14).numKeyValueHeads(2).intermediateSize(4864).qkvBias(true).tiedEmbeddings(true)
                .build(), 494_032_768L, "Qwen/Qwen2.5-0.5B config.json; keras-hub qwen_presets.py qwen2.5_0.5b_en");
        // keras-hub gpt2_presets.py gpt2_base_en params=124439808
        add("gpt2", "GPT-2 (124M)", gpt2(768, 12, 12), 124_439_808L,
                "openai-community/gpt2 config.json; keras-hub gpt2_presets.py gpt2_base_en");
        add("gpt2-xl", "GPT-2 XL (1.5B)", gpt2(1600, 48, 25), 1_557_611_200L,
                "openai-community/gpt2-xl config.json; keras-hub gpt2_presets.py gpt2_extra_large_en");
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

    private static Architecture gpt2(int hidden, int layers, int heads) {
        return Architecture.builder().vocabSize(50_257).hiddenSize(hidden).numLayers(layers).numAttentionHeads(heads)
                .intermediateSize(4 * hidden).mlp(MlpType.STANDARD).norm(NormType.LAYER_NORM).qkvBias(true)
                .attentionOutputBias(true).mlpBias(true).tiedEmbeddings(true)
                .positionEmbedding(PositionEmbedding.LEARNED).maxPositionEmbeddings(1024).build();
    }

    /** The preset with this id, matched case-insensitively. */
    public static Optional<ModelPreset> find(String id) {
        return Optional.ofNullable(PRESETS.get(id.trim().toLowerCase(Locale.ROOT)));
    }

    public static List<ModelPreset> all() {
        return List.copyOf(PRESETS.values());
    }

    /** Up to {@code limit} known ids closest to {@code id} (edit distance), for "did you mean" answers. */
    public static List<String> closestIds(String id, int limit) {
        return EditDistance.closest(id, PRESETS.keySet(), limit);
    }
}
