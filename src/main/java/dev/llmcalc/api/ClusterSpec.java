package dev.llmcalc.api;

import dev.llmcalc.core.hardware.Cluster;
import dev.llmcalc.core.hardware.GpuSpec;
import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.unit.InvalidInputException;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

/** The {@code cluster} object of api.md. */
@Schema(description = "The GPUs of the run")
public record ClusterSpec(
        @Schema(description = "a preset id (GET /api/v1/gpus lists them), or an object: {memoryBytes, peakFlops, "
                + "intraNodeBandwidth, interNodeBandwidth, ...} (a GET /api/v1/gpus/{id} answer as it is) or "
                + "{base: id, ...figures to override}", example = "h100-sxm-80gb")
        @NotNull @Valid GpuChoice gpu,
        @Schema(description = "GPUs in the run (required for time; memory endpoints check it against the layout)",
                example = "64") @Positive Integer gpuCount,
        @Schema(description = "[the GPU's gpusPerNode: 8 for most, 72 for an NVL72] GPUs per node") @Positive Integer gpusPerNode) {

    /** The whole cluster, which needs the GPU count. @param field where it sits in the request, e.g. "cluster" */
    public Cluster toCore(String field) {
        if (this.gpuCount == null) {
            throw new BadRequestException(field + ".gpuCount", "is required");
        }
        return Cluster.of(this.gpu.toCore(field + ".gpu"), this.gpuCount, this.gpusPerNode);
    }

    /**
     * The GPU for a memory question; when a GPU count is given it must be the layout's
     * (data × tensor × pipeline × context), as a plan on that cluster would use.
     */
    public GpuSpec gpuFor(Parallelism parallelism, String field) {
        if (this.gpuCount != null && this.gpuCount != parallelism.gpuCount()) {
            throw new InvalidInputException(field + ".gpuCount", "is " + this.gpuCount
                    + " but the layout uses data × tensor × pipeline × context = " + parallelism.gpuCount() + " GPUs");
        }
        return this.gpu.toCore(field + ".gpu");
    }
}
