package dev.llmcalc.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

import dev.llmcalc.core.hardware.Cluster;
import dev.llmcalc.core.hardware.GpuPresets;
import dev.llmcalc.core.hardware.GpuSpec;
import dev.llmcalc.core.hardware.KernelEfficiency;
import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.model.ModelPresets;
import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.run.ActivationOptions;
import dev.llmcalc.core.run.AttentionKernel;
import dev.llmcalc.core.run.BatchShape;
import dev.llmcalc.core.run.Offload;
import dev.llmcalc.core.run.OffloadDevice;
import dev.llmcalc.core.run.Optimizer;
import dev.llmcalc.core.run.Precision;
import dev.llmcalc.core.run.Recomputation;
import dev.llmcalc.core.run.Training;
import dev.llmcalc.core.run.TrainingRun;
import dev.llmcalc.core.run.ZeroStage;
import dev.llmcalc.core.unit.DType;
import dev.llmcalc.core.unit.InvalidInputException;

/** Issue 16: ZeRO-Offload's and ZeRO-Infinity's transfers and CPU optimizer step in the step time. */
class OffloadStepTimeTests {

    private static final Architecture LLAMA_2_7B = ModelPresets.find("llama-2-7b").orElseThrow().architecture();

    // Llama-2-7B's exact parameter count
    private static final double PHI = 6_738_415_616.0;

    private static final GpuSpec H100 = GpuPresets.find("h100-sxm-80gb").orElseThrow();

    private static final Cluster EIGHT_H100 = Cluster.of(H100, 8, null);

    private static final ActivationOptions FLASH = new ActivationOptions(Recomputation.NONE, AttentionKernel.FLASH,
            false, false, false, true, DType.BF16);

    private static StepTime step(ZeroStage zero, Offload offload, long globalBatch) {
        TrainingRun run = TrainingRun.full(LLAMA_2_7B, new BatchShape(1, 4096, globalBatch),
                new Training(Precision.MIXED_BF16, Optimizer.ADAMW, zero, offload), FLASH,
                Parallelism.dataParallel(8));
        return StepTimeModel.step(run, EIGHT_H100, KernelEfficiency.HOPPER);
    }

    @Test
    void zero2WithTheOptimizerOnTheCpuShouldAddTheCpuAdamStepAndTheHostLinkTrips() {
        // Llama-2-7B, mixed bf16 AdamW, ZeRO-2 over 8 H100 (one node), optimizer offloaded to the CPU, one micro-batch
        // per step (global batch 8). Each GPU's partition is Φ/8 = 842,301,952 parameters; the node's 8 ranks together
        // update 8 · Φ/8 = Φ = 6,738,415,616 parameters at CPU-Adam's 10e9 / 2.57 parameters/s: Φ · 2.57 / 1e10 =
        // 1.7318 s, not overlapped. Host link (PCIe Gen5 x16) 64 GB/s per direction: the fp32 gradient partition to
        // the host, 842,301,952 · 4 B / 64e9 = 0.0526 s, hides behind the micro-batch's backward (≈ 0.4 s); the
        // updated bf16 partition back, 842,301,952 · 2 B / 64e9 = 0.0263 s, is exposed.
        StepTime step = step(ZeroStage.ZERO_2, new Offload(OffloadDevice.CPU, OffloadDevice.NONE), 8);
        OffloadTime offload = step.offload();
        double partition = PHI / 8;
        assertThat(offload.cpuOptimizerSeconds()).isCloseTo(PHI * 2.57 / 1e10, within(1e-12));
        assertThat(offload.cpuOptimizerSeconds()).isCloseTo(1.7318, within(1e-4));
        assertThat(offload.gradientsToHostSeconds()).isCloseTo(partition * 4 / 64e9, within(1e-15));
        assertThat(offload.exposedGradientsSeconds()).isZero();
        assertThat(offload.weightsToGpuSeconds()).isCloseTo(partition * 2 / 64e9, within(1e-15));
        assertThat(offload.weightsToGpuSeconds()).isCloseTo(0.02632, within(1e-5));
        assertThat(offload.nvmeOptimizerSeconds()).isZero();
        assertThat(offload.weightFetchSeconds()).isZero();
        assertThat(step.offloadSeconds()).isCloseTo(PHI * 2.57 / 1e10 + partition * 2 / 64e9, within(1e-12));
        // the GPU no longer runs the optimizer step; the step adds the offload part
        assertThat(step.kernels().optimizerSeconds()).isZero();
        assertThat(step.totalSeconds()).isCloseTo(step.computeSeconds() + step.bubbleSeconds()
                + step.exposedCommunicationSeconds() + step.offloadSeconds(), within(1e-12));
        // the same run without offload updates on the GPU in a few milliseconds and has no offload part
        StepTime onGpu = step(ZeroStage.ZERO_2, Offload.NONE, 8);
        assertThat(onGpu.offload()).isNull();
        assertThat(onGpu.offloadSeconds()).isZero();
        assertThat(onGpu.kernels().optimizerSeconds()).isPositive().isLessThan(0.02);
        assertThat(step.totalSeconds() - onGpu.totalSeconds()).isGreaterThan(1.7);
    }

    @Test
    void gradientAccumulationShouldSendTheAccumulatedGradientEveryMicroBatch() {
        // 128 micro-batches: each backward sends the bf16 partition to the host accumulation buffer (842,301,952 · 2 B
        // / 64e9 = 0.0263 s, hidden behind its backward), the last also the fp32 copy: 128 · 0.0263 + 0.0526 s over
        // the step, none exposed
        OffloadTime offload = step(ZeroStage.ZERO_2, new Offload(OffloadDevice.CPU, OffloadDevice.NONE), 1024)
                .offload();
        double partition = PHI / 8;
        assertThat(offload.gradientsToHostSeconds()).isCloseTo(128 * partition * 2 / 64e9 + partition * 4 / 64e9,
                within(1e-12));
        assertThat(offload.exposedGradientsSeconds()).isZero();
        // with a slow link the trips exceed each backward: a 1 GB/s link takes 1.68 s per bf16 trip
        assertThat(OffloadTime.exposedGradientsSeconds(partition, 128, 2, 1e9, 0.4))
                .isCloseTo(127 * (partition * 2 / 1e9 - 0.4) + (partition * 6 / 1e9 - 0.4), within(1e-9));
    }

    @Test
    void nvmeShouldReadAndWriteTheOptimizerStatesAtTheNodesBandwidth() {
        // ZeRO-3, optimizer on NVMe: the node's 8 partitions (Φ) of 12 B states read and written and 4 B fp32
        // gradients written and read: Φ · 32 B / 28e9 B/s = 7.70 s
        OffloadTime offload = step(ZeroStage.ZERO_3, new Offload(OffloadDevice.NVME, OffloadDevice.NONE), 8)
                .offload();
        assertThat(offload.nvmeOptimizerSeconds()).isCloseTo(PHI * 32 / 28e9, within(1e-9));
        // a faster array, given in the request, shortens it in proportion
        OffloadTime faster = step(ZeroStage.ZERO_3, new Offload(OffloadDevice.NVME, OffloadDevice.NONE, 10e9 / 2.57,
                56e9), 8).offload();
        assertThat(faster.nvmeOptimizerSeconds()).isCloseTo(offload.nvmeOptimizerSeconds() / 2, within(1e-9));
    }

    @Test
    void parameterOffloadShouldFetchTheWeightsForEachPassAndExposeWhatExceedsTheCompute() {
        // ZeRO-3 with weights on the host: each micro-batch's forward and backward fetch the bf16 partition,
        // 842,301,952 · 2 B / 64e9 = 0.0263 s, well inside the passes' compute: nothing exposed
        OffloadTime cpu = step(ZeroStage.ZERO_3, new Offload(OffloadDevice.CPU, OffloadDevice.CPU), 8).offload();
        assertThat(cpu.weightFetchSeconds()).isCloseTo(2 * PHI / 8 * 2 / 64e9, within(1e-12));
        assertThat(cpu.exposedWeightFetchSeconds()).isZero();
        // from NVMe at 1 GB/s per node the node's 8 ranks read Φ · 2 B per pass: 13.48 s, exposed beyond the compute
        StepTime slow = step(ZeroStage.ZERO_3, new Offload(OffloadDevice.NVME, OffloadDevice.NVME, 10e9 / 2.57, 1e9),
                8);
        double perPass = PHI * 2 / 1e9;
        assertThat(slow.offload().weightFetchSeconds()).isCloseTo(2 * perPass, within(1e-9));
        double passes = slow.kernels().totalSeconds();
        double forward = (passes - slow.kernels().recomputationSeconds()) / 3;
        assertThat(slow.offload().exposedWeightFetchSeconds())
                .isCloseTo(perPass - forward + perPass - (passes - forward), within(1e-9));
        assertThat(slow.bound()).isEqualTo("offload");
    }

    @Test
    void anUnknownHostLinkShouldPriceNoTransfers() {
        assertThat(OffloadTime.linkSeconds(1e9, 0)).isZero();
        assertThat(OffloadTime.weightFetchSecondsPerPass(1e9, 2, 0, false, 8, 28e9)).isZero();
    }

    @Test
    void hostSpeedsShouldBePositive() {
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> new Offload(OffloadDevice.CPU, OffloadDevice.NONE, 0, 28e9))
                .satisfies((ex) -> assertThat(ex.field()).isEqualTo("offload.cpuAdamParametersPerSecond"));
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> new Offload(OffloadDevice.CPU, OffloadDevice.NONE, 1e9, Double.NaN))
                .satisfies((ex) -> assertThat(ex.field()).isEqualTo("offload.nvmeBandwidth"));
    }
}
