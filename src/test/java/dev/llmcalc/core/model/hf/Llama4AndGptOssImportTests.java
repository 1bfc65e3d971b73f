package dev.llmcalc.core.model.hf;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.llmcalc.core.model.ModelPresets;
import dev.llmcalc.core.params.ParameterBreakdown;
import dev.llmcalc.core.params.ParameterCount;
import dev.llmcalc.core.params.ParameterCounter;

/**
 * Llama 4 and gpt-oss imports, counted by hand from transformers' modeling_llama4.py and modeling_gpt_oss.py and
 * compared with the published (rounded) totals. The published configs are in src/test/resources/hf-configs.
 */
class Llama4AndGptOssImportTests {

    private static ImportedModel load(String name) {
        return HuggingFaceConfigMapper.map(HfConfigs.load(name));
    }

    private static long preset(String id) {
        return ParameterCounter.count(ModelPresets.find(id).orElseThrow().architecture()).totalParameters();
    }

    @Test
    @SuppressWarnings("unchecked")
    void llama4ScoutShouldCountTheLanguageModelAndTheVisionTowerApart() {
        // Per layer: attention q/o 2·5120·40·128 = 52,428,800 + k/v 2·5120·8·128 = 10,485,760 → 62,914,560 (no biases;
        // the qk L2 norm has no weights); router 5120·16 = 81,920; 16 experts 16·3·5120·8192 = 2,013,265,920; shared
        // expert 3·5120·8192 = 125,829,120; 2 RMSNorms 10,240 → 2,202,101,760. 48 MoE layers (moe_layers 0..47)
        // = 105,700,884,480 + embedding and untied head 2·202048·5120 = 2,068,971,520 + final norm 5,120.
        ImportedModel imported = load("llama-4-scout-17b-16e");
        assertThat(imported.family()).isEqualTo(ModelFamily.LLAMA4);
        assertThat(imported.approximate()).isFalse();
        ParameterCount count = ParameterCounter.count(imported.architecture());
        ParameterBreakdown b = count.breakdown();
        assertThat(b.attentionPerLayer()).isEqualTo(62_914_560L);
        assertThat(b.routerPerLayer()).isEqualTo(81_920L);
        assertThat(b.expertsPerLayer()).isEqualTo(2_013_265_920L);
        assertThat(b.sharedExpertsPerLayer()).isEqualTo(125_829_120L);
        assertThat(b.moeLayers()).isEqualTo(48);
        assertThat(count.totalParameters()).isEqualTo(48L * 2_202_101_760L + 2_068_971_520L + 5120)
                .isEqualTo(107_769_861_120L).isEqualTo(preset("llama-4-scout-17b-16e"));
        // Meta's "17B active": top-1 of 16 experts, so 15 idle experts of 125,829,120 per layer leave 17,172,894,720
        assertThat(count.activeParametersPerToken()).isEqualTo(107_769_861_120L - 48L * 15 * 125_829_120L)
                .isEqualTo(17_172_894_720L);
        // Meta's "109B total" is the whole multimodal checkpoint. Vision tower (hidden 1408, 34 layers, 16 heads,
        // ffn 5632): patch embedding 3·14·14·1408 = 827,904; class embedding 1,408; positions (24² + 1)·1408 =
        // 812,416; pre/post LayerNorms 5,632; per layer q/k/v/o with biases 4·(1408² + 1408) = 7,935,488, fc1
        // 1408·5632 + 5632 = 7,935,488, fc2 5632·1408 + 1408 = 7,931,264, 2 LayerNorms 5,632 → 23,807,872, ×34 =
        // 809,467,648; pixel-shuffle adapter 5632·4096 + 4096² = 39,845,888 → 850,960,896. Projector 4096·5120 =
        // 20,971,520. Language model + both = 108,641,793,536, which rounds to Meta's 109B.
        assertThat(imported.otherModules()).extracting(ModuleCount::module)
                .containsExactly("vision_model", "multi_modal_projector");
        assertThat(imported.otherModules()).extracting(ModuleCount::parameters)
                .containsExactly(827_904L + 1408 + 812_416 + 5632 + 34L * 23_807_872 + 39_845_888L, 20_971_520L)
                .containsExactly(850_960_896L, 20_971_520L);
        assertThat(count.totalParameters() + imported.otherModulesParameters()).isEqualTo(108_641_793_536L);
        assertThat(imported.warnings()).anySatisfy((w) -> assertThat(w).contains("language model only", "871932416"));
        assertThat(imported.notes()).anySatisfy((n) -> assertThat(n).contains("L2 norm without weights", "no-RoPE"));
        // the text config alone (model_type llama4_text, Llama4ForCausalLM) is the same language model, no vision
        Map<String, Object> text = new LinkedHashMap<>((Map<String, Object>) HfConfigs.load("llama-4-scout-17b-16e")
                .get("text_config"));
        ImportedModel textOnly = HuggingFaceConfigMapper.map(text);
        assertThat(textOnly.family()).isEqualTo(ModelFamily.LLAMA4_TEXT);
        assertThat(textOnly.architecture()).isEqualTo(imported.architecture());
        assertThat(textOnly.otherModules()).isEmpty();
        // moe_layers written out or derived from interleave_moe_layer_step: the same layers
        text.remove("moe_layers");
        assertThat(HuggingFaceConfigMapper.map(text).architecture()).isEqualTo(imported.architecture());
    }

    @Test
    void llama4MaverickShouldInterleaveDenseLayersOfIntermediateSizeMlp() {
        // interleave_moe_layer_step 2 → moe_layers 1, 3, …, 47: 24 MoE and 24 dense layers. Dense layer: attention
        // 62,914,560 + MLP 3·5120·16384 = 251,658,240 + norms 10,240 = 314,583,040. MoE layer: attention + router
        // 5120·128 = 655,360 + 128 experts 16,106,127,360 + shared 125,829,120 + norms = 16,295,536,640.
        // 24·314,583,040 + 24·16,295,536,640 + 2,068,971,520 + 5,120 = 400,711,848,960 (Meta: "400B total").
        ImportedModel imported = load("llama-4-maverick-17b-128e");
        ParameterCount count = ParameterCounter.count(imported.architecture());
        assertThat(count.breakdown().denseLayers()).isEqualTo(24);
        assertThat(count.breakdown().mlpPerLayer()).isEqualTo(251_658_240L);
        assertThat(count.totalParameters()).isEqualTo(24L * 314_583_040L + 24L * 16_295_536_640L + 2_068_971_520L + 5120)
                .isEqualTo(400_711_848_960L).isEqualTo(preset("llama-4-maverick-17b-128e"));
        // "17B active": 127 idle experts per MoE layer
        assertThat(count.activeParametersPerToken()).isEqualTo(400_711_848_960L - 24L * 127 * 125_829_120L)
                .isEqualTo(17_184_691_200L);
        // the same vision tower as Scout; the whole checkpoint is 401,583,781,376
        assertThat(imported.otherModulesParameters()).isEqualTo(871_932_416L);
        assertThat(imported.warnings()).anySatisfy((w) -> assertThat(w).contains("interleave_moe_layer_step 2",
                "24 of 48 layers are dense"));
    }

    @Test
    void gptOss120bShouldMatchTheModelCardExactly() {
        // Attention per layer: q 2880·4096 + 4096, k and v 2·(2880·512 + 512), o 4096·2880 + 2880 → 26,550,080 with
        // biases, + 64 sinks = 26,550,144. Router 2880·128 + 128 = 368,768. One expert: gate_up 2880·5760 + 5760 and
        // down 2880·2880 + 2880 = 24,891,840; 128 of them 3,186,155,520. 2 RMSNorms 5,760 → 3,213,080,192 per layer.
        // 36 layers + embedding and untied head 2·201088·2880 = 1,158,266,880 + final norm 2,880 = 116,829,156,672.
        ImportedModel imported = load("gpt-oss-120b");
        assertThat(imported.family()).isEqualTo(ModelFamily.GPT_OSS);
        ParameterCount count = ParameterCounter.count(imported.architecture());
        ParameterBreakdown b = count.breakdown();
        assertThat(b.attentionPerLayer()).isEqualTo(26_550_144L);
        assertThat(b.routerPerLayer()).isEqualTo(368_768L);
        assertThat(b.expertsPerLayer()).isEqualTo(128L * 24_891_840L);
        assertThat(count.totalParameters()).isEqualTo(36L * 3_213_080_192L + 1_158_266_880L + 2880)
                .isEqualTo(116_829_156_672L).isEqualTo(preset("gpt-oss-120b"));
        // OpenAI's model card, Table 1: attention 0.96B, MLP (router + experts) 114.71B, total 116.83B
        assertThat(36L * b.attentionPerLayer()).isEqualTo(955_805_184L);
        assertThat(36L * (b.routerPerLayer() + b.expertsPerLayer())).isEqualTo(114_714_874_368L);
        // active: 124 idle experts per layer. The card's 5.13B leaves out the input embedding (a lookup, no matmul),
        // as DeepSeek's "activated parameters" do: 5,711,982,912 − 201088·2880 = 5,132,849,472
        assertThat(count.activeParametersPerToken()).isEqualTo(116_829_156_672L - 36L * 124 * 24_891_840L)
                .isEqualTo(5_711_982_912L);
        assertThat(count.activeParametersPerToken() - b.embedding()).isEqualTo(5_132_849_472L);
        assertThat(imported.warnings()).anySatisfy((w) -> assertThat(w).startsWith("quantization_config is ignored"));
        assertThat(imported.notes()).anySatisfy((n) -> assertThat(n).contains("attention sink", "sliding-window"));
    }

    @Test
    void gptOss20bShouldMatchTheModelCardExactly() {
        // 24 layers of 26,550,144 + router 2880·32 + 32 = 92,192 + 32·24,891,840 = 796,538,880 + 5,760 =
        // 823,186,976; + 1,158,266,880 + 2,880 = 20,914,757,184 (card: 20.91B). Active: 28 idle experts per layer →
        // 4,187,440,704; without the input embedding 3,608,307,264 (card: 3.61B).
        ParameterCount count = ParameterCounter.count(load("gpt-oss-20b").architecture());
        assertThat(count.totalParameters()).isEqualTo(24L * 823_186_976L + 1_158_266_880L + 2880)
                .isEqualTo(20_914_757_184L).isEqualTo(preset("gpt-oss-20b"));
        assertThat(count.activeParametersPerToken()).isEqualTo(4_187_440_704L);
        assertThat(count.activeParametersPerToken() - count.breakdown().embedding()).isEqualTo(3_608_307_264L);
    }

    @Test
    void gptOssShouldCountBiasesEvenWhenTheConfigSaysNoAttentionBias() {
        // configuration_gpt_oss.py sets self.attention_bias = True whatever the argument
        Map<String, Object> config = new LinkedHashMap<>(HfConfigs.load("gpt-oss-20b"));
        config.put("attention_bias", false);
        ImportedModel imported = HuggingFaceConfigMapper.map(config);
        assertThat(ParameterCounter.count(imported.architecture()).totalParameters()).isEqualTo(20_914_757_184L);
        assertThat(imported.warnings()).anySatisfy((w) -> assertThat(w).contains("attention_bias false is overridden"));
        // and nothing of the published config goes unread that holds parameters
        assertThat(load("gpt-oss-20b").warnings()).anySatisfy((w) -> assertThat(w).startsWith("Ignored")
                .contains("swiglu_limit", "rope_scaling").doesNotContain("num_local_experts", "layer_types"));
    }

    @Test
    void llama4WithoutVisionConfigShouldCountTheDefaultVisionTower() {
        // Llama4Config builds Llama4VisionConfig() when vision_config is absent: hidden 768, 34 layers, 16 heads,
        // ffn 5632, image 448, patch 14, vision_output_dim 7680. Tower: 3·14·14·768 = 451,584 + 768 + (32² + 1)·768
        // = 787,200 + 3,072 + 34·(4·(768² + 768) + 768·5632 + 5632 + 5632·768 + 768 + 4·768) = 34·11,022,592 =
        // 374,768,128 + adapter 5632·4096 + 4096² = 39,845,888 → 415,856,640; projector 7680·5120 = 39,321,600
        Map<String, Object> config = new LinkedHashMap<>(HfConfigs.load("llama-4-scout-17b-16e"));
        config.remove("vision_config");
        ImportedModel imported = HuggingFaceConfigMapper.map(config);
        assertThat(imported.otherModules()).extracting(ModuleCount::parameters)
                .containsExactly(451_584L + 768 + 787_200 + 3072 + 34L * 11_022_592 + 39_845_888L, 39_321_600L)
                .containsExactly(415_856_640L, 39_321_600L);
        assertThat(imported.warnings()).anySatisfy((w) -> assertThat(w).contains("vision_config is absent"));
        assertThat(imported.warnings()).anySatisfy((w) -> assertThat(w).contains("Llama4VisionConfig defaults"));
        assertThat(List.of(imported.architecture())).containsExactly(load("llama-4-scout-17b-16e").architecture());
    }
}
