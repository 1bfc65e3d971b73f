package dev.llmcalc.api.gpus;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.llmcalc.core.hardware.GpuSpec;
import dev.llmcalc.core.unit.Units;
import io.swagger.v3.oas.annotations.media.Schema;

/** One catalog GPU as JSON; the same object is accepted back as {@code cluster.gpu}. */
public record GpuView(
        @Schema(description = "catalog id, usable as cluster.gpu", example = "h100-sxm-80gb") String id,
        String name,
        @Schema(description = "NVIDIA, AMD, INTEL or GOOGLE") String vendor,
        @Schema(description = "advertised capacity read as GiB: an \"80 GB\" HBM part = 80·2^30 bytes") long memoryBytes,
        @Schema(description = "memoryBytes in GiB (2^30 bytes)") double memoryGiB,
        @Schema(description = "dense (no 2:4 sparsity) peak FLOP/s by data type (INT8: operations/s), where the "
                + "vendor publishes one") Map<String, Double> peakFlops,
        @Schema(description = "device-memory bandwidth, bytes/s (absent when unknown)") Double memoryBandwidth,
        @Schema(description = "bytes/s per GPU per direction to the GPUs of its node") double intraNodeBandwidth,
        @Schema(description = "bytes/s per GPU per direction to other nodes (a typical deployment)") double interNodeBandwidth,
        @Schema(description = "bytes/s per GPU per direction to its host CPU over PCIe or NVLink-C2C (absent when "
                + "unknown)") Double hostLinkBandwidth,
        @Schema(description = "rated board power (TDP), watts (absent when unknown)") Integer boardPowerWatts,
        @Schema(description = "GPUs sharing the intra-node links in the usual system (8 on an HGX board, 72 in an "
                + "NVL72, a TPU pod); the default for cluster.gpusPerNode") int gpusPerNode,
        @Schema(description = "CPU memory of the usual system's node (a DGX's), bytes: what offloaded states must fit in "
                + "(absent when unknown)") Long hostMemoryBytesPerNode,
        @Schema(description = "streaming multiprocessors (AMD: compute units) a GEMM's thread blocks run on, for tile "
                + "and wave quantization (absent when unknown)") Integer multiprocessors,
        @Schema(description = "where the figures come from") String source) {

    static GpuView of(GpuSpec gpu) {
        Map<String, Double> peaks = new LinkedHashMap<>();
        gpu.densePeakFlops().forEach((type, flops) -> peaks.put(type.name(), flops));
        return new GpuView(gpu.id(), gpu.name(), gpu.vendor() != null ? gpu.vendor().name() : null, gpu.memoryBytes(),
                Units.toGiB(gpu.memoryBytes()), peaks, gpu.memoryBandwidth() > 0 ? gpu.memoryBandwidth() : null,
                gpu.intraNodeBandwidth(), gpu.interNodeBandwidth(),
                gpu.hostLinkBandwidth() > 0 ? gpu.hostLinkBandwidth() : null,
                gpu.boardPowerWatts() > 0 ? gpu.boardPowerWatts() : null, gpu.gpusPerNode(),
                gpu.hostMemoryBytesPerNode() > 0 ? gpu.hostMemoryBytesPerNode() : null,
                gpu.multiprocessors() > 0 ? gpu.multiprocessors() : null, gpu.source());
    }
}
