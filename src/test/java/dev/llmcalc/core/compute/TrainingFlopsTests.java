package dev.llmcalc.core.compute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.withinPercentage;

import java.util.Set;

import dev.llmcalc.core.DocumentFormula;
import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.model.MlaConfig;
import dev.llmcalc.core.model.MlpType;
import dev.llmcalc.core.model.ModelPresets;
import dev.llmcalc.core.model.NormType;
import dev.llmcalc.core.run.FineTuning;
import dev.llmcalc.core.run.Recomputation;
import dev.llmcalc.core.run.RecomputeModule;
import dev.llmcalc.core.unit.OverflowException;
import org.junit.jupiter.api.Test;

class TrainingFlopsTests {

    /** 1e-9 relative, as a percentage for AssertJ. */
    private static final double ONE_IN_A_BILLION = 1e-7;

    private static final Architecture LLAMA_2_7B = ModelPresets.find("llama-2-7b").orElseThrow().architecture();

    @Test
    void sixNdWhenGpt3ShouldBeThePaperValue() {
        // cases.json "compute"[0]: Brown et al. 2020 Table D.1, N = 174.6e9, D = 300e9: 6·N·D = 3.1428e23 (published 3.14e23)
        assertThat(TrainingFlops.sixND(174_600_000_000L, 300_000_000_000L)).isEqualTo(3.1428e23);
        DocumentFormula formula = TrainingFlops.sixNDFormula(174_600_000_000L, 300_000_000_000L, Double.NaN);
        assertThat(formula.expression()).isEqualTo("C ≈ 6·N·D");
        assertThat(formula.substituted()).isEqualTo("6·174600000000·300000000000");
        assertThat(formula.value()).isEqualTo(3.1428e23);
        assertThat(formula.exact()).isTrue();
        assertThat(formula.source()).startsWith("seed §2");
    }

    @Test
    void selectiveRecomputationByModuleShouldAddExactlyTheChosenModulesMatmuls() {
        ForwardFlops forward = TrainingFlops.forwardPerToken(LLAMA_2_7B, 4096, false);
        // no modules named: the attention core (Korthikanti et al. 2022), 2·4096·32·256·32
        assertThat(TrainingFlops.selectiveRecomputedPerToken(LLAMA_2_7B, forward, Set.of())).isEqualTo(2_147_483_648L);
        assertThat(TrainingFlops.selectiveRecomputedPerToken(LLAMA_2_7B, forward, Set.of(RecomputeModule.CORE_ATTN)))
                .isEqualTo(2_147_483_648L);
        // + mlp: 2 · 32 layers · 3·4096·11008 = 8,657,043,456
        assertThat(TrainingFlops.selectiveRecomputedPerToken(LLAMA_2_7B, forward,
                Set.of(RecomputeModule.CORE_ATTN, RecomputeModule.MLP))).isEqualTo(10_804_527_104L);
        // norms are element-wise: no matmul FLOPs
        assertThat(TrainingFlops.selectiveRecomputedPerToken(LLAMA_2_7B, forward, Set.of(RecomputeModule.LAYERNORM)))
                .isZero();
        // a dense model has no MoE or MLA modules to rebuild
        assertThat(TrainingFlops.selectiveRecomputedPerToken(LLAMA_2_7B, forward,
                Set.of(RecomputeModule.MOE, RecomputeModule.MLA_UP_PROJ))).isZero();

        Architecture v3 = ModelPresets.find("deepseek-v3").orElseThrow().architecture();
        ForwardFlops v3Forward = TrainingFlops.forwardPerToken(v3, 4096, true);
        // mla_up_proj: (r_q·a·(d_nope + d_rope) + r_kv·a·(d_nope + d_v)) = 1536·128·192 + 512·128·256 = 54,525,952
        // weights per layer, × 2 FLOPs × 61 layers
        assertThat(TrainingFlops.selectiveRecomputedPerToken(v3, v3Forward, Set.of(RecomputeModule.MLA_UP_PROJ)))
                .isEqualTo(6_652_166_144L);
        // shared_experts: 2 · 58 MoE layers · 3·7168·2048 = 5,108,662,272
        assertThat(TrainingFlops.selectiveRecomputedPerToken(v3, v3Forward, Set.of(RecomputeModule.SHARED_EXPERTS)))
                .isEqualTo(5_108_662_272L);
        // moe: router 2·58·7168·256 + 8 routed experts 2·58·8·3·7168·2048 + the shared expert (counted once)
        long moe = 212_860_928L + 40_869_298_176L + 5_108_662_272L;
        assertThat(TrainingFlops.selectiveRecomputedPerToken(v3, v3Forward, Set.of(RecomputeModule.MOE)))
                .isEqualTo(moe);
        assertThat(TrainingFlops.selectiveRecomputedPerToken(v3, v3Forward,
                Set.of(RecomputeModule.MOE, RecomputeModule.SHARED_EXPERTS, RecomputeModule.MOE_ACT))).isEqualTo(moe);
    }

    @Test
    void hardwareFlopsOfARunShouldCountItsRecomputeModules() {
        // Llama-2-7B, 1,000 tokens of 4,096: SELECTIVE with core_attn + mlp adds 10,804,527,104 FLOPs per token
        TrainingCompute attentionOnly = TrainingCompute.forFineTuning(LLAMA_2_7B, 1000, 4096, false,
                Recomputation.SELECTIVE, FineTuning.FULL);
        TrainingCompute withMlp = TrainingCompute.forFineTuning(LLAMA_2_7B, 1000, 4096, false,
                Recomputation.SELECTIVE, Set.of(RecomputeModule.CORE_ATTN, RecomputeModule.MLP), FineTuning.FULL);
        assertThat(withMlp.trainingFlops()).isEqualTo(attentionOnly.trainingFlops());
        assertThat(attentionOnly.hardwareTrainingFlops() - attentionOnly.trainingFlops())
                .isEqualTo(2_147_483_648.0 * 1000);
        assertThat(withMlp.hardwareTrainingFlops() - withMlp.trainingFlops()).isEqualTo(10_804_527_104.0 * 1000);
        // FULL ignores the module list: every layer's forward (15,361,638,400 − 262,144,000 of the LM head)
        TrainingCompute full = TrainingCompute.forFineTuning(LLAMA_2_7B, 1000, 4096, false, Recomputation.FULL,
                Set.of(), FineTuning.FULL);
        assertThat(full.hardwareTrainingFlops() - full.trainingFlops()).isEqualTo(15_099_494_400.0 * 1000);
    }

    @Test
    void sixNdShouldNotOverflowForTheLargestCounts() {
        // 6 · (2^63 - 1)^2 ≈ 5.1e38, far inside a double's range
        assertThat(TrainingFlops.sixND(Long.MAX_VALUE, Long.MAX_VALUE)).isCloseTo(5.104e38, withinPercentage(0.1));
    }

    @Test
    void forwardPerTokenWhenLlama2ShouldCountEachMatmul() {
        // h = 4096, L = 32, a = 32, d = 128, f = 11008, V = 32000, s = 4096
        ForwardFlops forward = TrainingFlops.forwardPerToken(LLAMA_2_7B, 4096, false);
        // Q, K, V, O: 4·h² = 67,108,864 weights per layer, × 2 FLOPs × 32 layers
        assertThat(forward.attentionProjections()).isEqualTo(4_294_967_296L);
        // gate, up, down: 3·h·f = 135,266,304 weights per layer, × 2 × 32
        assertThat(forward.mlp()).isEqualTo(8_657_043_456L);
        assertThat(forward.router()).isZero();
        // 2·h·V = 2 · 4096 · 32000
        assertThat(forward.lmHead()).isEqualTo(262_144_000L);
        // per layer QKᵀ 2·s·a·d + P·V 2·s·a·d = 2 · 4096 · 32 · 256 = 67,108,864, × 32 layers
        assertThat(forward.attentionScores()).isEqualTo(2_147_483_648L);
        assertThat(forward.total()).isEqualTo(15_361_638_400L);
        // causal counting halves the attention-score term only
        assertThat(TrainingFlops.forwardPerToken(LLAMA_2_7B, 4096, true).attentionScores()).isEqualTo(1_073_741_824L);
    }

    @Test
    void forwardPerTokenWhenLlama2ShouldBeTwiceTheMatmulWeights() {
        // cases.json: 6,476,271,616 non-embedding parameters, of which norms are 65 · 4096 = 266,240;
        // 2 × (6,476,271,616 − 266,240) = 12,952,010,752 = attention projections + MLP
        ForwardFlops forward = TrainingFlops.forwardPerToken(LLAMA_2_7B, 1, false);
        assertThat(forward.attentionProjections() + forward.mlp()).isEqualTo(12_952_010_752L);
    }

    @Test
    void forwardPerTokenWhenMixtralShouldCountTheActiveExpertsAndTheRouter() {
        Architecture mixtral = ModelPresets.find("mixtral-8x7b").orElseThrow().architecture();
        ForwardFlops forward = TrainingFlops.forwardPerToken(mixtral, 4096, false);
        // k = 2 experts of 3·h·f = 3 · 4096 · 14336 weights, × 2 FLOPs × 32 layers = 22,548,578,304
        assertThat(forward.mlp()).isEqualTo(22_548_578_304L);
        // router h·E = 4096 · 8, × 2 × 32
        assertThat(forward.router()).isEqualTo(2_097_152L);
        // GQA: Q and O 2·h·a·d, K and V 2·h·g·d (g = 8): 2·4096·(4096 + 1024) · 2 · 32
        assertThat(forward.attentionProjections()).isEqualTo(2_684_354_560L);
        // scores use all 32 query heads whatever g is: 2 · 4096 · 32 · 256 · 32
        assertThat(forward.attentionScores()).isEqualTo(2_147_483_648L);
    }

    @Test
    void forwardPerTokenWhenMlaShouldUseTheLatentWidths() {
        // h = 64, a = 4, L = 2, uncompressed queries, r_kv = 16, d_nope = 8, d_rope = 4, d_v = 8, s = 10
        Architecture mla = Architecture.builder().vocabSize(100).hiddenSize(64).numLayers(2).numAttentionHeads(4)
                .intermediateSize(128).mla(new MlaConfig(0, 16, 8, 4, 8)).build();
        ForwardFlops forward = TrainingFlops.forwardPerToken(mla, 10, false);
        // q = h·a·(d_nope + d_rope) = 64·48 = 3072; kv = h·(r_kv + d_rope) + r_kv·a·(d_nope + d_v) = 1280 + 1024 = 2304
        // (its latent norm of 16 is no matmul); o = a·d_v·h = 2048; 7424 weights × 2 FLOPs × 2 layers
        assertThat(forward.attentionProjections()).isEqualTo(29_696L);
        // QKᵀ 2·s·a·(d_nope + d_rope) = 960, P·V 2·s·a·d_v = 640, per layer 1600, × 2 layers
        assertThat(forward.attentionScores()).isEqualTo(3_200L);
        assertThat(TrainingFlops.forwardPerToken(mla, 10, true).attentionScores()).isEqualTo(1_600L);
    }

    @Test
    void trainingWhenGpt3ShapeShouldMatchNarayananPerIteration() {
        // Narayanan et al. 2021 §5.1 (GPT, f = 4h, MHA, non-causal), per iteration of B sequences of s tokens:
        //   per token and layer: projections 2·4h² + MLP 2·8h² = 24h²; scores 2·s·h + 2·s·h = 4·s·h
        //   per token: LM head 2·h·V; training = 3 × forward
        //   3·B·s·(24·L·h² + 4·L·s·h + 2·h·V) = 72·B·s·L·h²·(1 + s/(6h) + V/(12·L·h))
        // full recomputation runs the layers forward once more (not the LM head), eq. 3:
        //   B·s·(4·(24·L·h² + 4·L·s·h) + 3·2·h·V) = 96·B·s·L·h²·(1 + s/(6h) + V/(16·L·h))
        int h = 12_288;
        int layers = 96;
        int s = 2048;
        int v = 51_200;
        long batch = 1536;
        Architecture gpt3 = Architecture.builder().vocabSize(v).hiddenSize(h).numLayers(layers).numAttentionHeads(96)
                .intermediateSize(4 * h).mlp(MlpType.STANDARD).norm(NormType.LAYER_NORM).build();
        TrainingCompute iteration = TrainingCompute.forModel(gpt3, batch * s, s, false, Recomputation.FULL);
        double bslh2 = (double) batch * s * layers * h * h;
        assertThat(iteration.trainingFlops())
                .isCloseTo(72 * bslh2 * (1 + s / (6.0 * h) + v / (12.0 * layers * h)), withinPercentage(ONE_IN_A_BILLION));
        assertThat(iteration.hardwareTrainingFlops())
                .isCloseTo(96 * bslh2 * (1 + s / (6.0 * h) + v / (16.0 * layers * h)), withinPercentage(ONE_IN_A_BILLION));
        // causal counting halves the s/(6h) term
        TrainingCompute causal = TrainingCompute.forModel(gpt3, batch * s, s, true, Recomputation.NONE);
        assertThat(causal.trainingFlops())
                .isCloseTo(72 * bslh2 * (1 + s / (12.0 * h) + v / (12.0 * layers * h)), withinPercentage(ONE_IN_A_BILLION));
    }

    @Test
    void selectiveRecomputationShouldAddOneForwardOfTheAttentionCore() {
        // Llama-2-7B, s = 4096, 1000 tokens: scores 2,147,483,648 per token run once more
        TrainingCompute none = TrainingCompute.forModel(LLAMA_2_7B, 1000, 4096, false, Recomputation.NONE);
        TrainingCompute selective = TrainingCompute.forModel(LLAMA_2_7B, 1000, 4096, false, Recomputation.SELECTIVE);
        assertThat(none.hardwareTrainingFlops()).isEqualTo(none.trainingFlops());
        // 3 · 15,361,638,400 · 1000 = 4.60849152e13
        assertThat(selective.trainingFlops()).isEqualTo(4.60849152e13);
        assertThat(selective.hardwareTrainingFlops()).isEqualTo(4.60849152e13 + 2.147483648e12);
    }

    @Test
    void modelRunShouldUseActiveParametersForSixNd() {
        // cases.json Mixtral: 12,879,925,248 active parameters per token
        Architecture mixtral = ModelPresets.find("mixtral-8x7b").orElseThrow().architecture();
        TrainingCompute run = TrainingCompute.forModel(mixtral, 1_000_000, 4096, false, Recomputation.NONE);
        assertThat(run.parameters()).isEqualTo(12_879_925_248L);
        assertThat(run.sixNdFlops()).isEqualTo(6.0 * 12_879_925_248L * 1_000_000);
        // detailed: 3 · 27,644,657,664 per token
        assertThat(run.flopsPerToken()).isEqualTo(82_933_972_992.0);
        assertThat(run.detailedTrainingFlops()).isEqualTo(8.2933972992e16);
        DocumentFormula formula = run.documentFormula();
        assertThat(formula.exact()).isFalse();
        // 6N = 77,279,551,488 vs 82,933,972,992: −6.82%
        assertThat(formula.note()).contains("-6.82%");
    }

    @Test
    void parameterOnlyRunShouldBeSixNdAndEightNdWithFullRecomputation() {
        // Megatron's 8·T·P: 4 forward passes of 2·P FLOPs per token
        TrainingCompute run = TrainingCompute.forParameters(175_000_000_000L, 300_000_000_000L, Recomputation.FULL);
        assertThat(run.hasArchitecture()).isFalse();
        assertThat(run.detailedTrainingFlops()).isNull();
        assertThat(run.flopsPerToken()).isEqualTo(1.05e12);
        assertThat(run.trainingFlops()).isEqualTo(3.15e23);
        assertThat(run.hardwareTrainingFlops()).isEqualTo(4.2e23);
        assertThat(TrainingCompute.forParameters(175_000_000_000L, 300_000_000_000L, Recomputation.SELECTIVE)
                .hardwareTrainingFlops()).isEqualTo(3.15e23);
    }

    @Test
    void hugeShapesShouldOverflowInsteadOfWrapping() {
        Architecture huge = Architecture.builder().vocabSize(Integer.MAX_VALUE).hiddenSize(Integer.MAX_VALUE)
                .numLayers(1).numAttentionHeads(1).intermediateSize(1).build();
        assertThatExceptionOfType(OverflowException.class)
                .isThrownBy(() -> TrainingFlops.forwardPerToken(huge, 2048, false));
        assertThatExceptionOfType(OverflowException.class)
                .isThrownBy(() -> TrainingFlops.forwardPerToken(LLAMA_2_7B.withNumLayers(Integer.MAX_VALUE),
                        Integer.MAX_VALUE, false));
    }
}
