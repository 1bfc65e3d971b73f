package dev.llmcalc.core.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import org.junit.jupiter.api.Test;

import dev.llmcalc.core.DocumentFormula;
import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.model.ModelPresets;
import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.run.Offload;
import dev.llmcalc.core.run.OffloadDevice;
import dev.llmcalc.core.run.Optimizer;
import dev.llmcalc.core.run.Precision;
import dev.llmcalc.core.run.Training;
import dev.llmcalc.core.run.ZeroStage;
import dev.llmcalc.core.unit.InvalidInputException;

/** Issue 16's ZeRO-Offload case by hand (Φ = 6,738,415,616 for Llama-2-7B). */
class OffloadTests {

    private static final Architecture LLAMA_2_7B = ModelPresets.find("llama-2-7b").orElseThrow().architecture();

    private static final long PHI = 6_738_415_616L;

    private static Training training(ZeroStage zero, Offload offload) {
        return new Training(Precision.MIXED_BF16, Optimizer.ADAMW, zero, offload);
    }

    @Test
    void zero2WithTheOptimizerOnTheCpuShouldKeepWeightsAndTheGradientShardOnTheGpu() {
        Training training = training(ZeroStage.ZERO_2, new Offload(OffloadDevice.CPU, OffloadDevice.NONE));
        ModelStates states = ModelStateCalculator.forModel(LLAMA_2_7B, training, Parallelism.dataParallel(8));
        // 2Φ bf16 weights + 2Φ/8 bf16 gradient shard; no optimizer states on the GPU
        assertThat(states.perGpu().weightsBytes()).isEqualTo(2 * PHI);
        assertThat(states.perGpu().gradientsBytes()).isEqualTo(2 * PHI / 8);
        assertThat(states.perGpu().optimizerStatesBytes()).isZero();
        OffloadedStates host = states.offloaded();
        // the node's 8 ranks hold 12Φ of fp32 master, momentum and variance, and 4Φ of fp32 gradients for CPU Adam
        assertThat(host.buffers()).hasSize(2);
        assertThat(host.buffers().get(0).bytesPerGpu() * 8).isEqualTo(80_860_987_392L).isEqualTo(12 * PHI);
        assertThat(host.bytesPerNode(OffloadDevice.CPU, 8)).isEqualTo(16 * PHI);
        assertThat(host.bytesPerGpu(OffloadDevice.NVME)).isZero();
    }

    @Test
    void theDeepSpeedProfileShouldBeDeepSpeedsOwnEstimator() {
        Training training = training(ZeroStage.ZERO_2, new Offload(OffloadDevice.CPU, OffloadDevice.NONE));
        // estimate_zero2_model_states_mem_needs(Φ, 8, 1, cpu_offload=True): GPU 2Φ, CPU Φ·max(4·8, 16)·1.5 = 48Φ
        DocumentFormula deepSpeed = ModelStateCalculator.deepSpeedFormula(PHI, 0, training,
                Parallelism.dataParallel(8), 8, 2 * PHI + 2 * PHI / 8, 16 * PHI);
        assertThat(deepSpeed.value()).isEqualTo(2.0 * PHI);
        assertThat(deepSpeed.exact()).isFalse();
        assertThat(deepSpeed.note()).contains("host memory per node " + 48 * PHI + " bytes");
        // without offload: GPU 4Φ + 16Φ/8
        DocumentFormula plain = ModelStateCalculator.deepSpeedFormula(PHI, 0,
                training(ZeroStage.ZERO_2, Offload.NONE), Parallelism.dataParallel(8), 8, 0, 0);
        assertThat(plain.value()).isEqualTo(4.0 * PHI + 2.0 * PHI);
        assertThat(ModelStateCalculator.deepSpeedFormula(PHI, 0, training(ZeroStage.ZERO_1, Offload.NONE),
                Parallelism.dataParallel(8), 8, 0, 0)).isNull();
    }

    @Test
    void zero3WithParametersOffloadedShouldKeepOnlyTheLargestLayerOnTheGpu() {
        Training training = training(ZeroStage.ZERO_3, new Offload(OffloadDevice.CPU, OffloadDevice.NVME));
        ModelStates states = ModelStateCalculator.forModel(LLAMA_2_7B, training, Parallelism.dataParallel(8));
        // the embedding (and the untied LM head), 32,000 × 4,096, is the largest module: bf16 weights and gradients
        long largest = 32_000L * 4096;
        assertThat(states.perGpu().weightsBytes()).isEqualTo(2 * largest);
        assertThat(states.perGpu().gradientsBytes()).isEqualTo(2 * largest);
        assertThat(states.offloaded().bytesPerGpu(OffloadDevice.NVME)).isEqualTo(2 * PHI / 8);
    }

    @Test
    void offloadWithoutTheZeroStageItNeedsShouldBeRefused() {
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> training(ZeroStage.ZERO_1, new Offload(OffloadDevice.CPU, OffloadDevice.CPU)))
                .satisfies((ex) -> assertThat(ex.field()).isEqualTo("offload.parameters"));
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> training(ZeroStage.ZERO_0, new Offload(OffloadDevice.CPU, OffloadDevice.NONE)))
                .satisfies((ex) -> assertThat(ex.field()).isEqualTo("offload.optimizer"));
    }
}
