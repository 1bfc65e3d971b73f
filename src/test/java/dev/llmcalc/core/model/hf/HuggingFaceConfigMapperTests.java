package dev.llmcalc.core.model.hf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.llmcalc.core.ReferenceCases;
import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.model.MlpType;
import dev.llmcalc.core.model.ModelPreset;
import dev.llmcalc.core.model.ModelPresets;
import dev.llmcalc.core.model.NormType;
import dev.llmcalc.core.model.PositionEmbedding;
import dev.llmcalc.core.model.QkNormScope;
import dev.llmcalc.core.params.ParameterCount;
import dev.llmcalc.core.params.ParameterCounter;
import dev.llmcalc.core.unit.InvalidInputException;
import tools.jackson.databind.JsonNode;

/**
 * config.json → architecture → exact count. Published configs live in src/test/resources/hf-configs; counts are the
 * published ones named in the preset sources, or derived by hand in the comment where none is published.
 */
class HuggingFaceConfigMapperTests {

    private static ImportedModel load(String name) {
        return HuggingFaceConfigMapper.map(HfConfigs.load(name));
    }

    private static ParameterCount count(String name) {
        return ParameterCounter.count(load(name).architecture());
    }

    private static Map<String, Object> with(String name, String key, Object value) {
        Map<String, Object> config = new LinkedHashMap<>(HfConfigs.load(name));
        config.put(key, value);
        return config;
    }

    private static Map<String, Object> without(String name, String... keys) {
        Map<String, Object> config = new LinkedHashMap<>(HfConfigs.load(name));
        for (String key : keys) {
            config.remove(key);
        }
        return config;
    }

    static Stream<ModelPreset> presets() {
        return ModelPresets.all().stream();
    }

    @ParameterizedTest
    @MethodSource("presets")
    void presetConfigWhenImportedShouldGiveThePresetShapeAndCount(ModelPreset preset) {
        ImportedModel imported = load(preset.id());
        assertThat(imported.architecture()).as(preset.id()).isEqualTo(preset.architecture());
        assertThat(ParameterCounter.count(imported.architecture()).totalParameters()).as(preset.source())
                .isEqualTo(preset.publishedParameters());
        assertThat(imported.family()).isNotEqualTo(ModelFamily.UNKNOWN);
    }

    static Stream<JsonNode> referenceCases() {
        return StreamSupport.stream(ReferenceCases.root().get("parameterCounts").spliterator(), false);
    }

    @ParameterizedTest
    @MethodSource("referenceCases")
    void referenceCaseConfigShouldCountExactly(JsonNode entry) {
        Map<String, Object> config = HfConfigs.parse(entry.get("huggingFaceConfig").toString());
        ParameterCount count = ParameterCounter.count(HuggingFaceConfigMapper.map(config).architecture());
        assertThat(count.totalParameters()).as(entry.get("name").asString())
                .isEqualTo(entry.get("totalParameters").asLong());
        if (entry.has("activeParametersPerToken")) {
            assertThat(count.activeParametersPerToken()).isEqualTo(entry.get("activeParametersPerToken").asLong());
        }
        if (entry.has("nonEmbeddingParameters")) {
            assertThat(count.nonEmbeddingParameters()).isEqualTo(entry.get("nonEmbeddingParameters").asLong());
        }
    }

    @Test
    void llama2WhenImportedShouldSayWhichDefaultsAndIgnoredFieldsItUsed() {
        ImportedModel imported = load("llama-2-7b");
        assertThat(imported.modelType()).isEqualTo("llama");
        assertThat(imported.family()).isEqualTo(ModelFamily.LLAMA);
        // the Llama-2 config predates attention_bias, mlp_bias and head_dim
        assertThat(imported.warnings()).anySatisfy((w) -> assertThat(w)
                .contains("LlamaConfig defaults", "attention_bias = false", "mlp_bias = false"));
        assertThat(imported.warnings()).anySatisfy((w) -> assertThat(w)
                .startsWith("Ignored").contains("rope_theta", "rms_norm_eps", "torch_dtype").doesNotContain("vocab_size"));
        assertThat(imported.notes()).anySatisfy((n) -> assertThat(n).contains("inv_freq is a buffer"));
    }

    @Test
    void mixtral8x22bShouldCountEveryExpert() {
        // by hand: embedding 32768·6144 = 201,326,592, untied ×2; per layer attention 2·6144² + 2·6144·1024 =
        // 88,080,384, router 6144·8 = 49,152, experts 8·3·6144·16384 = 2,415,919,104, norms 12,288 → 2,504,060,928;
        // 56 layers + final norm 6,144 → 140,630,071,296 (Mistral: "141B"); active drops 6 of 8 experts per layer
        ParameterCount count = count("mixtral-8x22b");
        assertThat(count.totalParameters()).isEqualTo(402_653_184L + 56L * 2_504_060_928L + 6144)
                .isEqualTo(140_630_071_296L);
        assertThat(count.activeParametersPerToken()).isEqualTo(140_630_071_296L - 56L * 6 * 3 * 6144 * 16_384)
                .isEqualTo(39_161_468_928L);
    }

    @Test
    void mistralNemoShouldUseHeadDimNotHiddenOverHeads() {
        // head_dim 128 while hidden_size / heads = 160: q/o 2·5120·32·128 = 41,943,040, k/v 2·5120·8·128 = 10,485,760,
        // MLP 3·5120·14336 = 220,200,960, norms 10,240 → 272,640,000 per layer; embedding 131072·5120 untied ×2
        Architecture a = load("mistral-nemo-12b").architecture();
        assertThat(a.headDim()).isEqualTo(128);
        assertThat(ParameterCounter.count(a).totalParameters())
                .isEqualTo(2L * 131_072 * 5120 + 40L * 272_640_000 + 5120).isEqualTo(12_247_782_400L);
    }

    @Test
    void qwen2MoeShouldCountSharedExpertAndItsGate() {
        ImportedModel imported = load("qwen1.5-moe-a2.7b");
        assertThat(imported.architecture().moe().sharedExpertGate()).isTrue();
        assertThat(imported.architecture().qkvBias()).isTrue();
        assertThat(imported.architecture().attentionOutputBias()).isFalse();
        // keras-hub qwen1.5_moe_2.7b_en params = 14,315,784,192 (the 24 gates of 2048 included)
        assertThat(ParameterCounter.count(imported.architecture()).totalParameters()).isEqualTo(14_315_784_192L);
    }

    @Test
    void qwen3MoeShouldIgnoreIntermediateSizeUnlessALayerIsDense() {
        ImportedModel imported = load("qwen3-30b-a3b");
        assertThat(imported.notes()).anySatisfy((n) -> assertThat(n).contains("intermediate_size (6144) is unused"));
        // keras-hub qwen3_moe_30b_a3b_en: 30,532,122,624; active (Qwen: 3.3B) = total − 48·120 idle experts·3·2048·768
        ParameterCount count = ParameterCounter.count(imported.architecture());
        assertThat(count.activeParametersPerToken()).isEqualTo(30_532_122_624L - 48L * 120 * 3 * 2048 * 768)
                .isEqualTo(3_353_032_704L);
        // mlp_only_layers [0, 1]: those two layers use the dense 6144-wide MLP instead of router + 128 experts
        Map<String, Object> mlpOnly = with("qwen3-30b-a3b", "mlp_only_layers", List.of(0, 1));
        Architecture a = HuggingFaceConfigMapper.map(mlpOnly).architecture();
        assertThat(a.moe().denseLayers()).isEqualTo(2);
        assertThat(ParameterCounter.count(a).totalParameters())
                .isEqualTo(30_532_122_624L - 2L * (2048 * 128 + 128L * 3 * 2048 * 768) + 2L * 3 * 2048 * 6144)
                .isEqualTo(29_399_136_256L);
        // decoder_sparse_step 2: only odd layers (1, 3, …) are MoE, so dense and MoE layers interleave
        ImportedModel stepped = HuggingFaceConfigMapper.map(with("qwen3-30b-a3b", "decoder_sparse_step", 2));
        assertThat(stepped.architecture().moe().denseLayers()).isEqualTo(24);
        assertThat(stepped.warnings()).anySatisfy((w) -> assertThat(w).contains("interleave", "24 of 48"));
    }

    @Test
    void qwen3ShouldHavePerHeadQkNormAndGemma3Too() {
        assertThat(load("qwen3-8b").architecture().qkNormScope()).isEqualTo(QkNormScope.PER_HEAD);
        Architecture gemma3 = load("gemma-3-1b").architecture();
        assertThat(gemma3.qkNorm()).isTrue();
        assertThat(gemma3.normsPerLayer()).isEqualTo(4);
        assertThat(gemma3.tiedEmbeddings()).isTrue();
    }

    @Test
    void olmo2ShouldNormaliseFullProjections() {
        Architecture a = load("olmo-2-7b").architecture();
        assertThat(a.qkNormScope()).isEqualTo(QkNormScope.FULL_WIDTH);
        assertThat(a.norm()).isEqualTo(NormType.RMS_NORM);
    }

    @Test
    void olmoShouldHaveNonParametricNorms() {
        Architecture a = load("olmo-7b").architecture();
        assertThat(a.norm()).isEqualTo(NormType.NON_PARAMETRIC);
        assertThat(ParameterCounter.count(a).breakdown().normsPerLayer()).isZero();
    }

    @Test
    void gemma3MultimodalShouldCountTheLanguageModelWithTextConfigDefaults() {
        // google/gemma-3-4b-it: text_config gives only hidden 2560, intermediate 10240, 34 layers; Gemma3TextConfig
        // supplies vocab 262208, 8 heads, 4 kv heads, head_dim 256. By hand: embedding 262208·2560 = 671,252,480
        // (tied); per layer q/o 2·2560·2048 + k/v 2·2560·1024 = 15,728,640, qk-norm 512, MLP 3·2560·10240 =
        // 78,643,200, 4 norms 10,240 → 94,382,592; ×34 + final 2,560 → 3,880,263,168. (keras-hub's text-only
        // gemma3_4b_text, 3,880,099,328, uses a 262144-row embedding: 64·2560 fewer.)
        ImportedModel imported = load("gemma-3-4b-it");
        assertThat(imported.family()).isEqualTo(ModelFamily.GEMMA3);
        Architecture a = imported.architecture();
        assertThat(a.vocabSize()).isEqualTo(262_208);
        assertThat(a.numAttentionHeads()).isEqualTo(8);
        assertThat(a.headDim()).isEqualTo(256);
        assertThat(ParameterCounter.count(a).totalParameters()).isEqualTo(671_252_480L + 34L * 94_382_592 + 2560)
                .isEqualTo(3_880_263_168L);
        assertThat(imported.warnings()).anySatisfy((w) -> assertThat(w).contains("vision tower", "not counted"));
        assertThat(imported.warnings()).anySatisfy((w) -> assertThat(w)
                .contains("Gemma3TextConfig defaults", "under text_config", "vocab_size = 262208"));
        assertThat(imported.warnings()).anySatisfy((w) -> assertThat(w).contains("text_config.rope_scaling"));
    }

    @Test
    void phi3FusedProjectionsShouldCountAsSeparateOnes() {
        assertThat(count("phi-3-mini").totalParameters()).isEqualTo(3_821_079_552L);
    }

    @Test
    void starcoder2ShouldHaveLayerNormsBiasesAndAPlainMlp() {
        // bigcode/starcoder2-3b, tied by Starcoder2Config's default. By hand: embedding 49152·3072 = 150,994,944;
        // per layer q/o 2·3072² = 18,874,368, k/v 2·3072·256 = 1,572,864, q/k/v bias 3,584, o bias 3,072,
        // c_fc/c_proj 2·3072·12288 + 12,288 + 3,072 = 75,512,832, 2 LayerNorms 12,288 → 95,979,008;
        // ×30 + final LayerNorm 6,144 → 3,030,371,328 ("3B")
        Architecture a = load("starcoder2-3b").architecture();
        assertThat(a.mlp()).isEqualTo(MlpType.STANDARD);
        assertThat(a.norm()).isEqualTo(NormType.LAYER_NORM);
        assertThat(a.tiedEmbeddings()).isTrue();
        assertThat(ParameterCounter.count(a).totalParameters()).isEqualTo(150_994_944L + 30L * 95_979_008 + 6144)
                .isEqualTo(3_030_371_328L);
    }

    @Test
    void gpt2ShouldTieByDefaultAndExcludeMaskBuffers() {
        ImportedModel imported = load("gpt2");
        assertThat(imported.architecture().positionEmbedding()).isEqualTo(PositionEmbedding.LEARNED);
        assertThat(imported.notes()).anySatisfy((n) -> assertThat(n).contains("attn.bias", "buffers"));
        assertThat(ParameterCounter.count(imported.architecture()).totalParameters()).isEqualTo(124_439_808L);
        // untied, the head adds 50257·768 = 38,597,376
        Architecture untied = HuggingFaceConfigMapper.map(with("gpt2", "tie_word_embeddings", false)).architecture();
        assertThat(ParameterCounter.count(untied).totalParameters()).isEqualTo(124_439_808L + 38_597_376L);
    }

    @Test
    void gptNeoXShouldKeepTwoNormsWithTheParallelResidual() {
        Architecture a = load("pythia-160m").architecture();
        assertThat(a.parallelBlock()).isTrue();
        assertThat(a.normsPerLayer()).isEqualTo(2);
        assertThat(a.tiedEmbeddings()).isFalse();
        // Pythia Table 1: 85,056,000 non-embedding parameters
        assertThat(ParameterCounter.count(a).nonEmbeddingParameters()).isEqualTo(85_056_000L);
        Architecture sequential = HuggingFaceConfigMapper.map(with("pythia-160m", "use_parallel_residual", false))
                .architecture();
        assertThat(ParameterCounter.count(sequential).totalParameters()).isEqualTo(162_322_944L);
    }

    @Test
    void falcon40bNewDecoderShouldUseKvHeadsAndTwoNorms() {
        // tiiuae/falcon-40b: new_decoder_architecture, 8 kv heads, ln_attn + ln_mlp. By hand, head_dim 64:
        // query_key_value 8192·(128 + 16)·64 = 75,497,472, dense 8192² = 67,108,864, MLP 2·8192·32768 = 536,870,912,
        // 2 LayerNorms 32,768 → 679,510,016 per layer; ×60 + embedding 65024·8192 = 532,676,608 (tied) + ln_f 16,384
        Architecture a = load("falcon-40b").architecture();
        assertThat(a.numKeyValueHeads()).isEqualTo(8);
        assertThat(a.normsPerLayer()).isEqualTo(2);
        assertThat(ParameterCounter.count(a).totalParameters()).isEqualTo(60L * 679_510_016 + 532_676_608L + 16_384)
                .isEqualTo(41_303_293_952L);
    }

    @Test
    void falcon7bShouldBeMultiQueryWithOneNormAndSayTheTieIsADefault() {
        ImportedModel imported = load("falcon-7b");
        assertThat(imported.architecture().numKeyValueHeads()).isEqualTo(1);
        assertThat(imported.architecture().normsPerLayer()).isEqualTo(1);
        assertThat(imported.warnings()).anySatisfy((w) -> assertThat(w).contains("tie_word_embeddings is absent"));
        // alibi Falcon-RW: no position parameters; bias = true on every linear layer
        Architecture rw = load("falcon-rw-1b").architecture();
        assertThat(rw.positionEmbedding()).isEqualTo(PositionEmbedding.ALIBI);
        assertThat(rw.mlpBias()).isTrue();
    }

    @Test
    void deepseekV3ShouldExcludeMtpAndCountTheCorrectionBias() {
        ImportedModel imported = load("deepseek-v3");
        assertThat(imported.warnings()).anySatisfy((w) -> assertThat(w).contains("num_nextn_predict_layers = 1",
                "not counted"));
        assertThat(imported.warnings()).anySatisfy((w) -> assertThat(w).contains("quantization_config is ignored"));
        assertThat(imported.notes()).anySatisfy((n) -> assertThat(n).contains("e_score_correction_bias"));
        ParameterCount count = ParameterCounter.count(imported.architecture());
        // 671,026,419,200 including 58 MoE layers × 256 correction-bias values; transformers' buffer would drop them
        assertThat(count.totalParameters()).isEqualTo(671_026_419_200L);
        assertThat(count.totalParameters() - 58L * 256).isEqualTo(671_026_404_352L);
        // active: 8 of 256 routed experts; DeepSeek's "37B activated" (36.6B) leaves out the input embedding
        assertThat(count.activeParametersPerToken()).isEqualTo(671_026_419_200L - 58L * 248 * 3 * 7168 * 2048)
                .isEqualTo(37_552_297_472L);
        // moe_layer_freq 2: of layers 3..60 only the even ones are MoE (29), the other 32 dense
        ImportedModel everyOther = HuggingFaceConfigMapper.map(with("deepseek-v3", "moe_layer_freq", 2));
        assertThat(everyOther.architecture().moe().denseLayers()).isEqualTo(32);
        assertThat(ParameterCounter.count(everyOther.architecture()).totalParameters()).isEqualTo(354_236_135_680L);
        // first_k_dense_replace beyond the last layer leaves no MoE layer: a dense model, said so
        ImportedModel dense = HuggingFaceConfigMapper.map(with("deepseek-v3", "first_k_dense_replace", 99));
        assertThat(dense.architecture().isMoe()).isFalse();
        assertThat(dense.warnings()).anySatisfy((w) -> assertThat(w).contains("No layer is MoE"));
    }

    @Test
    void deepseekV2LiteShouldHaveUncompressedQueries() {
        // q_lora_rank null. By hand: attention q 2048·16·192 = 6,291,456, kv 2048·576 + 512 + 512·16·256 = 3,277,312,
        // o 16·128·2048 = 4,194,304 → 13,763,072; layer 0 dense: + 3·2048·10944 + 4,096 = 81,007,104;
        // 26 MoE layers: + router 2048·64 + 64 experts 64·3·2048·1408 + 2 shared 2·3·2048·1408 + 4,096 = 584,847,872;
        // embedding 102400·2048 untied ×2 = 419,430,400; final 2,048 → 15,706,484,224 ("15.7B")
        Architecture a = load("deepseek-v2-lite").architecture();
        assertThat(a.mla().compressesQueries()).isFalse();
        assertThat(ParameterCounter.attentionPerLayer(a)).isEqualTo(13_763_072L);
        ParameterCount count = ParameterCounter.count(a);
        assertThat(count.totalParameters()).isEqualTo(419_430_400L + 81_007_104L + 26L * 584_847_872 + 2048)
                .isEqualTo(15_706_484_224L);
        // DeepSeek: 2.4B activated without the input embedding: 2,661,150,208 − 209,715,200 = 2,451,435,008
        assertThat(count.activeParametersPerToken() - 102_400L * 2048).isEqualTo(2_451_435_008L);
    }

    @Test
    void deepseekV2ShouldCount236B() {
        // By hand: attention q 5120·1536 + 1536 + 1536·128·192 = 45,614,592, kv 5120·576 + 512 + 512·128·256 =
        // 19,726,848, o 128·128·5120 = 83,886,080 → 149,227,520; dense layer + 3·5120·12288 + 10,240 = 337,981,440;
        // 59 MoE layers + router 5120·160 + 160·3·5120·1536 + 2·3·5120·1536 + 10,240 = 3,972,116,480;
        // embedding 102400·5120 ×2 = 1,048,576,000; final 5,120 → 235,741,434,880 ("236B", 21B activated)
        ParameterCount count = count("deepseek-v2");
        assertThat(count.totalParameters()).isEqualTo(1_048_576_000L + 337_981_440L + 59L * 3_972_116_480L + 5120)
                .isEqualTo(235_741_434_880L);
        assertThat(count.activeParametersPerToken()).isEqualTo(21_375_800_320L);
    }

    @Test
    void unknownModelTypeShouldBeRefusedNamingItUnlessApproximate() {
        Map<String, Object> fork = with("llama-2-7b", "model_type", "my_llama_fork");
        assertThatExceptionOfType(UnmodelledConfigException.class).isThrownBy(() -> HuggingFaceConfigMapper.map(fork))
                .satisfies((ex) -> {
                    assertThat(ex.field()).isEqualTo("model_type");
                    assertThat(ex.problems()).containsOnlyKeys("model_type");
                    assertThat(ex.reason()).contains("'my_llama_fork'", "approximate=true");
                });
        ImportedModel imported = HuggingFaceConfigMapper.map(fork, true);
        assertThat(imported.family()).isEqualTo(ModelFamily.UNKNOWN);
        assertThat(imported.approximate()).isTrue();
        assertThat(imported.modelType()).isEqualTo("my_llama_fork");
        assertThat(imported.warnings().get(0)).startsWith("Not modelled").contains("'model_type'", "'my_llama_fork'");
        assertThat(ParameterCounter.count(imported.architecture()).totalParameters()).isEqualTo(6_738_415_616L);
        // an unknown MoE would be counted dense: every expert key is named
        Map<String, Object> moe = with("llama-2-7b", "model_type", "someone_moe");
        moe.put("num_local_experts", 8);
        moe.put("moe_intermediate_size", 1408);
        assertThatExceptionOfType(UnmodelledConfigException.class).isThrownBy(() -> HuggingFaceConfigMapper.map(moe))
                .satisfies((ex) -> assertThat(ex.problems()).containsOnlyKeys("model_type", "num_local_experts",
                        "moe_intermediate_size"));
        assertThat(HuggingFaceConfigMapper.map(moe, true).warnings()).anySatisfy((w) -> assertThat(w)
                .contains("num_local_experts", "only the dense layers"));
        // no model_type and an unknown class: the class is named
        Map<String, Object> anonymous = without("llama-2-7b", "model_type");
        anonymous.put("architectures", List.of("MyForCausalLM"));
        assertThatExceptionOfType(UnmodelledConfigException.class)
                .isThrownBy(() -> HuggingFaceConfigMapper.map(anonymous))
                .satisfies((ex) -> assertThat(ex.field()).isEqualTo("architectures"));
        // a known family is exact: approximate changes nothing
        ImportedModel exact = HuggingFaceConfigMapper.map(HfConfigs.load("llama-2-7b"), true);
        assertThat(exact.approximate()).isFalse();
        assertThat(exact.warnings()).noneSatisfy((w) -> assertThat(w).startsWith("Not modelled"));
    }

    @Test
    void missingModelTypeShouldBeGuessedFromArchitectures() {
        ImportedModel imported = HuggingFaceConfigMapper.map(without("qwen2.5-7b", "model_type"));
        assertThat(imported.family()).isEqualTo(ModelFamily.QWEN2);
        assertThat(imported.warnings()).anySatisfy((w) -> assertThat(w).contains("guessed 'qwen2'"));
        assertThat(ParameterCounter.count(imported.architecture()).totalParameters()).isEqualTo(7_615_616_512L);
    }

    @Test
    void llamaBiasesShouldFollowAttentionBiasAndMlpBias() {
        // + 32 layers · (q/k/v/o biases 4·4096 + gate/up biases 2·11008 + down bias 4096) = 1,359,872
        Map<String, Object> config = with("llama-2-7b", "attention_bias", true);
        config.put("mlp_bias", true);
        assertThat(ParameterCounter.count(HuggingFaceConfigMapper.map(config).architecture()).totalParameters())
                .isEqualTo(6_738_415_616L + 32L * (4 * 4096 + 2 * 11_008 + 4096)).isEqualTo(6_739_775_488L);
    }

    @Test
    void missingRequiredFieldsShouldBe422NamingThem() {
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> HuggingFaceConfigMapper.map(without("llama-2-7b", "hidden_size")))
                .satisfies((ex) -> assertThat(ex.field()).isEqualTo("hidden_size"));
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> HuggingFaceConfigMapper.map(without("llama-2-7b", "vocab_size", "num_hidden_layers")))
                .satisfies((ex) -> assertThat(ex.getMessage()).contains("vocab_size", "num_hidden_layers"))
                .isInstanceOfSatisfying(MissingConfigFieldsException.class, (ex) -> assertThat(ex.fields())
                        .containsExactly("vocab_size", "num_hidden_layers"));
        // not a decoder config at all (T5 names its sizes d_model, num_layers, num_heads)
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> HuggingFaceConfigMapper.map(HfConfigs.parse(
                        "{\"model_type\": \"t5\", \"d_model\": 512, \"num_layers\": 6, \"num_heads\": 8, \"vocab_size\": 32128}")))
                .satisfies((ex) -> assertThat(ex.getMessage()).contains("hidden_size", "num_hidden_layers",
                        "num_attention_heads"));
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> HuggingFaceConfigMapper.map(without("gemma-3-4b-it", "text_config")))
                .satisfies((ex) -> assertThat(ex.field()).isEqualTo("text_config"));
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> HuggingFaceConfigMapper.map(without("gpt2", "n_embd")))
                .satisfies((ex) -> assertThat(ex.field()).isEqualTo("n_embd"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void wrongTypesAndOutOfRangeNumbersShouldBeMalformedNamingTheField() {
        assertMalformed(with("llama-2-7b", "hidden_size", "4096"), "hidden_size", "not the string");
        assertMalformed(with("llama-2-7b", "hidden_size", 4096.5), "hidden_size", "must be an integer");
        assertMalformed(with("llama-2-7b", "num_attention_heads", -32), "num_attention_heads", "at least 1");
        assertMalformed(with("llama-2-7b", "num_attention_heads", 0), "num_attention_heads", "at least 1");
        assertMalformed(with("llama-2-7b", "num_hidden_layers", 3_000_000_000L), "num_hidden_layers", "at most");
        assertMalformed(with("llama-2-7b", "tie_word_embeddings", "false"), "tie_word_embeddings", "true or false");
        assertMalformed(with("llama-2-7b", "model_type", 7), "model_type", "must be a string");
        assertMalformed(with("qwen3-30b-a3b", "mlp_only_layers", "0,1"), "mlp_only_layers", "array");
        assertMalformed(with("qwen3-30b-a3b", "mlp_only_layers", List.of(0, -1)), "mlp_only_layers[1]", "at least 0");
        assertMalformed(with("gemma-3-4b-it", "text_config", List.of()), "text_config", "JSON object");
        Map<String, Object> nested = new LinkedHashMap<>(HfConfigs.load("gemma-3-4b-it"));
        Map<String, Object> text = new LinkedHashMap<>((Map<String, Object>) nested.get("text_config"));
        text.put("hidden_size", true);
        nested.put("text_config", text);
        assertMalformed(nested, "text_config.hidden_size", "not a boolean");
    }

    @Test
    void impossibleShapesShouldBe422NamingTheConfigKey() {
        // 30 heads do not divide 4096 and there is no head_dim
        assertImpossible(with("llama-2-7b", "num_attention_heads", 30), "num_attention_heads");
        assertImpossible(with("llama-2-7b", "num_key_value_heads", 5), "num_key_value_heads");
        assertImpossible(with("llama-2-7b", "num_key_value_heads", 64), "num_key_value_heads");
        assertImpossible(with("gpt2", "n_head", 7), "n_head");
        assertImpossible(with("mixtral-8x7b", "num_experts_per_tok", 9), "num_experts_per_tok");
        assertImpossible(with("gpt2", "add_cross_attention", true), "add_cross_attention");
        // with head_dim given the division is not needed (Mistral-Nemo style)
        Map<String, Object> decoupled = with("llama-2-7b", "num_attention_heads", 30);
        decoupled.put("head_dim", 128);
        decoupled.put("num_key_value_heads", 30);
        assertThat(HuggingFaceConfigMapper.map(decoupled).architecture().headDim()).isEqualTo(128);
    }

    private static void assertMalformed(Map<String, Object> config, String field, String reason) {
        assertThatExceptionOfType(MalformedConfigException.class).isThrownBy(() -> HuggingFaceConfigMapper.map(config))
                .satisfies((ex) -> {
                    assertThat(ex.field()).isEqualTo(field);
                    assertThat(ex.reason()).contains(reason);
                });
    }

    private static void assertImpossible(Map<String, Object> config, String field) {
        assertThatExceptionOfType(InvalidInputException.class).isThrownBy(() -> HuggingFaceConfigMapper.map(config))
                .satisfies((ex) -> assertThat(ex.field()).isEqualTo(field));
    }
}
