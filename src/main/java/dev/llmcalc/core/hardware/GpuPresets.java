package dev.llmcalc.core.hardware;

import static dev.llmcalc.core.unit.DType.BF16;
import static dev.llmcalc.core.unit.DType.FP16;
import static dev.llmcalc.core.unit.DType.FP32;
import static dev.llmcalc.core.unit.DType.FP8;
import static dev.llmcalc.core.unit.DType.TF32;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.llmcalc.core.model.EditDistance;
import dev.llmcalc.core.unit.DType;
import dev.llmcalc.core.unit.Units;

/**
 * The built-in GPU catalog. Peak FLOP/s are the vendors' dense figures (NVIDIA's datasheets print
 * "with sparsity" numbers; dense is half of those). FP32 is IEEE FP32 (vector units on NVIDIA, matrix
 * cores on AMD), TF32 is listed apart. Intra-node bandwidth is the GPU's own link (NVLink, Infinity
 * Fabric or PCIe) per direction; inter-node bandwidth is an assumed typical deployment (one NIC per GPU,
 * speed named in each source), since it is a property of the cluster rather than of the GPU. Memory
 * bandwidth: A100 40GB 1,555 GB/s, A100 80GB 2,039 GB/s, H100 SXM 3.35 TB/s, H100 PCIe 2.0 TB/s, H200 4.8 TB/s,
 * B200 8 TB/s, MI250X 3.2768 TB/s, MI300X 5.3 TB/s, L40S 864 GB/s, RTX 4090 1,008 GB/s (the same datasheets).
 */
public final class GpuPresets {

    private static final double TERA = 1e12;

    private static final double GB_PER_S = 1e9;

    private static final Map<String, GpuSpec> PRESETS = new LinkedHashMap<>();

    static {
        // A100 datasheet: BF16/FP16 312 TFLOPS dense (624 sparse), TF32 156, FP32 19.5; NVLink 3 600 GB/s both ways
        add("a100-sxm-40gb", 1.555, "NVIDIA A100 SXM4 40GB", 40,
                Map.of(BF16, 312 * TERA, FP16, 312 * TERA, TF32, 156 * TERA, FP32, 19.5 * TERA), 300, 25,
                "NVIDIA A100 datasheet (SXM4); inter-node: one 200 Gb/s HDR InfiniBand NIC per GPU (DGX A100)");
        add("a100-sxm-80gb", 2.039, "NVIDIA A100 SXM4 80GB", 80,
                Map.of(BF16, 312 * TERA, FP16, 312 * TERA, TF32, 156 * TERA, FP32, 19.5 * TERA), 300, 25,
                "NVIDIA A100 datasheet (SXM4); inter-node: one 200 Gb/s HDR InfiniBand NIC per GPU (DGX A100)");
        // H100 SXM datasheet: BF16/FP16 1,979 and FP8 3,958 TFLOPS with sparsity -> 989 / 1,979 dense; TF32 989 -> 494.5;
        // FP32 67; NVLink 4 900 GB/s both ways
        add("h100-sxm-80gb", 3.35, "NVIDIA H100 SXM5 80GB", 80,
                Map.of(BF16, 989 * TERA, FP16, 989 * TERA, FP8, 1979 * TERA, TF32, 494.5 * TERA, FP32, 67 * TERA),
                450, 50, "NVIDIA H100 datasheet (SXM); inter-node: one 400 Gb/s NDR InfiniBand NIC per GPU (DGX H100)");
        // H100 PCIe datasheet: BF16/FP16 1,513 and FP8 3,026 TFLOPS with sparsity -> 756 / 1,513 dense; TF32 756 -> 378;
        // FP32 51; PCIe Gen5 x16 128 GB/s both ways (the optional NVLink bridge joins pairs only and is not assumed)
        add("h100-pcie-80gb", 2.0, "NVIDIA H100 PCIe 80GB", 80,
                Map.of(BF16, 756 * TERA, FP16, 756 * TERA, FP8, 1513 * TERA, TF32, 378 * TERA, FP32, 51 * TERA),
                64, 25, "NVIDIA H100 datasheet (PCIe); inter-node: one 200 Gb/s NIC per GPU (assumed)");
        // H200 datasheet: the H100 SXM compute (BF16 989 dense, FP8 1,979 dense) with 141 GB HBM3e; NVLink 4 900 GB/s
        add("h200-sxm-141gb", 4.8, "NVIDIA H200 SXM 141GB", 141,
                Map.of(BF16, 989 * TERA, FP16, 989 * TERA, FP8, 1979 * TERA, TF32, 494.5 * TERA, FP32, 67 * TERA),
                450, 50, "NVIDIA H200 datasheet (SXM); inter-node: one 400 Gb/s NDR InfiniBand NIC per GPU");
        // HGX B200 datasheet per GPU: BF16/FP16 4.5 and FP8 9 PFLOPS with sparsity -> 2.25 / 4.5 dense; TF32 2.2 -> 1.1;
        // FP32 75; NVLink 5 1.8 TB/s both ways. 192 GB is the part's HBM3e; HGX/DGX B200 systems expose 180 GB.
        add("b200-192gb", 8.0, "NVIDIA B200 192GB", 192,
                Map.of(BF16, 2250 * TERA, FP16, 2250 * TERA, FP8, 4500 * TERA, TF32, 1100 * TERA, FP32, 75 * TERA),
                900, 50, "NVIDIA HGX B200 datasheet; inter-node: one 400 Gb/s NIC per GPU (DGX B200)");
        // AMD Instinct MI250X datasheet (no sparsity figures): BF16/FP16 383 TFLOPS, FP32 matrix 95.7, no FP8 or TF32;
        // Infinity Fabric 8 links, 800 GB/s peak aggregate both ways. The package is two GCDs (two 64 GB devices).
        add("mi250x-128gb", 3.2768, "AMD Instinct MI250X 128GB", 128,
                Map.of(BF16, 383 * TERA, FP16, 383 * TERA, FP32, 95.7 * TERA), 400, 25,
                "AMD Instinct MI250X datasheet; inter-node: 200 Gb/s Slingshot per package (Frontier)");
        // AMD Instinct MI300X datasheet: BF16/FP16 1,307.4 TFLOPS dense (2,614.9 sparse), FP8 2,614.9 dense, TF32 653.7,
        // FP32 163.4; 7 Infinity Fabric links of 128 GB/s both ways = 896 GB/s
        add("mi300x-192gb", 5.3, "AMD Instinct MI300X 192GB", 192,
                Map.of(BF16, 1307.4 * TERA, FP16, 1307.4 * TERA, FP8, 2614.9 * TERA, TF32, 653.7 * TERA,
                        FP32, 163.4 * TERA),
                448, 50, "AMD Instinct MI300X datasheet; inter-node: one 400 Gb/s NIC per GPU");
        // L40S datasheet: BF16/FP16 362.05 and FP8 733 TFLOPS dense (733 / 1,466 sparse), TF32 183, FP32 91.6;
        // PCIe Gen4 x16 64 GB/s both ways, no NVLink
        add("l40s-48gb", 0.864, "NVIDIA L40S 48GB", 48,
                Map.of(BF16, 362.05 * TERA, FP16, 362.05 * TERA, FP8, 733 * TERA, TF32, 183 * TERA, FP32, 91.6 * TERA),
                32, 25, "NVIDIA L40S datasheet; inter-node: one 200 Gb/s NIC per GPU (assumed)");
        // Ada Lovelace whitepaper, GeForce RTX 4090: BF16/FP16 with FP32 accumulate 165.2 TFLOPS dense, FP8 (FP32
        // accumulate) 330.3, TF32 82.6, FP32 82.6; PCIe Gen4 x16, no NVLink
        add("rtx-4090-24gb", 1.008, "NVIDIA GeForce RTX 4090 24GB", 24,
                Map.of(BF16, 165.2 * TERA, FP16, 165.2 * TERA, FP8, 330.3 * TERA, TF32, 82.6 * TERA, FP32, 82.6 * TERA),
                32, 12.5, "NVIDIA Ada Lovelace GPU architecture whitepaper, Appendix A; inter-node: 100 Gb/s Ethernet (assumed)");
    }

    private GpuPresets() {
    }

    /**
     * @param memoryTBps device-memory bandwidth from the same datasheet, TB/s (10^12 bytes/s)
     * @param gib advertised memory, read as GiB (2^30 bytes)
     * @param intraNodeGBps intra-node link, GB/s (10^9 bytes/s) per direction
     * @param interNodeGBps inter-node network, GB/s (10^9 bytes/s) per direction
     */
    private static void add(String id, double memoryTBps, String name, long gib, Map<DType, Double> densePeakFlops, double intraNodeGBps,
            double interNodeGBps, String source) {
        PRESETS.put(id, new GpuSpec(id, name, gib * Units.GIB, densePeakFlops, intraNodeGBps * GB_PER_S,
                interNodeGBps * GB_PER_S, source, memoryTBps * TERA));
    }

    /** The preset with this id, matched case-insensitively. */
    public static Optional<GpuSpec> find(String id) {
        return Optional.ofNullable(PRESETS.get(id.trim().toLowerCase(Locale.ROOT)));
    }

    public static List<GpuSpec> all() {
        return List.copyOf(PRESETS.values());
    }

    /** Up to {@code limit} known ids closest to {@code id} (edit distance), for "did you mean" answers. */
    public static List<String> closestIds(String id, int limit) {
        return EditDistance.closest(id, PRESETS.keySet(), limit);
    }
}
