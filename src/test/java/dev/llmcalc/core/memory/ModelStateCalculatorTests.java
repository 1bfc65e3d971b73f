package dev.llmcalc.core.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.llmcalc.core.ReferenceCases;
import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.model.ModelPresets;
import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.params.ParameterCounter;
import dev.llmcalc.core.run.Optimizer;
import dev.llmcalc.core.run.Precision;
import dev.llmcalc.core.run.Training;
import dev.llmcalc.core.run.ZeroStage;
import dev.llmcalc.core.unit.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

class ModelStateCalculatorTests {

    private static final long PHI_7_5B = 7_500_000_000L;

    private static Architecture preset(String id) {
        return ModelPresets.find(id).orElseThrow().architecture();
    }

    @ParameterizedTest
    @ValueSource(ints = { 0, 1, 2, 3 })
    void zeroPaperFigure1WhenDataParallel64ShouldMatchPerStage(int stage) {
        // ZeRO paper Figure 1: Φ = 7.5B, mixed-precision Adam (K = 12), N_d = 64 → 120 / 31.4 / 16.6 / 1.9 GB
        JsonNode ref = ReferenceCases.named("modelStates",
                "ZeRO paper, Figure 1: 7.5B parameters, mixed-precision Adam (K=12), data parallel 64");
        long expected = ref.get("perGpuBytesByZeroStage").get(String.valueOf(stage)).asLong();
        Training training = new Training(Precision.MIXED_FP16, Optimizer.ADAM, ZeroStage.of(stage));
        ModelStates states = ModelStateCalculator.forParameterCount(ref.get("parameters").asLong(), training,
                Parallelism.dataParallel(ref.get("dataParallel").asInt()));
        assertThat(states.perGpu().totalBytes()).isEqualTo(expected);
    }

    @Test
    void zeroStagesShouldPartitionTheDocumentedComponents() {
        // Z1: 2Φ + 2Φ + 12Φ/64; Z2: 2Φ + 2Φ/64 + 12Φ/64; Z3: all /64 (117,187,500 parameters per shard)
        long shard = PHI_7_5B / 64;
        ModelStates z2 = ModelStateCalculator.forParameterCount(PHI_7_5B,
                new Training(Precision.MIXED_BF16, Optimizer.ADAMW, ZeroStage.ZERO_2), Parallelism.dataParallel(64));
        assertThat(z2.perGpu()).isEqualTo(new ModelStateBytes(2 * PHI_7_5B, 2 * shard, 12 * shard));
        ModelStates z3 = ModelStateCalculator.forParameterCount(PHI_7_5B,
                new Training(Precision.MIXED_BF16, Optimizer.ADAMW, ZeroStage.ZERO_3), Parallelism.dataParallel(64));
        assertThat(z3.perGpu()).isEqualTo(new ModelStateBytes(2 * shard, 2 * shard, 12 * shard));
        assertThat(z3.effectiveBytesPerParameter()).isEqualTo(0.25);
    }

    @Test
    void megatronConventionShouldKeep18BytesPerParameterAtStage0() {
        // Megatron-LM default: bf16 weights 2 + fp32 grads 4 + fp32 master, m, v 12 = 18 bytes per parameter
        Training megatron = new Training(Precision.MIXED_BF16_FP32_GRADS, Optimizer.ADAMW, ZeroStage.ZERO_0);
        ModelStates states = ModelStateCalculator.forParameterCount(1_000_000_000L, megatron, Parallelism.NONE);
        assertThat(states.bytesPerParameter()).isEqualTo(18);
        assertThat(states.perGpu().totalBytes()).isEqualTo(18_000_000_000L);
        assertThat(states.perGpu()).isEqualTo(new ModelStateBytes(2_000_000_000L, 4_000_000_000L, 12_000_000_000L));
        // with its distributed optimizer (≈ ZeRO-1) over 8 ranks: 6 + 12/8 = 7.5 bytes per parameter
        ModelStates distributed = ModelStateCalculator.forParameterCount(1_000_000_000L,
                new Training(Precision.MIXED_BF16_FP32_GRADS, Optimizer.ADAMW, ZeroStage.ZERO_1),
                Parallelism.dataParallel(8));
        assertThat(distributed.effectiveBytesPerParameter()).isEqualTo(7.5);
    }

    @Test
    void fp32AdamWShouldBeDocuments16PhiSplit4_4_8() {
        // seed §3: M_model 4Φ + M_grad 4Φ + M_optim 8Φ = 16Φ
        ModelStates states = ModelStateCalculator.forParameterCount(1000, new Training(Precision.FP32,
                Optimizer.ADAMW, ZeroStage.ZERO_0), Parallelism.NONE);
        assertThat(states.perGpu()).isEqualTo(new ModelStateBytes(4000, 4000, 8000));
        assertThat(states.documentFormula().value()).isEqualTo(16_000.0);
        assertThat(states.documentFormula().exact()).isTrue();
    }

    @Test
    void optimizersShouldKeepTheirStateBytes() {
        // mixed precision adds the 4-byte fp32 master copy to each
        assertThat(new Training(Precision.MIXED_BF16, Optimizer.SGD, ZeroStage.ZERO_0).optimizerBytesPerParameter())
                .isEqualTo(4);
        assertThat(new Training(Precision.MIXED_BF16, Optimizer.SGD_MOMENTUM, ZeroStage.ZERO_0)
                .optimizerBytesPerParameter()).isEqualTo(8);
        assertThat(new Training(Precision.MIXED_BF16, Optimizer.ADAMW_8BIT, ZeroStage.ZERO_0)
                .optimizerBytesPerParameter()).isEqualTo(6);
        assertThat(new Training(Precision.FP32, Optimizer.SGD, ZeroStage.ZERO_0).bytesPerParameter()).isEqualTo(8);
    }

    @Test
    void unevenShardsShouldReportTheMostLoadedRank() {
        // 10 parameters over 3 ranks: the largest shard holds ceil(10/3) = 4
        ModelStates states = ModelStateCalculator.forParameterCount(10,
                new Training(Precision.MIXED_BF16, Optimizer.ADAMW, ZeroStage.ZERO_3), Parallelism.dataParallel(3));
        assertThat(states.perGpu()).isEqualTo(new ModelStateBytes(8, 8, 48));
    }

    @Test
    void documentZeroOneFormulaWhenEvenSplitShouldBeExact() {
        // seed §3: 2Φ/(t·p) + 2Φ/(t·p) + 12Φ/(d·t·p) with Φ = 7.5B, t = 2, p = 2, d = 16 (raw count splits evenly)
        Parallelism par = new Parallelism(16, 2, 2, 1, 1);
        ModelStates states = ModelStateCalculator.forParameterCount(PHI_7_5B,
                new Training(Precision.MIXED_BF16, Optimizer.ADAMW, ZeroStage.ZERO_1), par);
        long expected = 4 * PHI_7_5B / 4 + 12 * PHI_7_5B / 64;
        assertThat(states.perGpu().totalBytes()).isEqualTo(expected);
        assertThat(states.documentFormula().value()).isEqualTo((double) expected);
        assertThat(states.documentFormula().exact()).isTrue();
    }

    @Test
    void llamaWithPipelineShouldReportTheStageHoldingTheLmHead() {
        // Llama-2-7B, p = 2: stage 0 = embedding + 16 layers, stage 1 = 16 layers + final norm + LM head; equal
        // embedding and head, so stage 1 is larger by the final norm (4,096)
        Architecture llama = preset("llama-2-7b");
        ModelStates states = ModelStateCalculator.forModel(llama,
                new Training(Precision.MIXED_BF16, Optimizer.ADAMW, ZeroStage.ZERO_0), new Parallelism(1, 1, 2, 1, 1));
        long layer = 202_383_360L;
        assertThat(states.local().pipelineStage()).isEqualTo(1);
        assertThat(states.local().total()).isEqualTo(16 * layer + 4096 + 131_072_000L);
        assertThat(states.perGpu().totalBytes()).isEqualTo(16 * states.local().total());
    }

    @Test
    void tensorParallelShouldReplicateNormsAndSplitMatrices() {
        // Llama-2-7B, t = 4: matrices / 4, norms replicated: layer = (4·4096² + 3·4096·11008)/4 + 2·4096
        ModelStates states = ModelStateCalculator.forModel(preset("llama-2-7b"),
                new Training(Precision.MIXED_BF16, Optimizer.ADAMW, ZeroStage.ZERO_0), new Parallelism(1, 4, 1, 1, 1));
        long layer = (4L * 4096 * 4096 + 3L * 4096 * 11_008) / 4 + 2 * 4096;
        long vocab = 32_000L * 4096 / 4;
        assertThat(states.local().total()).isEqualTo(32 * layer + 2 * vocab + 4096);
    }

    @Test
    void expertParallelShouldSplitExpertsAndShardThemOverFewerRanks() {
        // Mixtral, d = 8, e = 8, ZeRO-1: each GPU hosts 1 expert per layer; expert optimizer states shard over 8/8 = 1
        Architecture mixtral = preset("mixtral-8x7b");
        ModelStates states = ModelStateCalculator.forModel(mixtral,
                new Training(Precision.MIXED_BF16, Optimizer.ADAMW, ZeroStage.ZERO_1), new Parallelism(8, 1, 1, 8, 1));
        long expertPerGpu = 32L * 3 * 4096 * 14_336;
        long dense = ParameterCounter.count(mixtral).totalParameters() - 8 * expertPerGpu;
        assertThat(states.local().expert()).isEqualTo(expertPerGpu);
        assertThat(states.local().dense()).isEqualTo(dense);
        assertThat(states.perGpu().optimizerStatesBytes()).isEqualTo(12 * (dense / 8 + expertPerGpu));
    }

    @Test
    void impossibleLayoutsShouldNameTheField() {
        Training training = Training.DEFAULT;
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> ModelStateCalculator.forModel(preset("llama-2-7b"), training,
                        new Parallelism(1, 3, 1, 1, 1)))
                .satisfies((ex) -> assertThat(ex.field()).isEqualTo("parallelism.tensor"));
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> ModelStateCalculator.forModel(preset("llama-2-7b"), training,
                        new Parallelism(2, 1, 1, 2, 1)))
                .satisfies((ex) -> assertThat(ex.field()).isEqualTo("parallelism.expert"));
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> ModelStateCalculator.forModel(preset("gpt2"), training, new Parallelism(1, 1, 13, 1, 1)))
                .satisfies((ex) -> assertThat(ex.field()).isEqualTo("parallelism.pipeline"));
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> new Parallelism(3, 1, 1, 2, 1))
                .satisfies((ex) -> assertThat(ex.field()).isEqualTo("parallelism.expert"));
    }
}
