package dev.llmcalc.core.hardware;

import static dev.llmcalc.core.unit.InvalidInputException.require;

/**
 * The GPUs a run is given.
 *
 * @param gpu one GPU (all are alike)
 * @param gpuCount GPUs in the run
 * @param gpusPerNode GPUs that share a node (and its fast intra-node links)
 */
public record Cluster(GpuSpec gpu, int gpuCount, int gpusPerNode) {

    /** HGX/DGX and MI300X platforms put 8 GPUs in a node. */
    public static final int DEFAULT_GPUS_PER_NODE = 8;

    public Cluster {
        require(gpu != null, "gpu", "is required");
        require(gpuCount >= 1, "gpuCount", "must be at least 1");
        require(gpusPerNode >= 1, "gpusPerNode", "must be at least 1");
    }

    /**
     * A cluster whose node size, when not given (null), is the GPU's usual one ({@link GpuSpec#gpusPerNode()}:
     * 8 for an HGX board, 72 for an NVL72 rack).
     */
    public static Cluster of(GpuSpec gpu, int gpuCount, Integer gpusPerNode) {
        require(gpu != null, "gpu", "is required");
        return new Cluster(gpu, gpuCount, gpusPerNode != null ? gpusPerNode : gpu.gpusPerNode());
    }
}
