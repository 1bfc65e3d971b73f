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
 * Link bandwidths are decimal (GB/s = 10^9 bytes/s), as vendors quote them.
 *
 * @param id lower-case, hyphenated id ({@code h100-sxm-80gb}); {@code custom} for one described in a request
 * @param name the product name
 * @param memoryBytes device memory in bytes (see above)
 * @param densePeakFlops peak FLOP/s per data type, dense (no 2:4 sparsity), on tensor/matrix cores where
 *        the type has them; always has {@link DType#BF16}, other types only where the vendor publishes one
 * @param intraNodeBandwidth bytes/s per GPU per direction to the GPUs of its own node
 * @param interNodeBandwidth bytes/s per GPU per direction to other nodes
 * @param source where the figures come from
 * @param memoryBandwidth device-memory (HBM/GDDR) bandwidth, bytes/s, or 0 when unknown
 */
public record GpuSpec(String id, String name, long memoryBytes, Map<DType, Double> densePeakFlops,
        double intraNodeBandwidth, double interNodeBandwidth, String source, double memoryBandwidth) {

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
        densePeakFlops = Collections.unmodifiableMap(new EnumMap<>(densePeakFlops));
    }

    /** A GPU whose memory bandwidth is not known. */
    public GpuSpec(String id, String name, long memoryBytes, Map<DType, Double> densePeakFlops,
            double intraNodeBandwidth, double interNodeBandwidth, String source) {
        this(id, name, memoryBytes, densePeakFlops, intraNodeBandwidth, interNodeBandwidth, source, 0);
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
