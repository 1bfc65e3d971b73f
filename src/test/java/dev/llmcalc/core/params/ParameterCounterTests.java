package dev.llmcalc.core.params;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.llmcalc.core.ReferenceCases;
import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.model.MlaConfig;
import dev.llmcalc.core.model.MlpType;
import dev.llmcalc.core.model.ModelPreset;
import dev.llmcalc.core.model.ModelPresets;
import dev.llmcalc.core.model.MoeConfig;
import dev.llmcalc.core.model.NormType;
import dev.llmcalc.core.model.PositionEmbedding;
import dev.llmcalc.core.model.QkNormScope;
import dev.llmcalc.core.parallel.LocalParameters;
import dev.llmcalc.core.parallel.ParameterPlacement;
import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.unit.InvalidInputException;
import dev.llmcalc.core.unit.OverflowException;

class ParameterCounterTests {

    static Architecture llama2_7b() {
        return Architecture.builder().vocabSize(32_000).hiddenSize(4096).numLayers(32).numAttentionHeads(32)
                .intermediateSize(11_008).build();
    }

    static Architecture gpt2() {
        return Architecture.builder().vocabSize(50_257).hiddenSize(768).numLayers(12).numAttentionHeads(12)
                .intermediateSize(3072).mlp(MlpType.STANDARD).norm(NormType.LAYER_NORM).qkvBias(true)
                .attentionOutputBias(true).mlpBias(true).tiedEmbeddings(true)
                .positionEmbedding(PositionEmbedding.LEARNED).maxPositionEmbeddings(1024).build();
    }

    static Architecture mixtral8x7b() {
        return Architecture.builder().vocabSize(32_000).hiddenSize(4096).numLayers(32).numAttentionHeads(32)
                .numKeyValueHeads(8).intermediateSize(14_336).moe(MoeConfig.routed(8, 2, 14_336)).build();
    }

    static Architecture qwen25_05b() {
        return Architecture.builder().vocabSize(151_936).hiddenSize(896).numLayers(24).numAttentionHeads(14)
                .numKeyValueHeads(2).intermediateSize(4864).qkvBias(true).tiedEmbeddings(true).build();
    }

    private static long referenceTotal(String name) {
        return ReferenceCases.named("parameterCounts", name).get("totalParameters").asLong();
    }

    @Test
    void llama2_7bWhenCountedShouldMatchPublishedCount() {
        // cases.json: keras-hub llama2_7b_en params = 6,738,415,616
        ParameterCount count = ParameterCounter.count(llama2_7b());
        assertThat(count.totalParameters()).isEqualTo(6_738_415_616L).isEqualTo(referenceTotal("Llama-2-7B"));
        // by hand: per layer 4·4096² + 3·4096·11008 + 2·4096 = 67,108,864 + 135,266,304 + 8,192 = 202,383,360
        assertThat(count.breakdown().denseLayerParameters()).isEqualTo(202_383_360L);
        assertThat(count.nonEmbeddingParameters()).isEqualTo(6_476_271_616L);
        assertThat(count.activeParametersPerToken()).isEqualTo(count.totalParameters());
    }

    @Test
    void gpt2WhenCountedShouldCountTiedEmbeddingOnceAndLearnedPositions() {
        // embedding 50257·768 = 38,597,376; positions 1024·768 = 786,432;
        // layer: attention 4·768² + 3·768 + 768 = 2,362,368; MLP 2·768·3072 + 3072 + 768 = 4,722,432; norms 4·768
        ParameterCount count = ParameterCounter.count(gpt2());
        assertThat(count.breakdown().attentionPerLayer()).isEqualTo(2_362_368L);
        assertThat(count.breakdown().mlpPerLayer()).isEqualTo(4_722_432L);
        assertThat(count.breakdown().positionEmbedding()).isEqualTo(786_432L);
        assertThat(count.breakdown().lmHead()).isZero();
        assertThat(count.totalParameters()).isEqualTo(124_439_808L).isEqualTo(referenceTotal("gpt2"));
        // cases.json counts the position table as embedding too: 124,439,808 − 38,597,376 − 786,432
        assertThat(count.nonEmbeddingParameters()).isEqualTo(85_056_000L);
    }

    @Test
    void mixtralWhenCountedShouldReportTotalAndActive() {
        ParameterCount count = ParameterCounter.count(mixtral8x7b());
        assertThat(count.totalParameters()).isEqualTo(46_702_792_704L).isEqualTo(referenceTotal("Mixtral-8x7B-v0.1"));
        // active = total − 32 layers · 6 idle experts · 3·4096·14336
        assertThat(count.activeParametersPerToken()).isEqualTo(46_702_792_704L - 32L * 6 * 3 * 4096 * 14_336)
                .isEqualTo(12_879_925_248L)
                .isEqualTo(ReferenceCases.named("parameterCounts", "Mixtral-8x7B-v0.1").get("activeParametersPerToken")
                        .asLong());
        assertThat(count.breakdown().routerPerLayer()).isEqualTo(4096L * 8);
        assertThat(count.expertParameters()).isEqualTo(32L * 8 * 3 * 4096 * 14_336);
    }

    @Test
    void qwen25WhenCountedShouldIncludeQkvBiasAndTiedEmbedding() {
        ParameterCount count = ParameterCounter.count(qwen25_05b());
        // QKV bias (14 + 2·2)·64 = 1,152
        assertThat(count.breakdown().attentionPerLayer())
                .isEqualTo(896L * 896 * 2 + 2L * 896 * 128 + 1152);
        assertThat(count.totalParameters()).isEqualTo(494_032_768L).isEqualTo(referenceTotal("Qwen2.5-0.5B"));
        assertThat(count.nonEmbeddingParameters()).isEqualTo(357_898_112L);
    }

    static Iterable<ModelPreset> presets() {
        return ModelPresets.all();
    }

    @ParameterizedTest
    @MethodSource("presets")
    void presetWhenCountedShouldEqualItsPublishedCount(ModelPreset preset) {
        assertThat(ParameterCounter.count(preset.architecture()).totalParameters())
                .as(preset.id() + " (" + preset.source() + ")")
                .isEqualTo(preset.publishedParameters());
    }

    @Test
    void documentFormulaWhenLlamaShapedShouldBeExact() {
        // cases.json documentFormulaChecks: the document's Φ for Llama-2-7B is 6,738,415,616
        var formula = ParameterCounter.count(llama2_7b()).documentFormula();
        assertThat(formula.value()).isEqualTo(6_738_415_616.0);
        assertThat(formula.exact()).isTrue();
        assertThat(formula.substituted()).startsWith("32000·4096 + 32·[4096 + (2 + 2·32/32)·4096²");
    }

    @Test
    void documentFormulaWhenGqaShouldUseKvRatio() {
        // Llama-2-70B has g/a = 8/64: the document's (2 + 2g/a)·h² covers GQA exactly
        Architecture llama70b = ModelPresets.find("llama-2-70b").orElseThrow().architecture();
        var formula = ParameterCounter.count(llama70b).documentFormula();
        assertThat(formula.exact()).isTrue();
        assertThat(formula.value()).isEqualTo(68_976_648_192.0);
    }

    @Test
    void documentFormulaWhenGpt2ShouldSayHowFarOffItIs() {
        var formula = ParameterCounter.count(gpt2()).documentFormula();
        // V·h + 12·[768 + 4·768² + 768 + 3·768·3072] + 768 + 768·V = 77,194,752 + 113,264,640 + 768
        assertThat(formula.value()).isEqualTo(77_194_752.0 + 12 * (768 + 4.0 * 768 * 768 + 768 + 3.0 * 768 * 3072) + 768);
        assertThat(formula.exact()).isFalse();
        assertThat(formula.note()).contains("differs from the detailed count by");
    }

    @Test
    void headDimWhenDecoupledShouldScaleProjections() {
        // Qwen3-8B-like: h 4096, 32 query heads and 8 kv heads of width 128, qk-norm 2·128
        Architecture a = Architecture.builder().vocabSize(151_936).hiddenSize(4096).numLayers(36)
                .numAttentionHeads(32).numKeyValueHeads(8).headDim(128).intermediateSize(12_288).qkNorm(true).build();
        assertThat(ParameterCounter.attentionPerLayer(a)).isEqualTo(2L * 4096 * 32 * 128 + 2L * 4096 * 8 * 128 + 256);
        // Qwen3-0.6B decouples: h 1024 but 16 heads × 128 = 2048-wide queries
        Architecture small = Architecture.builder().vocabSize(151_936).hiddenSize(1024).numLayers(28)
                .numAttentionHeads(16).numKeyValueHeads(8).headDim(128).intermediateSize(3072).qkNorm(true)
                .tiedEmbeddings(true).build();
        // derived by hand (the Qwen3 model card says 0.6B total, 0.44B non-embedding):
        // embedding 155,582,464; layer 2·1024·2048 + 2·1024·1024 + 256 + 3·1024·3072 + 2048 = 15,730,944; final 1024
        assertThat(ParameterCounter.count(small).totalParameters())
                .isEqualTo(155_582_464L + 28L * 15_730_944 + 1024).isEqualTo(596_049_920L);
    }

    @Test
    void mlaWhenCountedShouldFollowDeepSeekProjections() {
        // DeepSeek-V3 attention: h 7168, 128 heads, r_q 1536, r_kv 512, d_nope 128, d_rope 64, d_v 128
        Architecture a = Architecture.builder().vocabSize(129_280).hiddenSize(7168).numLayers(61).numAttentionHeads(128)
                .intermediateSize(18_432).mla(new MlaConfig(1536, 512, 128, 64, 128)).build();
        long q = 7168L * 1536 + 1536 + 1536L * 128 * 192;       // 48,760,320
        long kv = 7168L * 576 + 512 + 512L * 128 * 256;         // 20,906,496
        long o = 128L * 128 * 7168;                             // 117,440,512
        assertThat(ParameterCounter.attentionPerLayer(a)).isEqualTo(q + kv + o).isEqualTo(187_107_328L);
        assertThat(a.headDim()).isEqualTo(192);
    }

    @Test
    void moeWithSharedExpertsAndDenseLayersShouldCountEachKind() {
        // 4 layers, the first dense (f = 1024), then MoE: 8 experts of 256, top-2, 1 shared expert of 512, router bias
        Architecture a = Architecture.builder().vocabSize(1000).hiddenSize(128).numLayers(4).numAttentionHeads(4)
                .intermediateSize(1024).moe(new MoeConfig(8, 2, 256, 1, 512, 1, true)).build();
        ParameterCount count = ParameterCounter.count(a);
        long attention = 4L * 128 * 128;
        long norms = 2L * 128;
        long dense = attention + 3L * 128 * 1024 + norms;
        long moe = attention + (128L * 8 + 8) + 8L * 3 * 128 * 256 + 3L * 128 * 512 + norms;
        assertThat(count.totalParameters()).isEqualTo(2L * 1000 * 128 + dense + 3 * moe + 128);
        assertThat(count.activeParametersPerToken())
                .isEqualTo(count.totalParameters() - 3L * 6 * 3 * 128 * 256);
        assertThat(count.breakdown().denseLayers()).isEqualTo(1);
        assertThat(count.breakdown().moeLayers()).isEqualTo(3);
    }

    @Test
    void nonParametricNormsAndParallelBlockShouldHoldNoNormWeights() {
        Architecture olmo = Architecture.builder().vocabSize(50_304).hiddenSize(4096).numLayers(32).numAttentionHeads(32)
                .intermediateSize(11_008).norm(NormType.NON_PARAMETRIC).build();
        assertThat(ParameterCounter.count(olmo).breakdown().normsPerLayer()).isZero();
        assertThat(ParameterCounter.count(olmo).breakdown().finalNorm()).isZero();
        // OLMo-7B shape (OLMo paper: 6.88B): 50304·4096·2 + 32·(4·4096² + 3·4096·11008) = 6,888,095,744
        assertThat(ParameterCounter.count(olmo).totalParameters()).isEqualTo(6_888_095_744L);
        Architecture parallel = Architecture.builder().vocabSize(100).hiddenSize(64).numLayers(2).numAttentionHeads(4)
                .intermediateSize(256).parallelBlock(true).norm(NormType.LAYER_NORM).build();
        assertThat(parallel.normsPerLayer()).isEqualTo(1);
        assertThat(ParameterCounter.normsPerLayer(parallel)).isEqualTo(128);
    }

    @Test
    void qkNormWhenFullWidthShouldSpanEveryHead() {
        // OLMo-2-1124-7B (modeling_olmo2.py: q_norm = RMSNorm(a·d), k_norm = RMSNorm(g·d)); Hugging Face API
        // safetensors.total for allenai/OLMo-2-1124-7B = 7,298,617,344. Per layer: 4·4096² = 67,108,864
        // + qk-norm (32 + 32)·128 = 8,192 + 3·4096·11008 = 135,266,304 + 2 RMSNorms 8,192 = 202,391,552
        Architecture olmo2 = Architecture.builder().vocabSize(100_352).hiddenSize(4096).numLayers(32)
                .numAttentionHeads(32).intermediateSize(11_008).qkNorm(true).qkNormScope(QkNormScope.FULL_WIDTH).build();
        assertThat(ParameterCounter.attentionPerLayer(olmo2)).isEqualTo(4L * 4096 * 4096 + 8192);
        assertThat(ParameterCounter.count(olmo2).totalParameters())
                .isEqualTo(2L * 100_352 * 4096 + 32L * 202_391_552 + 4096).isEqualTo(7_298_617_344L);
        // the same shape with per-head norms holds 2·128 instead of 8,192 per layer
        Architecture perHead = Architecture.builder().vocabSize(100_352).hiddenSize(4096).numLayers(32)
                .numAttentionHeads(32).intermediateSize(11_008).qkNorm(true).build();
        assertThat(perHead.qkNormScope()).isEqualTo(QkNormScope.PER_HEAD);
        assertThat(ParameterCounter.attentionPerLayer(perHead)).isEqualTo(4L * 4096 * 4096 + 256);
    }

    @Test
    void sharedExpertGateShouldAddHiddenSizePerMoeLayer() {
        // Qwen1.5-MoE-A2.7B, keras-hub qwen_moe_presets.py qwen1.5_moe_2.7b_en params = 14,315,784,192.
        // Per layer: attention 4·2048² + QKV bias 3·2048 = 16,783,360; router 2048·60 = 122,880 + shared_expert_gate
        // 2048; 60 experts 60·3·2048·1408 = 519,045,120; shared expert 3·2048·5632 = 34,603,008; norms 4,096
        Architecture qwenMoe = Architecture.builder().vocabSize(151_936).hiddenSize(2048).numLayers(24)
                .numAttentionHeads(16).intermediateSize(5632).qkvBias(true)
                .moe(new MoeConfig(60, 4, 1408, 1, 5632, 0, false, true)).build();
        ParameterCount count = ParameterCounter.count(qwenMoe);
        assertThat(count.breakdown().routerPerLayer()).isEqualTo(122_880L + 2048);
        assertThat(count.totalParameters())
                .isEqualTo(2L * 151_936 * 2048 + 24L * (16_783_360 + 124_928 + 519_045_120 + 34_603_008 + 4096) + 2048)
                .isEqualTo(14_315_784_192L);
        // the gate is always active, like the shared expert: only 56 of the 60 routed experts are idle
        assertThat(count.activeParametersPerToken()).isEqualTo(14_315_784_192L - 24L * 56 * 3 * 2048 * 1408);
    }

    @Test
    void sharedExpertGateWithoutSharedExpertsShouldBeRejected() {
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> new MoeConfig(8, 2, 64, 0, 0, 0, false, true))
                .satisfies((ex) -> assertThat(ex.field()).isEqualTo("moe.sharedExpertGate"));
    }

    @Test
    void attentionSinksShouldAddOneWeightPerHeadPerLayer() {
        // modeling_gpt_oss.py: sinks = nn.Parameter(torch.empty(num_attention_heads)); Llama-2-7B with sinks holds
        // 32 layers × 32 heads = 1,024 more, and the same shape without them is counted as before
        Architecture withSinks = Architecture.builder().vocabSize(32_000).hiddenSize(4096).numLayers(32)
                .numAttentionHeads(32).intermediateSize(11_008).attentionSinks(true).build();
        assertThat(ParameterCounter.attentionSinks(withSinks)).isEqualTo(32);
        assertThat(ParameterCounter.attentionSinks(llama2_7b())).isZero();
        assertThat(ParameterCounter.attentionPerLayer(withSinks)).isEqualTo(4L * 4096 * 4096 + 32);
        assertThat(ParameterCounter.count(withSinks).totalParameters()).isEqualTo(6_738_415_616L + 32L * 32);
        assertThat(ParameterCounter.count(llama2_7b()).totalParameters()).isEqualTo(6_738_415_616L);
        // sinks are always active: only idle experts leave the active count
        assertThat(ParameterCounter.count(withSinks).activeParametersPerToken()).isEqualTo(6_738_415_616L + 1024);
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> Architecture.builder().vocabSize(102_400).hiddenSize(2048).numLayers(2)
                        .numAttentionHeads(16).intermediateSize(10_944).mla(new MlaConfig(0, 512, 128, 64, 128))
                        .attentionSinks(true).build())
                .satisfies((ex) -> assertThat(ex.field()).isEqualTo("attentionSinks"));
    }

    @Test
    void attentionSinksShouldBeSplitWithTheirHeadsUnderTensorParallelism() {
        // configuration_gpt_oss.py tp plan: "layers.*.self_attn.sinks": "local_rowwise" — each rank keeps its heads'
        // sinks. gpt-oss-20b at t = 8: 64 sinks per layer → 8 per rank; the rest of the layer is unchanged.
        Architecture oss = ModelPresets.find("gpt-oss-20b").orElseThrow().architecture();
        Architecture noSinks = Architecture.builder().vocabSize(201_088).hiddenSize(2880).numLayers(24)
                .numAttentionHeads(64).numKeyValueHeads(8).headDim(64).intermediateSize(2880).qkvBias(true)
                .attentionOutputBias(true).mlpBias(true).moe(new MoeConfig(32, 4, 2880, 0, 0, 0, true, false)).build();
        Parallelism tp8 = new Parallelism(1, 8, 1, 1, 1);
        long with = ParameterPlacement.stages(oss, tp8).get(0).dense();
        long without = ParameterPlacement.stages(noSinks, tp8).get(0).dense();
        assertThat(with - without).isEqualTo(24L * 64 / 8);
        // and with one rank every sink is there: the stage holds the whole count
        LocalParameters whole = ParameterPlacement.stages(oss, Parallelism.NONE).get(0);
        assertThat(whole.total()).isEqualTo(20_914_757_184L);
    }

    @Test
    void countWhenTooLargeShouldThrowOverflowNotWrap() {
        Architecture huge = Architecture.builder().vocabSize(Integer.MAX_VALUE).hiddenSize(Integer.MAX_VALUE)
                .numLayers(32).numAttentionHeads(1).intermediateSize(1).build();
        assertThatExceptionOfType(OverflowException.class).isThrownBy(() -> ParameterCounter.count(huge))
                .satisfies((ex) -> assertThat(ex.quantity()).isEqualTo("totalParameters"));
    }
}
