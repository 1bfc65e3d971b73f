package dev.llmcalc.core.hardware;

import static dev.llmcalc.core.unit.InvalidInputException.require;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.OptionalDouble;

import dev.llmcalc.core.unit.DType;

/**
 * One accelerator, as the calculations see it.
 *
 * <p>Memory: vendors quote HBM and GDDR capacity in binary units, so an "80 GB" H100 holds
 * 80 GiB = 80·2^30 bytes (five 16 GiB HBM3 stacks). {@code memoryBytes} is that advertised capacity
 * in GiB × 2^30; what a process can allocate is a few percent less (ECC, driver and CUDA context).
 * Link bandwidths are decimal (GB/s = 10^9 bytes/s), as vendors quote them, and per direction: a datasheet's
 * "900 GB/s NVLink" or "128 GB/s PCIe Gen5 x16" counts both directions, so it is 450 or 64 here.
 *
 * @param id lower-case, hyphenated id ({@code h100-sxm-80gb}); {@code custom} for one described in a request
 * @param name the product name
 * @param vendor who makes it; null for a GPU described in a request without one
 * @param memoryBytes device memory in bytes (see above)
 * @param densePeakFlops peak FLOP/s per data type, dense (no 2:4 sparsity), on tensor/matrix cores where
 *        the type has them (INT8 in operations/s); always has {@link DType#BF16}, other types only where the
 *        vendor publishes one
 * @param memoryBandwidth device-memory (HBM/GDDR) bandwidth, bytes/s, or 0 when unknown
 * @param intraNodeBandwidth bytes/s per GPU per direction to the GPUs of its own node
 * @param interNodeBandwidth bytes/s per GPU per direction to other nodes
 * @param hostLinkBandwidth bytes/s per GPU per direction to its host CPU (PCIe or NVLink-C2C), or 0 when unknown
 * @param boardPowerWatts the board's rated power (TDP / total board power), watts, or 0 when unknown
 * @param gpusPerNode GPUs that share the intra-node links in the usual system (8 on an HGX board, 72 in an
 *        NVL72 rack, a whole TPU pod on its inter-chip interconnect): the default for a cluster's node size
 * @param hostMemoryBytesPerNode CPU memory of the usual system's node (a DGX's), bytes, or 0 when unknown: what
 *        offloaded optimizer states, parameters and checkpoints must fit in
 * @param multiprocessors streaming multiprocessors (NVIDIA) or compute units (AMD) that run a GEMM's thread blocks, or 0
 *        when not published (no tile and wave quantization is then priced)
 * @param source where the figures come from
 */
public record GpuSpec(String id, String name, Vendor vendor, long memoryBytes, Map<DType, Double> densePeakFlops,
        double memoryBandwidth, double intraNodeBandwidth, double interNodeBandwidth, double hostLinkBandwidth,
        int boardPowerWatts, int gpusPerNode, long hostMemoryBytesPerNode, int multiprocessors, String source) {

    public GpuSpec {
        require(memoryBytes >= 1, "memoryBytes", "must be at least 1");
        require(densePeakFlops != null && densePeakFlops.get(DType.BF16) != null, "peakFlops",
                "is required (dense BF16 FLOP/s)");
        densePeakFlops.forEach((type, flops) -> require(flops != null && flops > 0 && Double.isFinite(flops),
                type == DType.BF16 ? "peakFlops" : "peakFlops." + type, "must be a positive number of FLOP/s"));
        require(intraNodeBandwidth > 0 && Double.isFinite(intraNodeBandwidth), "intraNodeBandwidth",
                "must be a positive number of bytes/s");
        require(interNodeBandwidth > 0 && Double.isFinite(interNodeBandwidth), "interNodeBandwidth",
                "must be a positive number of bytes/s");
        require(memoryBandwidth >= 0 && Double.isFinite(memoryBandwidth), "memoryBandwidth",
                "must be a non-negative number of bytes/s");
        require(hostLinkBandwidth >= 0 && Double.isFinite(hostLinkBandwidth), "hostLinkBandwidth",
                "must be a non-negative number of bytes/s");
        require(boardPowerWatts >= 0, "boardPowerWatts", "must be a non-negative number of watts");
        require(gpusPerNode >= 1, "gpusPerNode", "must be at least 1");
        require(hostMemoryBytesPerNode >= 0, "hostMemoryBytesPerNode", "must be a non-negative number of bytes");
        require(multiprocessors >= 0, "multiprocessors", "must be a non-negative number");
        densePeakFlops = Collections.unmodifiableMap(new EnumMap<>(densePeakFlops));
    }

    /** A GPU of which only the figures the memory and time calculations need are known. */
    public GpuSpec(String id, String name, long memoryBytes, Map<DType, Double> densePeakFlops,
            double intraNodeBandwidth, double interNodeBandwidth, String source) {
        this(id, name, null, memoryBytes, densePeakFlops, 0, intraNodeBandwidth, interNodeBandwidth, 0, 0,
                Cluster.DEFAULT_GPUS_PER_NODE, 0, 0, source);
    }

    /** A GPU described in a request: only its dense BF16 peak is known. */
    public static GpuSpec custom(long memoryBytes, double peakFlops, double intraNodeBandwidth,
            double interNodeBandwidth) {
        return new GpuSpec("custom", "GPU described in the request", memoryBytes, Map.of(DType.BF16, peakFlops),
                intraNodeBandwidth, interNodeBandwidth, "the request");
    }

    /** Dense BF16 peak FLOP/s: the rate mixed-precision training is measured against (MFU). */
    public double peakFlops() {
        return this.densePeakFlops.get(DType.BF16);
    }

    /** Dense peak FLOP/s for {@code type}, empty when the vendor publishes none. */
    public OptionalDouble peakFlops(DType type) {
        Double flops = this.densePeakFlops.get(type);
        return flops != null ? OptionalDouble.of(flops) : OptionalDouble.empty();
    }
}
