package dev.llmcalc.api;

import dev.llmcalc.core.hardware.Cluster;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Positive;

/** The {@code cluster} object of api.md. */
@Schema(description = "The GPUs of the run")
public record ClusterSpec(
        @Schema(description = "a preset id (GET /api/v1/gpus lists them), or an object: {memoryBytes, peakFlops, "
                + "intraNodeBandwidth, interNodeBandwidth, ...} (a GET /api/v1/gpus/{id} answer as it is) or "
                + "{base: id, ...figures to override}", example = "h100-sxm-80gb")
        @NotNull @Valid GpuChoice gpu,
        @Schema(description = "[data × tensor × pipeline × context] GPUs in the run; a parallelism without 'data' "
                + "fills it with data-parallel ranks, a layout with 'data' must use exactly this many (required on "
                + "/compute and /plans, which have no layout to take it from)", example = "8") @Positive Integer gpuCount,
        @Schema(description = "[the GPU's gpusPerNode: 8 for most, 72 for an NVL72] GPUs per node") @Positive Integer gpusPerNode,
        @Schema(description = "[the GPU's usual node's, per GPU × gpusPerNode; unknown for most non-DGX parts] CPU "
                + "memory of one node, bytes: offloaded states (training.offload) must fit in it",
                example = "2199023255552") @Positive @Max(GpuChoice.MAX_HOST_MEMORY_BYTES) Long hostMemoryBytesPerNode) {

    public ClusterSpec(GpuChoice gpu, Integer gpuCount, Integer gpusPerNode) {
        this(gpu, gpuCount, gpusPerNode, null);
    }

    /** The whole cluster, which needs the GPU count. @param field where it sits in the request, e.g. "cluster" */
    public Cluster toCore(String field) {
        if (this.gpuCount == null) {
            throw new BadRequestException(field + ".gpuCount", "is required here: there is no parallel layout to take it "
                    + "from");
        }
        return withHostMemory(Cluster.of(this.gpu.toCore(field + ".gpu"), this.gpuCount, this.gpusPerNode));
    }

    /** The cluster with the GPU count a {@link ParallelismSpec#onCluster layout on it} settled. */
    public Cluster toCore(String field, int settledGpuCount) {
        return withHostMemory(Cluster.of(this.gpu.toCore(field + ".gpu"), settledGpuCount, this.gpusPerNode));
    }

    private Cluster withHostMemory(Cluster cluster) {
        return this.hostMemoryBytesPerNode != null ? cluster.withHostMemoryBytesPerNode(this.hostMemoryBytesPerNode)
                : cluster;
    }
}
