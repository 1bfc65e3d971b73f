package dev.llmcalc.core.parallel;

import java.util.List;

import dev.llmcalc.core.unit.Exact;
import dev.llmcalc.core.unit.InvalidInputException;

/**
 * A parallel layout on a cluster, where a request may leave out the data-parallel degree or the GPU count and let
 * the other decide it: a cluster of 64 GPUs without a data degree is data = 64 / (tensor × pipeline × context), a
 * layout without a GPU count runs on data × tensor × pipeline × context GPUs. When both are given they must agree.
 *
 * @param parallelism the layout, its data degree completed
 * @param gpuCount GPUs in the run, always {@code parallelism.gpuCount()}
 * @param assumptions each default taken, in words (empty when the request gave both)
 */
public record ClusterLayout(Parallelism parallelism, int gpuCount, List<String> assumptions) {

    public ClusterLayout {
        assumptions = List.copyOf(assumptions);
    }

    /**
     * Completes a layout for a cluster.
     *
     * @param data the data-parallel degree, or {@code null} for the one that fills the cluster
     * @param tensor tensor-parallel degree
     * @param pipeline pipeline-parallel degree
     * @param expert expert-parallel degree (taken from data × context, so it needs the completed data degree)
     * @param context context-parallel degree
     * @param virtualPipeline interleaved chunks per pipeline stage
     * @param gpuCount the cluster's GPU count, or {@code null} for the layout's
     * @throws InvalidInputException on {@code cluster.gpuCount} when it and the layout disagree, or when no data
     *         degree fills it
     */
    public static ClusterLayout complete(Integer data, int tensor, int pipeline, int expert, int context,
            int virtualPipeline, Integer gpuCount) {
        if (data == null && gpuCount != null) {
            return fill(tensor, pipeline, expert, context, virtualPipeline, gpuCount);
        }
        Parallelism parallelism = new Parallelism(data != null ? data : 1, tensor, pipeline, expert, context,
                virtualPipeline);
        long layoutGpus = parallelism.gpuCount();
        if (gpuCount != null) {
            if (gpuCount != layoutGpus) {
                throw new InvalidInputException("cluster.gpuCount", "is " + gpuCount
                        + " but the layout uses data × tensor × pipeline × context = " + layoutGpus + " GPUs");
            }
            return new ClusterLayout(parallelism, gpuCount, List.of());
        }
        if (layoutGpus > Integer.MAX_VALUE) {
            throw new InvalidInputException("cluster.gpuCount", "would be the layout's data × tensor × pipeline × "
                    + "context = " + layoutGpus + " GPUs, more than " + Integer.MAX_VALUE);
        }
        return new ClusterLayout(parallelism, (int) layoutGpus, List.of("cluster.gpuCount not given: the layout's data "
                + "× tensor × pipeline × context = " + layoutGpus + " GPUs."));
    }

    // the data degree that, with the model-parallel degrees, uses every GPU of the cluster
    private static ClusterLayout fill(int tensor, int pipeline, int expert, int context, int virtualPipeline,
            int gpuCount) {
        InvalidInputException.require(gpuCount >= 1, "cluster.gpuCount", "must be at least 1");
        long modelParallel = Exact.multiply("gpuCount", tensor, pipeline, context);
        if (gpuCount % modelParallel != 0) {
            throw new InvalidInputException("cluster.gpuCount", "is " + gpuCount + ", which tensor × pipeline × "
                    + "context = " + modelParallel + " does not divide: no data-parallel degree fills it (give "
                    + "parallelism.data, or a multiple of " + modelParallel + " GPUs)");
        }
        long data = gpuCount / modelParallel;
        if (data > Parallelism.MAX_DEGREE) {
            throw new InvalidInputException("cluster.gpuCount", "is " + gpuCount + ": filling it would take a "
                    + "data-parallel degree of " + data + ", more than " + Parallelism.MAX_DEGREE);
        }
        Parallelism parallelism = new Parallelism((int) data, tensor, pipeline, expert, context, virtualPipeline);
        return new ClusterLayout(parallelism, gpuCount, List.of("parallelism.data not given: " + data
                + ", which fills the cluster (cluster.gpuCount " + gpuCount + " / (tensor × pipeline × context = "
                + modelParallel + "))."));
    }
}
