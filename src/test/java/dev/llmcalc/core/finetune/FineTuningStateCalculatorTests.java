package dev.llmcalc.core.finetune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.llmcalc.core.memory.ModelStateCalculator;
import dev.llmcalc.core.memory.Optimizer;
import dev.llmcalc.core.memory.Precision;
import dev.llmcalc.core.memory.Training;
import dev.llmcalc.core.memory.ZeroStage;
import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.model.ModelPresets;
import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.unit.InvalidInputException;

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
    void tensorParallelismShouldBeRejectedForNow() {
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> FineTuningStateCalculator.perGpu(LLAMA_2_7B, Training.DEFAULT,
                        new FineTuning(TrainingMethod.LORA, 8, 16, Q_V, null), new Parallelism(1, 2, 1, 1, 1)))
                .satisfies((ex) -> assertThat(ex.field()).isEqualTo("parallelism.tensor"));
    }
}
