package dev.llmcalc.core.hardware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.llmcalc.core.unit.DType;
import dev.llmcalc.core.unit.InvalidInputException;

class GpuPresetsTests {

    @Test
    void catalogShouldHoldTheIdsTheApiPromises() {
        // api.md "Preset ids", GPUs
        assertThat(GpuPresets.all()).extracting(GpuSpec::id).contains("a100-sxm-40gb", "a100-sxm-80gb",
                "h100-sxm-80gb", "h100-pcie-80gb", "h200-sxm-141gb", "b200-192gb", "mi250x-128gb", "mi300x-192gb",
                "l40s-48gb", "rtx-4090-24gb");
    }

    @Test
    void findShouldIgnoreCaseAndSurroundingSpace() {
        assertThat(GpuPresets.find(" H100-SXM-80GB ")).get().extracting(GpuSpec::id).isEqualTo("h100-sxm-80gb");
        assertThat(GpuPresets.find("h100")).isEmpty();
    }

    @Test
    void memoryShouldBeTheAdvertisedCapacityInGiB() {
        // "80GB" HBM3 = 5 stacks × 16 GiB = 80 · 2^30 = 85,899,345,920 bytes
        assertThat(GpuPresets.find("h100-sxm-80gb").orElseThrow().memoryBytes()).isEqualTo(85_899_345_920L);
        // 141 · 2^30 = 151,397,597,184
        assertThat(GpuPresets.find("h200-sxm-141gb").orElseThrow().memoryBytes()).isEqualTo(151_397_597_184L);
        // 24 · 2^30 = 25,769,803,776
        assertThat(GpuPresets.find("rtx-4090-24gb").orElseThrow().memoryBytes()).isEqualTo(25_769_803_776L);
    }

    @Test
    void peakFlopsShouldBeTheDenseBf16Figures() {
        // A100 datasheet 312 TFLOPS BF16 (624 with sparsity); H100 SXM 1,979 with sparsity -> 989 dense
        assertThat(GpuPresets.find("a100-sxm-80gb").orElseThrow().peakFlops()).isEqualTo(312e12);
        assertThat(GpuPresets.find("h100-sxm-80gb").orElseThrow().peakFlops()).isEqualTo(989e12);
        assertThat(GpuPresets.find("mi300x-192gb").orElseThrow().peakFlops()).isEqualTo(1307.4e12);
        assertThat(GpuPresets.find("a100-sxm-40gb").orElseThrow().peakFlops(DType.FP8)).isEmpty();
        assertThat(GpuPresets.find("h100-sxm-80gb").orElseThrow().peakFlops(DType.FP8)).hasValue(1979e12);
    }

    @Test
    void everyPresetShouldMixNoSparsityFigures() {
        // dense FP8 runs at twice dense BF16 and TF32 at half of it on every part that has them; a sparse figure
        // copied by mistake would be off by a factor of 2 (B200's 2.2 PFLOPS TF32 and L40S's 733 FP8 are ~2% off)
        // Gaudi 3's matrix engines run FP8 at the BF16 rate (Gaudi 3 white paper: 1,835 TFLOPS each), so it is exempt
        for (GpuSpec gpu : GpuPresets.all()) {
            if (!gpu.id().equals("gaudi3-128gb")) {
                gpu.peakFlops(DType.FP8).ifPresent((fp8) -> assertThat(fp8 / gpu.peakFlops()).as(gpu.id())
                        .isCloseTo(2.0, within(0.05)));
            }
            gpu.peakFlops(DType.TF32).ifPresent((tf32) -> assertThat(tf32 / gpu.peakFlops()).as(gpu.id())
                    .isCloseTo(0.5, within(0.025)));
            gpu.peakFlops(DType.FP16).ifPresent((fp16) -> assertThat(fp16).as(gpu.id()).isEqualTo(gpu.peakFlops()));
            assertThat(gpu.intraNodeBandwidth()).as(gpu.id()).isGreaterThan(gpu.interNodeBandwidth());
        }
    }

    @Test
    void closestIdsShouldSuggestTheNearestPresets() {
        assertThat(GpuPresets.closestIds("H100-SXM", 3)).first().isEqualTo("h100-sxm-80gb");
        assertThat(GpuPresets.closestIds("a100-80gb", 2)).containsExactly("a100-sxm-80gb", "a100-sxm-40gb");
    }

    @Test
    void customGpuShouldNeedPositiveFigures() {
        GpuSpec gpu = GpuSpec.custom(64L << 30, 500e12, 200e9, 25e9);
        assertThat(gpu.id()).isEqualTo("custom");
        assertThat(gpu.peakFlops()).isEqualTo(500e12);
        assertThat(gpu.densePeakFlops()).containsOnlyKeys(DType.BF16);
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> GpuSpec.custom(64L << 30, 0, 200e9, 25e9))
                .satisfies((ex) -> assertThat(ex.field()).isEqualTo("peakFlops"));
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> GpuSpec.custom(0, 500e12, 200e9, 25e9))
                .satisfies((ex) -> assertThat(ex.field()).isEqualTo("memoryBytes"));
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> new GpuSpec("x", "x", 1, Map.of(DType.FP16, 1e12), 1, 1, "test"))
                .satisfies((ex) -> assertThat(ex.field()).isEqualTo("peakFlops"));
    }

    @Test
    void clusterShouldNeedAtLeastOneGpu() {
        GpuSpec gpu = GpuPresets.find("h100-sxm-80gb").orElseThrow();
        assertThatExceptionOfType(InvalidInputException.class).isThrownBy(() -> new Cluster(gpu, 0, 8))
                .satisfies((ex) -> assertThat(ex.field()).isEqualTo("gpuCount"));
        assertThat(new Cluster(gpu, 4, Cluster.DEFAULT_GPUS_PER_NODE).gpusPerNode()).isEqualTo(8);
    }
}
