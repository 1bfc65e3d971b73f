package dev.llmcalc.api.gpus;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.llmcalc.core.hardware.GpuSpec;
import dev.llmcalc.core.unit.Units;
import io.swagger.v3.oas.annotations.media.Schema;

/** One catalog GPU as JSON. */
public record GpuView(
        @Schema(description = "catalog id, usable as cluster.gpu", example = "h100-sxm-80gb") String id,
        String name,
        @Schema(description = "advertised capacity read as GiB: an \"80 GB\" HBM part = 80·2^30 bytes") long memoryBytes,
        @Schema(description = "memoryBytes in GiB (2^30 bytes)") double memoryGiB,
        @Schema(description = "dense (no 2:4 sparsity) peak FLOP/s by data type, where the vendor publishes one")
        Map<String, Double> peakFlops,
        @Schema(description = "device-memory bandwidth, bytes/s (absent when unknown)") Double memoryBandwidth,
        @Schema(description = "bytes/s per GPU per direction to the GPUs of its node") double intraNodeBandwidth,
        @Schema(description = "bytes/s per GPU per direction to other nodes (a typical deployment)") double interNodeBandwidth,
        @Schema(description = "where the figures come from") String source) {

    static GpuView of(GpuSpec gpu) {
        Map<String, Double> peaks = new LinkedHashMap<>();
        gpu.densePeakFlops().forEach((type, flops) -> peaks.put(type.name(), flops));
        return new GpuView(gpu.id(), gpu.name(), gpu.memoryBytes(), Units.toGiB(gpu.memoryBytes()), peaks,
                gpu.memoryBandwidth() > 0 ? gpu.memoryBandwidth() : null, gpu.intraNodeBandwidth(),
                gpu.interNodeBandwidth(), gpu.source());
    }
}
