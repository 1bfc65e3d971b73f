package dev.llmcalc.core.hardware;

import static dev.llmcalc.core.unit.InvalidInputException.require;

import dev.llmcalc.core.unit.Exact;

/**
 * The GPUs a run is given.
 *
 * @param gpu one GPU (all are alike)
 * @param gpuCount GPUs in the run
 * @param gpusPerNode GPUs that share a node (and its fast intra-node links)
 * @param hostMemoryBytesPerNode CPU memory of one node, bytes (0: unknown); what offloaded states must fit in
 */
public record Cluster(GpuSpec gpu, int gpuCount, int gpusPerNode, long hostMemoryBytesPerNode) {

    /** A cluster whose nodes have the GPU's usual host memory ({@link #usualHostMemory}). */
    public Cluster(GpuSpec gpu, int gpuCount, int gpusPerNode) {
        this(gpu, gpuCount, gpusPerNode, usualHostMemory(gpu, gpusPerNode));
    }

    /** HGX/DGX and MI300X platforms put 8 GPUs in a node. */
    public static final int DEFAULT_GPUS_PER_NODE = 8;

    public Cluster {
        require(gpu != null, "gpu", "is required");
        require(gpuCount >= 1, "gpuCount", "must be at least 1");
        require(gpusPerNode >= 1, "gpusPerNode", "must be at least 1");
        require(hostMemoryBytesPerNode >= 0, "hostMemoryBytesPerNode", "must be a non-negative number of bytes");
    }

    /**
     * The GPU's usual node's host memory ({@link GpuSpec#hostMemoryBytesPerNode()}), per GPU times the GPUs per node
     * when the node holds another number of them than the usual one (0 when unknown).
     */
    public static long usualHostMemory(GpuSpec gpu, int gpusPerNode) {
        if (gpu == null || gpu.hostMemoryBytesPerNode() == 0 || gpusPerNode == gpu.gpusPerNode()) {
            return gpu == null ? 0 : gpu.hostMemoryBytesPerNode();
        }
        return Exact.multiply("cluster.hostMemoryBytesPerNode", gpu.hostMemoryBytesPerNode() / gpu.gpusPerNode(),
                gpusPerNode);
    }

    /** This cluster with nodes of {@code bytes} of host memory. */
    public Cluster withHostMemoryBytesPerNode(long bytes) {
        return new Cluster(this.gpu, this.gpuCount, this.gpusPerNode, bytes);
    }

    /** GPUs of this run on one node: the node's, or all of them when the run is smaller than a node. */
    public int ranksPerNode() {
        return Math.min(this.gpusPerNode, this.gpuCount);
    }

    /** Whether the nodes' host memory is known. */
    public boolean knowsHostMemory() {
        return this.hostMemoryBytesPerNode > 0;
    }

    /** Whether a node's CPU memory holds {@code bytesPerNode} (always, when it is unknown). */
    public boolean hostHolds(long bytesPerNode) {
        return !knowsHostMemory() || bytesPerNode <= this.hostMemoryBytesPerNode;
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
