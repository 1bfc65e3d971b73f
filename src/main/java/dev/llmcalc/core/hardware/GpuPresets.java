package dev.llmcalc.core.hardware;

import static dev.llmcalc.core.unit.DType.BF16;
import static dev.llmcalc.core.unit.DType.FP16;
import static dev.llmcalc.core.unit.DType.FP32;
import static dev.llmcalc.core.unit.DType.FP8;
import static dev.llmcalc.core.unit.DType.INT8;
import static dev.llmcalc.core.unit.DType.TF32;

import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.llmcalc.core.model.EditDistance;
import dev.llmcalc.core.unit.DType;
import dev.llmcalc.core.unit.Units;

/**
 * The built-in accelerator catalog. Peak FLOP/s are the vendors' dense figures (NVIDIA's datasheets print
 * "with sparsity" numbers; dense is half of those). FP32 is IEEE FP32 (vector units on NVIDIA, matrix
 * cores on AMD), TF32 is listed apart. Intra-node bandwidth is the GPU's own link (NVLink, Infinity
 * Fabric, Gaudi's on-die RoCE ports, TPU ICI or PCIe) per direction; inter-node bandwidth is an assumed typical
 * deployment (the NIC is named in each source), since it is a property of the cluster rather than of the GPU.
 * Host link: the GPU's PCIe or NVLink-C2C link to its CPU, per direction. Board power: the vendor's rated
 * TDP / total board power. Each entry's comment names the datasheet its figures come from.
 */
public final class GpuPresets {

    private static final double TERA = 1e12;

    private static final double GB_PER_S = 1e9;

    // PCI-SIG: 16 GT/s × 16 lanes ≈ 32 GB/s per direction, the "64 GB/s" (both ways) of NVIDIA's and AMD's datasheets
    private static final double PCIE_GEN4_X16_GBPS = 32;

    // PCI-SIG: 32 GT/s × 16 lanes ≈ 64 GB/s per direction, the datasheets' "128 GB/s"
    private static final double PCIE_GEN5_X16_GBPS = 64;

    // PCI-SIG: 64 GT/s × 16 lanes ≈ 128 GB/s per direction, the datasheets' "256 GB/s"
    private static final double PCIE_GEN6_X16_GBPS = 128;

    // NVIDIA Grace Hopper / Grace Blackwell datasheets: NVLink-C2C 900 GB/s both ways
    private static final double NVLINK_C2C_GBPS = 450;

    /** Unknown host link or board power (the vendor publishes none). */
    private static final int UNKNOWN = 0;

    private static final Map<String, GpuSpec> PRESETS = new LinkedHashMap<>();

    static {
        // ---- NVIDIA, Ampere -------------------------------------------------------------------------------------
        // A100 datasheet: BF16/FP16 312 TFLOPS dense (624 sparse), TF32 156, FP32 19.5; NVLink 3 600 GB/s both ways;
        // HBM2 1,555 GB/s (40GB), HBM2e 2,039 GB/s (80GB); PCIe Gen4; max TDP 400 W (SXM4)
        gpu("a100-sxm-40gb", "NVIDIA A100 SXM4 40GB", Vendor.NVIDIA).gib(40).memoryTBps(1.555)
                .peaks(Map.of(BF16, 312 * TERA, FP16, 312 * TERA, TF32, 156 * TERA, FP32, 19.5 * TERA))
                .intraGBps(300).interGBps(25).hostGBps(PCIE_GEN4_X16_GBPS).watts(400)
                .hostGiB(1024)
                .multiprocessors(108)
                .source("NVIDIA A100 datasheet (SXM4); inter-node: one 200 Gb/s HDR InfiniBand NIC per GPU (DGX A100)"
                        + "; host memory per node: 1 TB (DGX A100 320GB system)");
        gpu("a100-sxm-80gb", "NVIDIA A100 SXM4 80GB", Vendor.NVIDIA).gib(80).memoryTBps(2.039)
                .peaks(Map.of(BF16, 312 * TERA, FP16, 312 * TERA, TF32, 156 * TERA, FP32, 19.5 * TERA))
                .intraGBps(300).interGBps(25).hostGBps(PCIE_GEN4_X16_GBPS).watts(400)
                .hostGiB(2048)
                .multiprocessors(108)
                .source("NVIDIA A100 datasheet (SXM4); inter-node: one 200 Gb/s HDR InfiniBand NIC per GPU (DGX A100)"
                        + "; host memory per node: 2 TB (DGX A100 640GB system)");
        // A800 datasheet (SXM4 80GB): the A100's compute and memory, NVLink cut to 400 GB/s both ways (200 per
        // direction) for export to China; PCIe Gen4; 400 W
        gpu("a800-sxm-80gb", "NVIDIA A800 SXM4 80GB", Vendor.NVIDIA).gib(80).memoryTBps(2.039)
                .peaks(Map.of(BF16, 312 * TERA, FP16, 312 * TERA, TF32, 156 * TERA, FP32, 19.5 * TERA))
                .intraGBps(200).interGBps(25).hostGBps(PCIE_GEN4_X16_GBPS).watts(400)
                .multiprocessors(108)
                .source("NVIDIA A800 datasheet (SXM4 80GB); inter-node: one 200 Gb/s HDR InfiniBand NIC per GPU");
        // A10 datasheet: BF16/FP16 125 TFLOPS dense (250 sparse), TF32 62.5 (125), FP32 31.2; 24 GB GDDR6 600 GB/s;
        // PCIe Gen4, no NVLink; 150 W
        gpu("a10-24gb", "NVIDIA A10 24GB", Vendor.NVIDIA).gib(24).memoryTBps(0.6)
                .peaks(Map.of(BF16, 125 * TERA, FP16, 125 * TERA, TF32, 62.5 * TERA, FP32, 31.2 * TERA))
                .intraGBps(PCIE_GEN4_X16_GBPS).interGBps(3.125).hostGBps(PCIE_GEN4_X16_GBPS).watts(150)
                .multiprocessors(72)
                .source("NVIDIA A10 datasheet; inter-node: one 25 Gb/s Ethernet NIC per GPU (assumed)");
        // A10G (AWS G5 only; NVIDIA publishes no datasheet): GA102 with the GeForce-rate tensor cores, BF16/FP16 70
        // TFLOPS dense, TF32 35, FP32 35 (Baseten, "NVIDIA A10 vs A10G for ML model inference", spec table);
        // 24 GB GDDR6 600 GB/s; PCIe Gen4; 300 W (TechPowerUp GPU database)
        gpu("a10g-24gb", "NVIDIA A10G 24GB", Vendor.NVIDIA).gib(24).memoryTBps(0.6)
                .peaks(Map.of(BF16, 70 * TERA, FP16, 70 * TERA, TF32, 35 * TERA, FP32, 35 * TERA))
                .intraGBps(PCIE_GEN4_X16_GBPS).interGBps(1.5625).hostGBps(PCIE_GEN4_X16_GBPS).watts(300)
                .multiprocessors(80)
                .source("Baseten, \"NVIDIA A10 vs A10G for ML model inference\" (AWS publishes no A10G datasheet); "
                        + "inter-node: AWS g5.48xlarge, 100 Gb/s shared by 8 GPUs = 12.5 Gb/s per GPU");
        // ---- NVIDIA, Hopper -------------------------------------------------------------------------------------
        // H100 SXM datasheet: BF16/FP16 1,979 and FP8 3,958 TFLOPS with sparsity -> 989 / 1,979 dense; TF32 989 -> 494.5;
        // FP32 67; NVLink 4 900 GB/s both ways; HBM3 3.35 TB/s; PCIe Gen5; up to 700 W
        gpu("h100-sxm-80gb", "NVIDIA H100 SXM5 80GB", Vendor.NVIDIA).gib(80).memoryTBps(3.35)
                .peaks(Map.of(BF16, 989 * TERA, FP16, 989 * TERA, FP8, 1979 * TERA, TF32, 494.5 * TERA, FP32, 67 * TERA))
                .intraGBps(450).interGBps(50).hostGBps(PCIE_GEN5_X16_GBPS).watts(700)
                .hostGiB(2048)
                .multiprocessors(132)
                .source("NVIDIA H100 datasheet (SXM); inter-node: one 400 Gb/s NDR InfiniBand NIC per GPU (DGX H100)"
                        + "; host memory per node: 2 TB (DGX H100)");
        // H100 PCIe datasheet: BF16/FP16 1,513 and FP8 3,026 TFLOPS with sparsity -> 756 / 1,513 dense; TF32 756 -> 378;
        // FP32 51; HBM2e 2.0 TB/s; PCIe Gen5 x16 128 GB/s both ways (the optional NVLink bridge joins pairs only and
        // is not assumed); 300-350 W
        gpu("h100-pcie-80gb", "NVIDIA H100 PCIe 80GB", Vendor.NVIDIA).gib(80).memoryTBps(2.0)
                .peaks(Map.of(BF16, 756 * TERA, FP16, 756 * TERA, FP8, 1513 * TERA, TF32, 378 * TERA, FP32, 51 * TERA))
                .intraGBps(64).interGBps(25).hostGBps(PCIE_GEN5_X16_GBPS).watts(350)
                .multiprocessors(114)
                .source("NVIDIA H100 datasheet (PCIe); inter-node: one 200 Gb/s NIC per GPU (assumed)");
        // H100 NVL datasheet: BF16/FP16 1,671 and FP8 3,341 TFLOPS with sparsity -> 835.5 / 1,670.5 dense; TF32 835 ->
        // 417.5; FP32 60; 94 GB HBM3 3.9 TB/s; PCIe Gen5 (the NVLink bridge, 600 GB/s, joins pairs only); 350-400 W
        gpu("h100-nvl-94gb", "NVIDIA H100 NVL 94GB", Vendor.NVIDIA).gib(94).memoryTBps(3.9)
                .peaks(Map.of(BF16, 835.5 * TERA, FP16, 835.5 * TERA, FP8, 1670.5 * TERA, TF32, 417.5 * TERA,
                        FP32, 60 * TERA))
                .intraGBps(PCIE_GEN5_X16_GBPS).interGBps(25).hostGBps(PCIE_GEN5_X16_GBPS).watts(400)
                .multiprocessors(132)
                .source("NVIDIA H100 datasheet (H100 NVL); inter-node: one 200 Gb/s NIC per GPU (assumed)");
        // H800 SXM datasheet: the H100 SXM's compute and 80 GB HBM3 at 3.35 TB/s, NVLink cut to 400 GB/s both ways
        // (200 per direction) for export to China; PCIe Gen5; 700 W. Inter-node: DeepSeek-V3 report §3.1/§3.2.2,
        // "IB (50 GB/s)" per GPU and NVLink "160 GB/s" achieved (the datasheet's 200 is kept here)
        gpu("h800-sxm-80gb", "NVIDIA H800 SXM5 80GB", Vendor.NVIDIA).gib(80).memoryTBps(3.35)
                .peaks(Map.of(BF16, 989 * TERA, FP16, 989 * TERA, FP8, 1979 * TERA, TF32, 494.5 * TERA, FP32, 67 * TERA))
                .intraGBps(200).interGBps(50).hostGBps(PCIE_GEN5_X16_GBPS).watts(700)
                .multiprocessors(132)
                .source("NVIDIA H800 datasheet (SXM); inter-node: one 400 Gb/s InfiniBand NIC per GPU, 50 GB/s "
                        + "(DeepSeek-V3 technical report, §3.2.2)");
        // H20 product brief (China-market Hopper): BF16/FP16 148 TFLOPS dense (296 sparse), FP8 296 dense (592),
        // TF32 74, FP32 44; 96 GB HBM3 4.0 TB/s; NVLink 900 GB/s both ways; PCIe Gen5; 400 W
        gpu("h20-96gb", "NVIDIA H20 96GB", Vendor.NVIDIA).gib(96).memoryTBps(4.0)
                .peaks(Map.of(BF16, 148 * TERA, FP16, 148 * TERA, FP8, 296 * TERA, TF32, 74 * TERA, FP32, 44 * TERA))
                .intraGBps(450).interGBps(50).hostGBps(PCIE_GEN5_X16_GBPS).watts(400)
                .source("NVIDIA HGX H20 product brief (as published to partners and widely reported); inter-node: one "
                        + "400 Gb/s NIC per GPU (assumed)");
        // H200 datasheet: the H100 SXM compute (BF16 989 dense, FP8 1,979 dense) with 141 GB HBM3e at 4.8 TB/s;
        // NVLink 4 900 GB/s; PCIe Gen5; up to 700 W
        gpu("h200-sxm-141gb", "NVIDIA H200 SXM 141GB", Vendor.NVIDIA).gib(141).memoryTBps(4.8)
                .peaks(Map.of(BF16, 989 * TERA, FP16, 989 * TERA, FP8, 1979 * TERA, TF32, 494.5 * TERA, FP32, 67 * TERA))
                .intraGBps(450).interGBps(50).hostGBps(PCIE_GEN5_X16_GBPS).watts(700)
                .hostGiB(2048)
                .multiprocessors(132)
                .source("NVIDIA H200 datasheet (SXM); inter-node: one 400 Gb/s NDR InfiniBand NIC per GPU"
                        + "; host memory per node: 2 TB (DGX H200)");
        // ---- NVIDIA, Blackwell ----------------------------------------------------------------------------------
        // HGX B200 datasheet per GPU: BF16/FP16 4.5 and FP8 9 PFLOPS with sparsity -> 2.25 / 4.5 dense; TF32 2.2 -> 1.1;
        // FP32 75; NVLink 5 1.8 TB/s both ways; HBM3e 8 TB/s; 1,000 W. 192 GB is the part's HBM3e; HGX/DGX B200
        // systems expose 180 GB. Host link: PCIe Gen5 x16 as HGX B200 boards run it.
        gpu("b200-192gb", "NVIDIA B200 192GB", Vendor.NVIDIA).gib(192).memoryTBps(8.0)
                .peaks(Map.of(BF16, 2250 * TERA, FP16, 2250 * TERA, FP8, 4500 * TERA, TF32, 1100 * TERA, FP32, 75 * TERA))
                .intraGBps(900).interGBps(50).hostGBps(PCIE_GEN5_X16_GBPS).watts(1000)
                .hostGiB(2048)
                .source("NVIDIA HGX B200 datasheet; inter-node: one 400 Gb/s NIC per GPU (DGX B200)"
                        + "; host memory per node: 2 TB, configurable to 4 TB (DGX B200)");
        // GB200 NVL72 datasheet, one of the rack's 72 GPUs (the superchip's figures halved): FP16/BF16 10 and FP8 20
        // PFLOPS with sparsity per superchip -> 2.5 / 5 dense per GPU; TF32 5 -> 1.25; FP32 160 TFLOPS -> 80; HBM3e
        // 372 GB and 16 TB/s -> 186 GB and 8 TB/s; NVLink 5 1.8 TB/s both ways to all 72 GPUs. Host link: the
        // superchip's 900 GB/s (both ways) NVLink-C2C to Grace is shared by its two GPUs -> 225 GB/s per GPU per
        // direction when both use it. Board power: NVIDIA's datasheet gives none per GPU; 1,200 W is the GB200 GPU's
        // rated maximum in OEM thermal guides. The NVL72 has no separate "B200 in NVL72": its GPU is this one.
        gpu("gb200-nvl72-186gb", "NVIDIA GB200 NVL72 (per GPU) 186GB", Vendor.NVIDIA).gib(186).memoryTBps(8.0)
                .peaks(Map.of(BF16, 2500 * TERA, FP16, 2500 * TERA, FP8, 5000 * TERA, TF32, 1250 * TERA, FP32, 80 * TERA))
                .intraGBps(900).interGBps(50).hostGBps(NVLINK_C2C_GBPS / 2).watts(1200).gpusPerNode(72)
                .hostBytes(17_280_000_000_000L)
                .source("NVIDIA GB200 NVL72 datasheet (per GPU: the GB200 superchip's figures halved); node = the "
                        + "72-GPU NVLink domain; inter-node: one 400 Gb/s ConnectX-7 NIC per GPU"
                        + "; host memory per node: 36 Grace CPUs × 480 GB LPDDR5X, \"up to 17 TB\" (NVL72 datasheet)");
        // HGX B300 datasheet (8 GPUs, figures per GPU = eighth): FP16/BF16 36 and FP8 72 PFLOPS with sparsity -> 2.25 /
        // 4.5 dense; TF32 18 -> 1.125; FP32 600 TFLOPS -> 75; 2.3 TB HBM3e -> 288 GB at 8 TB/s; NVLink 5 1.8 TB/s both
        // ways; PCIe Gen6 host interface; ConnectX-8 800 Gb/s per GPU; 1,100 W per GPU (HGX B300)
        gpu("b300-288gb", "NVIDIA B300 (Blackwell Ultra) 288GB", Vendor.NVIDIA).gib(288).memoryTBps(8.0)
                .peaks(Map.of(BF16, 2250 * TERA, FP16, 2250 * TERA, FP8, 4500 * TERA, TF32, 1125 * TERA, FP32, 75 * TERA))
                .intraGBps(900).interGBps(100).hostGBps(PCIE_GEN6_X16_GBPS).watts(1100)
                .hostGiB(2048)
                .source("NVIDIA HGX B300 datasheet (per GPU: an eighth of the board); inter-node: one 800 Gb/s "
                        + "ConnectX-8 SuperNIC per GPU; host memory per node: 2 TB (DGX B300)");
        // ---- NVIDIA, Ada Lovelace -------------------------------------------------------------------------------
        // L40S datasheet: BF16/FP16 362.05 and FP8 733 TFLOPS dense (733 / 1,466 sparse), TF32 183, FP32 91.6; 48 GB
        // GDDR6 864 GB/s; PCIe Gen4 x16 64 GB/s both ways, no NVLink; 350 W
        gpu("l40s-48gb", "NVIDIA L40S 48GB", Vendor.NVIDIA).gib(48).memoryTBps(0.864)
                .peaks(Map.of(BF16, 362.05 * TERA, FP16, 362.05 * TERA, FP8, 733 * TERA, TF32, 183 * TERA,
                        FP32, 91.6 * TERA))
                .intraGBps(32).interGBps(25).hostGBps(PCIE_GEN4_X16_GBPS).watts(350)
                .multiprocessors(142)
                .source("NVIDIA L40S datasheet; inter-node: one 200 Gb/s NIC per GPU (assumed)");
        // L40 datasheet: BF16/FP16 181.05 TFLOPS dense (362.1 sparse), FP8 362 (724), TF32 90.5 (181), FP32 90.5;
        // 48 GB GDDR6 864 GB/s; PCIe Gen4 x16, no NVLink; 300 W
        gpu("l40-48gb", "NVIDIA L40 48GB", Vendor.NVIDIA).gib(48).memoryTBps(0.864)
                .peaks(Map.of(BF16, 181.05 * TERA, FP16, 181.05 * TERA, FP8, 362 * TERA, TF32, 90.5 * TERA,
                        FP32, 90.5 * TERA))
                .intraGBps(PCIE_GEN4_X16_GBPS).interGBps(25).hostGBps(PCIE_GEN4_X16_GBPS).watts(300)
                .multiprocessors(142)
                .source("NVIDIA L40 datasheet; inter-node: one 200 Gb/s NIC per GPU (assumed)");
        // L4 datasheet: FP8 485, BF16/FP16 242, TF32 120 TFLOPS with sparsity -> 242.5 / 121 / 60 dense; FP32 30.3;
        // 24 GB GDDR6 300 GB/s; PCIe Gen4 x16; 72 W
        gpu("l4-24gb", "NVIDIA L4 24GB", Vendor.NVIDIA).gib(24).memoryTBps(0.3)
                .peaks(Map.of(BF16, 121 * TERA, FP16, 121 * TERA, FP8, 242.5 * TERA, TF32, 60 * TERA, FP32, 30.3 * TERA))
                .intraGBps(PCIE_GEN4_X16_GBPS).interGBps(1.5625).hostGBps(PCIE_GEN4_X16_GBPS).watts(72)
                .multiprocessors(58)
                .source("NVIDIA L4 datasheet; inter-node: Google Cloud g2-standard-96, 100 Gb/s shared by 8 GPUs");
        // Ada Lovelace whitepaper, GeForce RTX 4090: BF16/FP16 with FP32 accumulate 165.2 TFLOPS dense, FP8 (FP32
        // accumulate) 330.3, TF32 82.6, FP32 82.6; 24 GB GDDR6X 1,008 GB/s; PCIe Gen4 x16, no NVLink; 450 W
        gpu("rtx-4090-24gb", "NVIDIA GeForce RTX 4090 24GB", Vendor.NVIDIA).gib(24).memoryTBps(1.008)
                .peaks(Map.of(BF16, 165.2 * TERA, FP16, 165.2 * TERA, FP8, 330.3 * TERA, TF32, 82.6 * TERA,
                        FP32, 82.6 * TERA))
                .intraGBps(32).interGBps(12.5).hostGBps(PCIE_GEN4_X16_GBPS).watts(450)
                .multiprocessors(128)
                .source("NVIDIA Ada Lovelace GPU architecture whitepaper, Appendix A; inter-node: 100 Gb/s Ethernet "
                        + "(assumed)");
        // ---- AMD Instinct ---------------------------------------------------------------------------------------
        // MI250X datasheet (no sparsity figures): BF16/FP16 383 TFLOPS, FP32 matrix 95.7, no FP8 or TF32; HBM2e
        // 3.2768 TB/s; Infinity Fabric 8 links, 800 GB/s peak aggregate both ways; PCIe Gen4 x16; 500 W, 560 W peak.
        // The package is two GCDs (two 64 GB devices).
        gpu("mi250x-128gb", "AMD Instinct MI250X 128GB", Vendor.AMD).gib(128).memoryTBps(3.2768)
                .peaks(Map.of(BF16, 383 * TERA, FP16, 383 * TERA, FP32, 95.7 * TERA))
                .intraGBps(400).interGBps(25).hostGBps(PCIE_GEN4_X16_GBPS).watts(560)
                .multiprocessors(220)
                .source("AMD Instinct MI250X datasheet; inter-node: 200 Gb/s Slingshot per package (Frontier)");
        // MI300X datasheet: BF16/FP16 1,307.4 TFLOPS dense (2,614.9 sparse), FP8 2,614.9 dense, TF32 653.7, FP32 163.4;
        // HBM3 5.3 TB/s; 7 Infinity Fabric links of 128 GB/s both ways = 896 GB/s; PCIe Gen5 x16; 750 W peak
        gpu("mi300x-192gb", "AMD Instinct MI300X 192GB", Vendor.AMD).gib(192).memoryTBps(5.3)
                .peaks(Map.of(BF16, 1307.4 * TERA, FP16, 1307.4 * TERA, FP8, 2614.9 * TERA, TF32, 653.7 * TERA,
                        FP32, 163.4 * TERA))
                .intraGBps(448).interGBps(50).hostGBps(PCIE_GEN5_X16_GBPS).watts(750)
                .multiprocessors(304)
                .source("AMD Instinct MI300X datasheet; inter-node: one 400 Gb/s NIC per GPU");
        // MI325X datasheet: the MI300X's compute (BF16/FP16 1,307.4, FP8 2,614.9, TF32 653.7, FP32 163.4 TFLOPS dense)
        // with 256 GB HBM3e at 6 TB/s; the same 7 × 128 GB/s Infinity Fabric links; PCIe Gen5 x16; 1,000 W peak
        gpu("mi325x-256gb", "AMD Instinct MI325X 256GB", Vendor.AMD).gib(256).memoryTBps(6.0)
                .peaks(Map.of(BF16, 1307.4 * TERA, FP16, 1307.4 * TERA, FP8, 2614.9 * TERA, TF32, 653.7 * TERA,
                        FP32, 163.4 * TERA))
                .intraGBps(448).interGBps(50).hostGBps(PCIE_GEN5_X16_GBPS).watts(1000)
                .multiprocessors(304)
                .source("AMD Instinct MI325X datasheet; inter-node: one 400 Gb/s NIC per GPU");
        // MI355X datasheet (CDNA 4): BF16/FP16 2,516.6 and FP8 5,033.2 TFLOPS dense (double with sparsity), FP32 157.3;
        // no TF32 listed; 288 GB HBM3e at 8 TB/s; 7 Infinity Fabric links of 153.6 GB/s both ways = 1,075.2 GB/s;
        // PCIe Gen5 x16; 1,400 W (liquid-cooled)
        gpu("mi355x-288gb", "AMD Instinct MI355X 288GB", Vendor.AMD).gib(288).memoryTBps(8.0)
                .peaks(Map.of(BF16, 2516.6 * TERA, FP16, 2516.6 * TERA, FP8, 5033.2 * TERA, FP32, 157.3 * TERA))
                .intraGBps(537.6).interGBps(50).hostGBps(PCIE_GEN5_X16_GBPS).watts(1400)
                .multiprocessors(256)
                .source("AMD Instinct MI355X datasheet; inter-node: one 400 Gb/s Pensando Pollara NIC per GPU");
        // ---- Intel Gaudi ----------------------------------------------------------------------------------------
        // Gaudi 3 white paper (HL-325L OAM): matrix engines BF16 1,835 and FP8 1,835 TFLOPS (FP8 runs at the BF16 rate;
        // no sparsity); 128 GB HBM2e 3.7 TB/s; 24 on-die 200 GbE RoCE ports: in an 8-card HLS-Gaudi 3 board 21 go to
        // the 7 peers (3 each, 21 × 25 GB/s = 525 GB/s per direction) and 3 leave the node (75 GB/s); PCIe Gen5 x16;
        // 900 W (air-cooled OAM)
        gpu("gaudi3-128gb", "Intel Gaudi 3 128GB", Vendor.INTEL).gib(128).memoryTBps(3.7)
                .peaks(Map.of(BF16, 1835 * TERA, FP8, 1835 * TERA))
                .intraGBps(525).interGBps(75).hostGBps(PCIE_GEN5_X16_GBPS).watts(900)
                .source("Intel Gaudi 3 AI accelerator white paper (HL-325L); inter-node: the 3 scale-out 200 GbE "
                        + "ports per card of an HLS-Gaudi 3 board");
        // ---- Google Cloud TPU: a chip as a "GPU". Intra-node = ICI, which spans the whole pod (a 2D/3D torus, not a
        // switch), so a node here is the largest slice; a ring along one torus axis sees fewer links than the
        // per-chip total. Google publishes no board power or host-link width (v6e: PCIe Gen5, lanes not given).
        // TPU v5e system architecture: 197 TFLOPS BF16, 393 TOPS INT8; 16 GB HBM2 819 GB/s; ICI 400 GB/s both ways
        // per chip (1,600 Gb/s); 8 chips and 2 × 100 Gb/s NICs per host; 256-chip pod
        gpu("tpu-v5e-16gb", "Google Cloud TPU v5e 16GB", Vendor.GOOGLE).gib(16).memoryTBps(0.819)
                .peaks(Map.of(BF16, 197 * TERA, INT8, 393 * TERA))
                .intraGBps(200).interGBps(3.125).hostGBps(UNKNOWN).watts(UNKNOWN).gpusPerNode(256)
                .source("Google Cloud TPU v5e system architecture; node = the 256-chip pod on ICI; inter-node (DCN): "
                        + "2 × 100 Gb/s NICs per 8-chip host = 25 Gb/s per chip");
        // TPU v5p system architecture: 459 TFLOPS BF16; 95 GB HBM2e 2,765 GB/s; ICI 4,800 Gb/s per chip (600 GB/s per
        // direction, read as v5e's 1,600 Gb/s is); 3D torus, largest slice 6,144 chips
        gpu("tpu-v5p-95gb", "Google Cloud TPU v5p 95GB", Vendor.GOOGLE).gib(95).memoryTBps(2.765)
                .peaks(Map.of(BF16, 459 * TERA))
                .intraGBps(600).interGBps(25).hostGBps(UNKNOWN).watts(UNKNOWN).gpusPerNode(6144)
                .source("Google Cloud TPU v5p system architecture; node = the largest 6,144-chip slice on ICI; "
                        + "inter-node (DCN): 200 Gb/s per chip (assumed; Google gives no per-chip figure)");
        // TPU v6e (Trillium) system architecture: 918 TFLOPS BF16, 1,836 TOPS INT8; 32 GB HBM 1,638 GB/s; ICI 800 GB/s
        // both ways per chip; 8 chips per host; 256-chip pod; DCN 25.6 Tb/s per pod = 100 Gb/s per chip
        gpu("tpu-v6e-32gb", "Google Cloud TPU v6e (Trillium) 32GB", Vendor.GOOGLE).gib(32).memoryTBps(1.638)
                .peaks(Map.of(BF16, 918 * TERA, INT8, 1836 * TERA))
                .intraGBps(400).interGBps(12.5).hostGBps(UNKNOWN).watts(UNKNOWN).gpusPerNode(256)
                .source("Google Cloud TPU v6e system architecture; node = the 256-chip pod on ICI; inter-node (DCN): "
                        + "25.6 Tb/s per pod = 100 Gb/s per chip");
    }

    private GpuPresets() {
    }

    /** The preset with this id, matched case-insensitively. */
    public static Optional<GpuSpec> find(String id) {
        return Optional.ofNullable(PRESETS.get(id.trim().toLowerCase(Locale.ROOT)));
    }

    public static List<GpuSpec> all() {
        return List.copyOf(PRESETS.values());
    }

    /** The presets made by {@code vendor}, in catalog order. */
    public static List<GpuSpec> by(Vendor vendor) {
        return PRESETS.values().stream().filter((gpu) -> gpu.vendor() == vendor).toList();
    }

    /**
     * Up to {@code limit} known ids closest to {@code id}, for "did you mean" answers. Plain edit distance favours
     * the shortest ids ("a100-80gb" is 3 edits from "a10-24gb" but 4 from "a100-sxm-80gb"), so ids are ranked by
     * the hyphen-separated parts of {@code id} they lack, then by the edit distance to their first as many parts
     * ("h800x" against "h800"), then to the whole id, then by name.
     */
    public static List<String> closestIds(String id, int limit) {
        String wanted = id.trim().toLowerCase(Locale.ROOT);
        List<String> parts = List.of(wanted.split("-", -1));
        return PRESETS.keySet().stream()
                .sorted(Comparator.comparingLong((String known) -> parts.stream()
                                .filter((part) -> !List.of(known.split("-")).contains(part)).count())
                        .thenComparingInt((known) -> EditDistance.between(wanted, firstParts(known, parts.size())))
                        .thenComparingInt((known) -> EditDistance.between(wanted, known))
                        .thenComparing(Comparator.naturalOrder()))
                .limit(limit)
                .toList();
    }

    private static String firstParts(String id, int count) {
        String[] parts = id.split("-");
        return String.join("-", Arrays.asList(parts).subList(0, Math.min(count, parts.length)));
    }

    private static Entry gpu(String id, String name, Vendor vendor) {
        return new Entry(id, name, vendor);
    }

    /** One catalog line, in the units datasheets print; {@link #source} completes it and adds it to the catalog. */
    private static final class Entry {

        private final String id;

        private final String name;

        private final Vendor vendor;

        private long gib;

        private double memoryTBps;

        private Map<DType, Double> peaks;

        private double intraGBps;

        private double interGBps;

        private double hostGBps;

        private int watts;

        private int gpusPerNode = Cluster.DEFAULT_GPUS_PER_NODE;

        private long hostBytes;

        private int multiprocessors;

        Entry(String id, String name, Vendor vendor) {
            this.id = id;
            this.name = name;
            this.vendor = vendor;
        }

        /** Advertised memory, read as GiB (2^30 bytes). */
        Entry gib(long gib) {
            this.gib = gib;
            return this;
        }

        /** Device-memory bandwidth, TB/s (10^12 bytes/s). */
        Entry memoryTBps(double memoryTBps) {
            this.memoryTBps = memoryTBps;
            return this;
        }

        /** Dense peak FLOP/s by data type. */
        Entry peaks(Map<DType, Double> peaks) {
            this.peaks = peaks;
            return this;
        }

        /** Intra-node link, GB/s (10^9 bytes/s) per direction. */
        Entry intraGBps(double intraGBps) {
            this.intraGBps = intraGBps;
            return this;
        }

        /** Inter-node network, GB/s per direction. */
        Entry interGBps(double interGBps) {
            this.interGBps = interGBps;
            return this;
        }

        /** Link to the host CPU, GB/s per direction ({@link #UNKNOWN} when not published). */
        Entry hostGBps(double hostGBps) {
            this.hostGBps = hostGBps;
            return this;
        }

        /** Rated board power, watts ({@link #UNKNOWN} when not published). */
        Entry watts(int watts) {
            this.watts = watts;
            return this;
        }

        /** CPU memory of the usual system's node, GiB (0 when not published for a reference system). */
        Entry hostGiB(long hostGiB) {
            this.hostBytes = Math.multiplyExact(hostGiB, Units.GIB);
            return this;
        }

        /** The same in bytes, for memory published in decimal units (LPDDR5X "480 GB" per Grace CPU). */
        Entry hostBytes(long hostBytes) {
            this.hostBytes = hostBytes;
            return this;
        }

        /** Streaming multiprocessors (compute units on AMD), from the architecture whitepaper or datasheet. */
        Entry multiprocessors(int multiprocessors) {
            this.multiprocessors = multiprocessors;
            return this;
        }

        Entry gpusPerNode(int gpusPerNode) {
            this.gpusPerNode = gpusPerNode;
            return this;
        }

        void source(String source) {
            PRESETS.put(this.id, new GpuSpec(this.id, this.name, this.vendor, Math.multiplyExact(this.gib, Units.GIB),
                    this.peaks, this.memoryTBps * TERA, this.intraGBps * GB_PER_S, this.interGBps * GB_PER_S,
                    this.hostGBps * GB_PER_S, this.watts, this.gpusPerNode, this.hostBytes,
                    this.multiprocessors, source));
        }
    }
}
