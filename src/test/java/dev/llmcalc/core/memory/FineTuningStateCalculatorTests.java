package dev.llmcalc.core.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import dev.llmcalc.core.memory.ModelStateCalculator;
import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.model.ModelPresets;
import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.run.AdapterCounter;
import dev.llmcalc.core.run.FineTuning;
import dev.llmcalc.core.run.Optimizer;
import dev.llmcalc.core.run.Precision;
import dev.llmcalc.core.run.Quantization;
import dev.llmcalc.core.run.TargetModule;
import dev.llmcalc.core.run.Training;
import dev.llmcalc.core.run.TrainingMethod;
import dev.llmcalc.core.run.ZeroStage;
import org.junit.jupiter.api.Test;

class FineTuningStateCalculatorTests {

    private static final Architecture LLAMA_2_7B = ModelPresets.find("llama-2-7b").orElseThrow().architecture();

    private static final Set<TargetModule> Q_V = Set.of(TargetModule.Q, TargetModule.V);

    @Test
    void loraWhenLlama2OnOneGpuShouldKeepBf16BaseAndSixteenBytesPerAdapterParameter() {
        // frozen: 6,738,415,616 × 2 B (bf16) = 13,476,831,232
        // adapters: 4,194,304 × (2 + 2 + 12) = 67,108,864; no dequantization buffer
        FineTuningStates states = FineTuningStateCalculator.perGpu(LLAMA_2_7B, Training.DEFAULT,
                new FineTuning(TrainingMethod.LORA, 8, 16, Q_V, null), Parallelism.NONE);
        assertThat(states.frozenWeightsBytes()).isEqualTo(13_476_831_232L);
        assertThat(states.adapters().weightsBytes()).isEqualTo(8_388_608L);
        assertThat(states.adapters().gradientsBytes()).isEqualTo(8_388_608L);
        assertThat(states.adapters().optimizerStatesBytes()).isEqualTo(50_331_648L);
        assertThat(states.dequantizationBufferBytes()).isZero();
        assertThat(states.totalBytes()).isEqualTo(13_543_940_096L);
    }

    @Test
    void qloraWhenLlama2ShouldStoreLinearMatricesAtAbout4Point127Bits() {
        // quantized: 6,476,005,376 weights → 3,238,002,688 (4 bit) + 101,187,584 blocks × 1 B
        //            + 395,264 second-level × 4 B = 3,340,771,328 (= 6,476,005,376 × 4.126953125 / 8)
        // 16-bit rest: (6,738,415,616 − 6,476,005,376) × 2 = 524,820,480
        // dequantization buffer: 4096 × 11008 × 2 = 90,177,536; adapters 67,108,864
        FineTuningStates states = FineTuningStateCalculator.perGpu(LLAMA_2_7B, Training.DEFAULT,
                new FineTuning(TrainingMethod.QLORA, 8, 16, Q_V, Quantization.DEFAULT), Parallelism.NONE);
        assertThat(states.frozenWeightsBytes()).isEqualTo(3_340_771_328L + 524_820_480L);
        assertThat(states.dequantizationBufferBytes()).isEqualTo(90_177_536L);
        assertThat(states.totalBytes()).isEqualTo(4_022_878_208L);
    }

    @Test
    void zeroThreeShouldShardFrozenWeightsAndAdaptersOverDataRanks() {
        Training zero3 = new Training(Precision.MIXED_BF16, Optimizer.ADAMW, ZeroStage.ZERO_3);
        FineTuningStates states = FineTuningStateCalculator.perGpu(LLAMA_2_7B, zero3,
                new FineTuning(TrainingMethod.LORA, 8, 16, Q_V, null), Parallelism.dataParallel(4));
        // 13,476,831,232 / 4 and 4,194,304 / 4 × 16
        assertThat(states.frozenWeightsBytes()).isEqualTo(3_369_207_808L);
        assertThat(states.adapters().totalBytes()).isEqualTo(16_777_216L);
    }

    @Test
    void zeroOneShouldShardOnlyTheAdaptersOptimizerStates() {
        Training zero1 = new Training(Precision.MIXED_BF16, Optimizer.ADAMW, ZeroStage.ZERO_1);
        FineTuningStates states = FineTuningStateCalculator.perGpu(LLAMA_2_7B, zero1,
                new FineTuning(TrainingMethod.LORA, 8, 16, Q_V, null), Parallelism.dataParallel(8));
        assertThat(states.frozenWeightsBytes()).isEqualTo(13_476_831_232L);
        assertThat(states.adapters().optimizerStatesBytes()).isEqualTo(50_331_648L / 8);
        assertThat(states.adapters().gradientsBytes()).isEqualTo(8_388_608L);
    }

    @Test
    void loraShouldNeedLessThanFullTrainingOfTheSameModel() {
        long full = ModelStateCalculator.forModel(LLAMA_2_7B, Training.DEFAULT, Parallelism.NONE).perGpu().totalBytes();
        long lora = FineTuningStateCalculator.perGpu(LLAMA_2_7B, Training.DEFAULT,
                new FineTuning(TrainingMethod.LORA, 8, 16, Q_V, null), Parallelism.NONE).totalBytes();
        assertThat(lora).isLessThan(full / 7);
    }

    @Test
    void largeAdaptersUnderZeroTwoOverManyRanksCanExceedFullTraining() {
        // the limit of "LoRA ≤ full": FP32 SGD, ZeRO-2, D = 64. Full keeps 4Φ + 4Φ/64; LoRA 4Φ + 4T + 4T/64.
        // r = 512 on all seven projections: T = 32 × 512 × (4·8192 + 3·15104) = 1,279,262,720 (19% of Φ) > Φ/65
        Training sgd = new Training(Precision.FP32, Optimizer.SGD, ZeroStage.ZERO_2);
        Parallelism layout = Parallelism.dataParallel(64);
        FineTuning huge = new FineTuning(TrainingMethod.LORA, 512, 16, java.util.EnumSet.range(TargetModule.Q,
                TargetModule.DOWN), null);
        assertThat(AdapterCounter.count(LLAMA_2_7B, huge).trainableParameters()).isEqualTo(1_279_262_720L);
        long full = ModelStateCalculator.forModel(LLAMA_2_7B, sgd, layout).perGpu().totalBytes();
        assertThat(FineTuningStateCalculator.perGpu(LLAMA_2_7B, sgd, huge, layout).totalBytes()).isGreaterThan(full);
    }

    @Test
    void tensorParallelismShouldSplitFrozenWeightsAndAdaptersLikeFullTraining() {
        // t 2: per layer attention 4 · 4096² / 2 = 33,554,432, MLP 3 · 4096 · 11,008 / 2 = 67,633,152, norms 8,192;
        // × 32 = 3,238,264,832; embedding and head 32,000 · 4096 / 2 each, final norm 4096: 3,369,340,928 frozen
        // adapters r 8 on q, v: 32 × 2 × 8 · 8192 / 2 = 2,097,152
        FineTuningStates states = FineTuningStateCalculator.perGpu(LLAMA_2_7B, Training.DEFAULT,
                new FineTuning(TrainingMethod.LORA, 8, 16, Q_V, null), new Parallelism(1, 2, 1, 1, 1));
        assertThat(states.local().total()).isEqualTo(3_369_340_928L + 2_097_152L);
        assertThat(states.frozenWeightsBytes()).isEqualTo(2 * 3_369_340_928L);
        assertThat(states.adapters().gradientsBytes()).isEqualTo(2 * 2_097_152L);
        assertThat(states.adapters().optimizerStatesBytes()).isEqualTo(12 * 2_097_152L);
    }

    @Test
    void pipelineStagesShouldEachHoldTheirLayersAdaptersAndTheMostLoadedIsReported() {
        // p 2: 16 layers each; adapters 16 × 2 × 65,536 = 2,097,152 per stage, plus the LM-head adapter
        // 8 · (4096 + 32,000) = 288,768 on the last stage, which also holds the head and the final norm
        FineTuning tuning = new FineTuning(TrainingMethod.LORA, 8, 16,
                Set.of(TargetModule.Q, TargetModule.V, TargetModule.LM_HEAD), null);
        java.util.List<FineTuningStates> stages = FineTuningStateCalculator.stages(LLAMA_2_7B, Training.DEFAULT,
                tuning, new Parallelism(1, 1, 2, 1, 1));
        assertThat(stages).hasSize(2);
        assertThat(stages.get(0).adapters().gradientsBytes()).isEqualTo(2 * 2_097_152L);
        assertThat(stages.get(1).adapters().gradientsBytes()).isEqualTo(2 * (2_097_152L + 288_768L));
        // stage 0: 16 layers × 202,383,360 + embedding 131,072,000; stage 1: the same layers + head + final norm
        assertThat(stages.get(0).frozenWeightsBytes()).isEqualTo(2 * (16 * 202_383_360L + 131_072_000L));
        assertThat(stages.get(1).frozenWeightsBytes()).isEqualTo(2 * (16 * 202_383_360L + 131_072_000L + 4096));
        assertThat(FineTuningStateCalculator.perGpu(LLAMA_2_7B, Training.DEFAULT, tuning,
                new Parallelism(1, 1, 2, 1, 1))).isEqualTo(stages.get(1));
    }

    @Test
    void expertParallelismShouldPlaceExpertAdaptersWithTheirExperts() {
        // Mixtral, gate/up/down r 16, e 8 over d 8: one expert per GPU per layer:
        // 32 layers × 3 × 16 · (4096 + 14,336) = 28,311,552 expert adapters per GPU (of 226,492,416)
        Architecture mixtral = ModelPresets.find("mixtral-8x7b").orElseThrow().architecture();
        FineTuning tuning = new FineTuning(TrainingMethod.LORA, 16, 16,
                Set.of(TargetModule.GATE, TargetModule.UP, TargetModule.DOWN), null);
        assertThat(AdapterCounter.count(mixtral, tuning).trainableParameters()).isEqualTo(226_492_416L);
        FineTuningStates states = FineTuningStateCalculator.perGpu(mixtral, Training.DEFAULT, tuning,
                new Parallelism(8, 1, 1, 8, 1));
        assertThat(states.local().expert()).isEqualTo(32L * 3 * 4096 * 14_336 + 28_311_552L);
        assertThat(states.adapters().gradientsBytes()).isEqualTo(2 * 28_311_552L);
    }
}
