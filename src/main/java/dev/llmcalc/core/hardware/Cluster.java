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
}
