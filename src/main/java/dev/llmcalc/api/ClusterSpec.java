package dev.llmcalc.api;

import dev.llmcalc.core.hardware.Cluster;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

/** The {@code cluster} object of api.md. */
@Schema(description = "The GPUs of the run")
public record ClusterSpec(
        @Schema(description = "a preset id (GET /api/v1/gpus will list them), or an object {memoryBytes, peakFlops, "
                + "intraNodeBandwidth, interNodeBandwidth}", example = "h100-sxm-80gb")
        @NotNull @Valid GpuChoice gpu,
        @Schema(description = "GPUs in the run", example = "64") @NotNull @Positive Integer gpuCount,
        @Schema(description = "[8] GPUs per node") @Positive Integer gpusPerNode) {

    /** @param field where it sits in the request (e.g. "cluster"), for error messages */
    public Cluster toCore(String field) {
        return new Cluster(this.gpu.toCore(field + ".gpu"), this.gpuCount,
                this.gpusPerNode != null ? this.gpusPerNode : Cluster.DEFAULT_GPUS_PER_NODE);
    }
}
