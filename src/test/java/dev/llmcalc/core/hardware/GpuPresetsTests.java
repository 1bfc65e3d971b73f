package dev.llmcalc.core.hardware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

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
        // plain edit distance would offer "h20-96gb" (6 edits) before "h800-sxm-80gb" (9) and "l4-24gb" for "gb200"
        assertThat(GpuPresets.closestIds("h800x", 3)).first().isEqualTo("h800-sxm-80gb");
        assertThat(GpuPresets.closestIds("gb200", 3)).first().isEqualTo("gb200-nvl72-186gb");
        assertThat(GpuPresets.closestIds("mi300", 3)).first().isEqualTo("mi300x-192gb");
    }

    private static GpuSpec gpu(String id) {
        return GpuPresets.find(id).orElseThrow();
    }

    private static double peak(String id, DType type) {
        return gpu(id).peakFlops(type).orElseThrow();
    }

    @Test
    void catalogShouldHoldTwentyFiveAcceleratorsOfFourVendorsEachWithASource() {
        assertThat(GpuPresets.all()).hasSizeGreaterThanOrEqualTo(25);
        assertThat(GpuPresets.all()).extracting(GpuSpec::vendor).containsOnly(Vendor.values()).doesNotContainNull();
        assertThat(GpuPresets.all()).allSatisfy((gpu) -> {
            assertThat(gpu.source()).as(gpu.id()).isNotBlank();
            assertThat(gpu.memoryBandwidth()).as(gpu.id()).isPositive();
        });
        assertThat(GpuPresets.by(Vendor.AMD)).extracting(GpuSpec::id)
                .containsExactly("mi250x-128gb", "mi300x-192gb", "mi325x-256gb", "mi355x-288gb");
        assertThat(Vendor.find(" amd ")).hasValue(Vendor.AMD);
        assertThat(Vendor.find("cerebras")).isEmpty();
    }

    @Test
    void everyNonTpuShouldHaveAHostLinkAndABoardPower() {
        // Google publishes neither for its TPUs (v6e: "PCIe Gen5", lanes not given); everyone else's datasheet does
        for (GpuSpec gpu : GpuPresets.all()) {
            if (gpu.vendor() == Vendor.GOOGLE) {
                assertThat(gpu.hostLinkBandwidth()).as(gpu.id()).isZero();
                assertThat(gpu.boardPowerWatts()).as(gpu.id()).isZero();
            }
            else {
                assertThat(gpu.hostLinkBandwidth()).as(gpu.id()).isIn(32e9, 64e9, 128e9, 225e9);
                assertThat(gpu.boardPowerWatts()).as(gpu.id()).isBetween(72, 1400);
            }
        }
    }

    @Test
    void existingPresetsShouldKeepTheirFiguresAndGainPowerAndHostLink() {
        // unchanged: 80 GiB, 989 TFLOP/s BF16, 450 / 50 GB/s; new: PCIe Gen5 x16 64 GB/s per direction, 700 W
        GpuSpec h100 = gpu("h100-sxm-80gb");
        assertThat(h100.memoryBytes()).isEqualTo(85_899_345_920L);
        assertThat(h100.intraNodeBandwidth()).isEqualTo(450e9);
        assertThat(h100.interNodeBandwidth()).isEqualTo(50e9);
        assertThat(h100.hostLinkBandwidth()).isEqualTo(64e9);
        assertThat(h100.boardPowerWatts()).isEqualTo(700);
        assertThat(h100.gpusPerNode()).isEqualTo(8);
        // A100 SXM4 datasheet: 400 W, PCIe Gen4 (64 GB/s both ways); H100 PCIe 350 W; B200 1,000 W; MI300X 750 W;
        // MI250X 560 W peak; L40S 350 W; RTX 4090 450 W; H200 700 W
        assertThat(gpu("a100-sxm-80gb").boardPowerWatts()).isEqualTo(400);
        assertThat(gpu("a100-sxm-40gb").hostLinkBandwidth()).isEqualTo(32e9);
        assertThat(gpu("h100-pcie-80gb").boardPowerWatts()).isEqualTo(350);
        assertThat(gpu("b200-192gb").boardPowerWatts()).isEqualTo(1000);
        assertThat(gpu("mi300x-192gb").boardPowerWatts()).isEqualTo(750);
        assertThat(gpu("mi250x-128gb").boardPowerWatts()).isEqualTo(560);
        assertThat(gpu("l40s-48gb").boardPowerWatts()).isEqualTo(350);
        assertThat(gpu("rtx-4090-24gb").boardPowerWatts()).isEqualTo(450);
        assertThat(gpu("h200-sxm-141gb").boardPowerWatts()).isEqualTo(700);
    }

    @Test
    void exportPartsShouldKeepTheComputeWithTheNvlinkCut() {
        // H800 datasheet: H100 SXM compute (1,979 / 3,958 TFLOPS with sparsity), 80 GB HBM3 3.35 TB/s, NVLink 400 GB/s
        // both ways; DeepSeek-V3 report §3.2.2: InfiniBand 50 GB/s per GPU
        GpuSpec h800 = gpu("h800-sxm-80gb");
        assertThat(h800.peakFlops()).isEqualTo(989e12);
        assertThat(h800.peakFlops(DType.FP8)).hasValue(1979e12);
        assertThat(h800.memoryBytes()).isEqualTo(85_899_345_920L);
        assertThat(h800.memoryBandwidth()).isCloseTo(3.35e12, withinPercentage(1e-12));
        assertThat(h800.intraNodeBandwidth()).isEqualTo(200e9);
        assertThat(h800.interNodeBandwidth()).isEqualTo(50e9);
        assertThat(h800.boardPowerWatts()).isEqualTo(700);
        // A800 datasheet: A100 compute (312 TFLOPS BF16), 80 GB HBM2e 2,039 GB/s, NVLink 400 GB/s both ways, 400 W
        GpuSpec a800 = gpu("a800-sxm-80gb");
        assertThat(a800.peakFlops()).isEqualTo(312e12);
        assertThat(a800.peakFlops(DType.FP8)).isEmpty();
        assertThat(a800.memoryBandwidth()).isCloseTo(2.039e12, withinPercentage(1e-12));
        assertThat(a800.intraNodeBandwidth()).isEqualTo(200e9);
        assertThat(a800.hostLinkBandwidth()).isEqualTo(32e9);
        // H20 brief: 148 TFLOPS BF16 and 296 FP8 dense, 96 GB HBM3 (96 · 2^30 = 103,079,215,104) at 4.0 TB/s,
        // NVLink 900 GB/s both ways, 400 W
        GpuSpec h20 = gpu("h20-96gb");
        assertThat(h20.peakFlops()).isEqualTo(148e12);
        assertThat(h20.peakFlops(DType.FP8)).hasValue(296e12);
        assertThat(h20.memoryBytes()).isEqualTo(103_079_215_104L);
        assertThat(h20.memoryBandwidth()).isCloseTo(4.0e12, withinPercentage(1e-12));
        assertThat(h20.intraNodeBandwidth()).isEqualTo(450e9);
        assertThat(h20.boardPowerWatts()).isEqualTo(400);
    }

    @Test
    void blackwellPartsShouldCarryTheirDatasheetFigures() {
        // GB200 NVL72 datasheet, per GPU = half a superchip: 10 / 20 PFLOPS BF16 / FP8 with sparsity -> 2.5 / 5 dense;
        // 372 GB / 2 = 186 GB (186 · 2^30 = 199,715,979,264) at 16 / 2 = 8 TB/s; NVLink 1.8 TB/s both ways;
        // NVLink-C2C 900 GB/s both ways shared by 2 GPUs -> 225 GB/s per direction; 72 GPUs per NVLink domain
        GpuSpec gb200 = gpu("gb200-nvl72-186gb");
        assertThat(gb200.peakFlops()).isEqualTo(2.5e15);
        assertThat(gb200.peakFlops(DType.FP8)).hasValue(5e15);
        assertThat(gb200.memoryBytes()).isEqualTo(199_715_979_264L);
        assertThat(gb200.memoryBandwidth()).isCloseTo(8e12, withinPercentage(1e-12));
        assertThat(gb200.intraNodeBandwidth()).isEqualTo(900e9);
        assertThat(gb200.hostLinkBandwidth()).isEqualTo(225e9);
        assertThat(gb200.gpusPerNode()).isEqualTo(72);
        assertThat(gb200.boardPowerWatts()).isEqualTo(1200);
        // HGX B300 datasheet / 8: 36 / 72 PFLOPS BF16 / FP8 with sparsity -> 2.25 / 4.5 dense per GPU; 288 GB
        // (309,237,645,312 bytes); PCIe Gen6 x16 128 GB/s per direction; ConnectX-8 800 Gb/s = 100 GB/s; 1,100 W
        GpuSpec b300 = gpu("b300-288gb");
        assertThat(b300.peakFlops()).isEqualTo(2.25e15);
        assertThat(b300.peakFlops(DType.FP8)).hasValue(4.5e15);
        assertThat(b300.memoryBytes()).isEqualTo(309_237_645_312L);
        assertThat(b300.hostLinkBandwidth()).isEqualTo(128e9);
        assertThat(b300.interNodeBandwidth()).isEqualTo(100e9);
        assertThat(b300.boardPowerWatts()).isEqualTo(1100);
    }

    @Test
    void clusterWithoutANodeSizeShouldTakeTheGpusOwn() {
        assertThat(Cluster.of(gpu("gb200-nvl72-186gb"), 144, null).gpusPerNode()).isEqualTo(72);
        assertThat(Cluster.of(gpu("gb200-nvl72-186gb"), 144, 4).gpusPerNode()).isEqualTo(4);
        assertThat(Cluster.of(gpu("h100-sxm-80gb"), 16, null).gpusPerNode()).isEqualTo(8);
    }

    @Test
    void amdPartsShouldCarryTheirDatasheetFigures() {
        // MI325X datasheet: MI300X compute (1,307.4 BF16, 2,614.9 FP8 TFLOPS dense), 256 GB HBM3e
        // (274,877,906,944 bytes) at 6 TB/s, 7 × 128 GB/s Infinity Fabric both ways = 448 per direction, 1,000 W
        GpuSpec mi325x = gpu("mi325x-256gb");
        assertThat(mi325x.peakFlops()).isEqualTo(1307.4e12);
        assertThat(mi325x.peakFlops(DType.FP8)).hasValue(2614.9e12);
        assertThat(mi325x.memoryBytes()).isEqualTo(274_877_906_944L);
        assertThat(mi325x.memoryBandwidth()).isCloseTo(6e12, withinPercentage(1e-12));
        assertThat(mi325x.intraNodeBandwidth()).isEqualTo(448e9);
        assertThat(mi325x.boardPowerWatts()).isEqualTo(1000);
        // MI355X datasheet: 2.5 / 5 PFLOPS BF16 / FP8 dense (2,516.6 / 5,033.2 TFLOPS), no TF32, 288 GB at 8 TB/s,
        // 7 × 153.6 GB/s Infinity Fabric = 1,075.2 GB/s both ways -> 537.6 per direction, 1,400 W
        GpuSpec mi355x = gpu("mi355x-288gb");
        assertThat(mi355x.peakFlops()).isCloseTo(2516.6e12, withinPercentage(1e-12));
        assertThat(peak("mi355x-288gb", DType.FP8)).isCloseTo(5033.2e12, withinPercentage(1e-12));
        assertThat(mi355x.peakFlops(DType.TF32)).isEmpty();
        assertThat(mi355x.memoryBytes()).isEqualTo(309_237_645_312L);
        assertThat(mi355x.intraNodeBandwidth()).isCloseTo(537.6e9, withinPercentage(1e-12));
        assertThat(mi355x.boardPowerWatts()).isEqualTo(1400);
    }

    @Test
    void gaudi3ShouldRunFp8AtTheBf16RateOverItsOwnEthernet() {
        // Gaudi 3 white paper: BF16 and FP8 1,835 TFLOPS each; 128 GB HBM2e (137,438,953,472 bytes) at 3.7 TB/s;
        // 21 of 24 200 GbE ports to the 7 peers = 525 GB/s per direction, 3 out of the node = 75 GB/s; 900 W
        GpuSpec gaudi3 = gpu("gaudi3-128gb");
        assertThat(gaudi3.vendor()).isEqualTo(Vendor.INTEL);
        assertThat(gaudi3.peakFlops()).isEqualTo(1835e12);
        assertThat(gaudi3.peakFlops(DType.FP8)).hasValue(1835e12);
        assertThat(gaudi3.memoryBytes()).isEqualTo(137_438_953_472L);
        assertThat(gaudi3.memoryBandwidth()).isCloseTo(3.7e12, withinPercentage(1e-12));
        assertThat(gaudi3.intraNodeBandwidth()).isEqualTo(525e9);
        assertThat(gaudi3.interNodeBandwidth()).isEqualTo(75e9);
        assertThat(gaudi3.boardPowerWatts()).isEqualTo(900);
    }

    @Test
    void pcieCardsShouldCarryTheirDatasheetFigures() {
        // L40 datasheet: 181.05 TFLOPS BF16, 362 FP8 dense; 48 GB GDDR6 864 GB/s; 300 W
        assertThat(gpu("l40-48gb").peakFlops()).isEqualTo(181.05e12);
        assertThat(peak("l40-48gb", DType.FP8)).isEqualTo(362e12);
        assertThat(gpu("l40-48gb").boardPowerWatts()).isEqualTo(300);
        // L4 datasheet: 242 / 485 TFLOPS BF16 / FP8 with sparsity -> 121 / 242.5; 300 GB/s; 72 W
        assertThat(gpu("l4-24gb").peakFlops()).isEqualTo(121e12);
        assertThat(peak("l4-24gb", DType.FP8)).isEqualTo(242.5e12);
        assertThat(gpu("l4-24gb").memoryBandwidth()).isCloseTo(0.3e12, withinPercentage(1e-12));
        assertThat(gpu("l4-24gb").boardPowerWatts()).isEqualTo(72);
        // A10 datasheet: 125 TFLOPS BF16 dense, 600 GB/s, 150 W; A10G (AWS): 70 TFLOPS, same memory, 300 W
        assertThat(gpu("a10-24gb").peakFlops()).isEqualTo(125e12);
        assertThat(gpu("a10-24gb").boardPowerWatts()).isEqualTo(150);
        assertThat(gpu("a10g-24gb").peakFlops()).isEqualTo(70e12);
        assertThat(gpu("a10g-24gb").memoryBandwidth()).isCloseTo(0.6e12, withinPercentage(1e-12));
        assertThat(gpu("a10g-24gb").boardPowerWatts()).isEqualTo(300);
        // no NVLink on any of them: the intra-node link is PCIe Gen4 x16, 32 GB/s per direction, as is the host link
        for (String id : new String[] { "l40-48gb", "l4-24gb", "a10-24gb", "a10g-24gb" }) {
            assertThat(gpu(id).intraNodeBandwidth()).as(id).isEqualTo(32e9);
            assertThat(gpu(id).hostLinkBandwidth()).as(id).isEqualTo(32e9);
            assertThat(gpu(id).memoryBytes()).as(id).isIn(25_769_803_776L, 51_539_607_552L);
        }
    }

    @Test
    void tpusShouldBeStatedPerChipWithTheirPodAsTheNode() {
        // Cloud TPU system architecture pages: v5e 197 TFLOPS BF16 / 393 TOPS INT8, 16 GB HBM2 (17,179,869,184 bytes)
        // 819 GB/s, ICI 400 GB/s both ways, 256-chip pod, 2 × 100 Gb/s NICs per 8 chips
        GpuSpec v5e = gpu("tpu-v5e-16gb");
        assertThat(v5e.peakFlops()).isEqualTo(197e12);
        assertThat(v5e.peakFlops(DType.INT8)).hasValue(393e12);
        assertThat(v5e.memoryBytes()).isEqualTo(17_179_869_184L);
        assertThat(v5e.memoryBandwidth()).isCloseTo(0.819e12, withinPercentage(1e-12));
        assertThat(v5e.intraNodeBandwidth()).isEqualTo(200e9);
        assertThat(v5e.interNodeBandwidth()).isEqualTo(3.125e9);
        assertThat(v5e.gpusPerNode()).isEqualTo(256);
        // v5p: 459 TFLOPS BF16, 95 GB HBM2e (102,005,473,280 bytes) 2,765 GB/s, ICI 4,800 Gb/s = 600 GB/s
        GpuSpec v5p = gpu("tpu-v5p-95gb");
        assertThat(v5p.peakFlops()).isEqualTo(459e12);
        assertThat(v5p.memoryBytes()).isEqualTo(102_005_473_280L);
        assertThat(v5p.memoryBandwidth()).isCloseTo(2.765e12, withinPercentage(1e-12));
        assertThat(v5p.intraNodeBandwidth()).isEqualTo(600e9);
        // v6e: 918 TFLOPS BF16 / 1,836 TOPS INT8, 32 GB (34,359,738,368 bytes) 1,638 GB/s, ICI 800 GB/s both ways
        GpuSpec v6e = gpu("tpu-v6e-32gb");
        assertThat(v6e.peakFlops()).isEqualTo(918e12);
        assertThat(v6e.peakFlops(DType.INT8)).hasValue(1836e12);
        assertThat(v6e.memoryBytes()).isEqualTo(34_359_738_368L);
        assertThat(v6e.memoryBandwidth()).isCloseTo(1.638e12, withinPercentage(1e-12));
        assertThat(v6e.intraNodeBandwidth()).isEqualTo(400e9);
        assertThat(v6e.peakFlops(DType.FP16)).isEmpty();
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
