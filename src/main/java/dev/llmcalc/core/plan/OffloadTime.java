package dev.llmcalc.core.plan;

import dev.llmcalc.core.hardware.Cluster;
import dev.llmcalc.core.run.Offload;
import dev.llmcalc.core.run.OffloadDevice;
import dev.llmcalc.core.run.Training;
import dev.llmcalc.core.run.TrainingRun;

/**
 * Seconds one step spends on ZeRO-Offload / ZeRO-Infinity's transfers and host work, on the most-loaded GPU, as
 * DeepSpeed schedules them (deepspeed/runtime/zero/stage_1_and_2.py and stage3.py, read at commit edaa722): the
 * gradient partition goes to the host during the backward (overlap_comm), the CPU optimizer step runs after the
 * backward (ZeRO-Offload's delayed parameter update is off by default), the updated 16-bit partition comes back before
 * the all-gather; with NVMe the states are read and written around the CPU step (offload_config.py: pipeline_read and
 * pipeline_write default to False); offloaded weights are fetched layer by layer for each micro-batch's forward and
 * backward, prefetched behind the compute.
 *
 * @param gradientsToHostSeconds host-link seconds of the gradient partition's trips to the host, over the step
 * @param exposedGradientsSeconds the part of them the backward passes do not hide
 * @param cpuOptimizerSeconds the CPU optimizer step over the node's partitions (not overlapped)
 * @param weightsToGpuSeconds the updated 16-bit partition back to the GPU (not overlapped)
 * @param nvmeOptimizerSeconds NVMe reads and writes of the optimizer states and fp32 gradients (not overlapped; 0
 *        unless the optimizer is offloaded to NVMe)
 * @param weightFetchSeconds fetching offloaded weights for the forward and backward of every micro-batch (0 without
 *        parameter offload)
 * @param exposedWeightFetchSeconds the part of them the forward and backward compute do not hide
 * @param checkpointSeconds with {@code training.offload.activations}: each micro-batch's layer checkpoints to the host
 *        during its forward and back during its backward, over the step (0 otherwise)
 * @param exposedCheckpointSeconds the part of them the forward and backward compute do not hide
 * @param exposedSeconds what the step waits for: the sum of the exposed and not-overlapped parts
 * @param hostLinkBandwidth bytes/s per GPU per direction to the host the transfers were priced at (the GPU's; 0 when
 *        unknown: transfers not priced)
 * @param cpuAdamParametersPerSecond the node's CPU optimizer throughput used
 * @param nvmeBandwidth the node's NVMe bandwidth used
 * @param gpusPerNode GPUs whose ranks share one host's CPUs and NVMe
 */
public record OffloadTime(double gradientsToHostSeconds, double exposedGradientsSeconds, double cpuOptimizerSeconds,
        double weightsToGpuSeconds, double nvmeOptimizerSeconds, double weightFetchSeconds,
        double exposedWeightFetchSeconds, double checkpointSeconds, double exposedCheckpointSeconds,
        double exposedSeconds, double hostLinkBandwidth, double cpuAdamParametersPerSecond, double nvmeBandwidth,
        int gpusPerNode) {

    /** DeepSpeed casts the gradient partition to its fp32 master type before the copy into the CPU step's buffer. */
    static final int FP32_BYTES = 4;

    /**
     * The offload time of {@code run}, or {@code null} when nothing is offloaded.
     *
     * @param partition parameters of the most-loaded GPU's ZeRO partition (what its rank updates and, with parameter
     *        offload, fetches)
     * @param compute the slowest stage's compute seconds of the step (forward and backward of its m micro-batches)
     * @param microBatches m
     */
    static OffloadTime of(TrainingRun run, Cluster cluster, double partition, StepTime.KernelSeconds compute,
            long microBatches, double checkpointBytesPerMicroBatch) {
        return of(run.training(), cluster, partition, compute, microBatches, checkpointBytesPerMicroBatch);
    }

    /**
     * The same from the run's training alone (what the planner varies).
     *
     * @param checkpointBytesPerMicroBatch with activation offload, the slowest stage's layer checkpoints of one
     *        micro-batch
     */
    static OffloadTime of(Training training, Cluster cluster, double partition, StepTime.KernelSeconds compute,
            long microBatches, double checkpointBytesPerMicroBatch) {
        Offload offload = training.offload();
        if (!offload.any()) {
            return null;
        }
        double link = cluster.gpu().hostLinkBandwidth();
        int node = cluster.ranksPerNode();
        double forwardPerMicroBatch = compute.forwardSeconds() / microBatches;
        double backwardPerMicroBatch = compute.backwardSeconds() / microBatches;

        boolean optimizer = offload.optimizer() != OffloadDevice.NONE;
        double gradients = optimizer ? gradientsToHostSeconds(partition, microBatches, training.weightBytes(), link)
                : 0;
        double exposedGradients = optimizer ? exposedGradientsSeconds(partition, microBatches, training.weightBytes(),
                link, backwardPerMicroBatch) : 0;
        double cpu = optimizer ? cpuOptimizerSeconds(partition, node, offload.cpuAdamParametersPerSecond()) : 0;
        double weights = optimizer ? weightsToGpuSeconds(partition, training.weightBytes(), link) : 0;
        double nvme = offload.optimizer() == OffloadDevice.NVME
                ? nvmeOptimizerSeconds(partition, node, training.optimizerBytesPerParameter(), offload.nvmeBandwidth())
                : 0;
        double fetch = 0;
        double exposedFetch = 0;
        if (offload.parameters() != OffloadDevice.NONE) {
            double perPass = weightFetchSecondsPerPass(partition, training.weightBytes(), link,
                    offload.parameters() == OffloadDevice.NVME, node, offload.nvmeBandwidth());
            fetch = 2 * microBatches * perPass;
            exposedFetch = microBatches * (exposedBehind(perPass, forwardPerMicroBatch)
                    + exposedBehind(perPass, backwardPerMicroBatch));
        }
        double checkpoints = 0;
        double exposedCheckpoints = 0;
        if (offload.activations() != OffloadDevice.NONE) {
            double perTrip = linkSeconds(checkpointBytesPerMicroBatch, link);
            checkpoints = 2 * microBatches * perTrip;
            exposedCheckpoints = microBatches * (exposedBehind(perTrip, forwardPerMicroBatch)
                    + exposedBehind(perTrip, backwardPerMicroBatch));
        }
        return new OffloadTime(gradients, exposedGradients, cpu, weights, nvme, fetch, exposedFetch, checkpoints,
                exposedCheckpoints, exposedGradients + cpu + weights + nvme + exposedFetch + exposedCheckpoints, link,
                offload.cpuAdamParametersPerSecond(), offload.nvmeBandwidth(), node);
    }

    // bytes over a link at its bandwidth; an unknown link (0) prices nothing (said in the assumptions)
    static double linkSeconds(double bytes, double bandwidth) {
        return bandwidth > 0 ? bytes / bandwidth : 0;
    }

    // transfers prefetched behind compute: what exceeds the compute they overlap is exposed
    static double exposedBehind(double transferSeconds, double computeSeconds) {
        return Math.max(0, transferSeconds - computeSeconds);
    }

    // stage_1_and_2.py copy_grads_in_partition (l. 1650) and stage3.py partition_grads: with m > 1 each micro-batch's
    // backward sends the partition's 16-bit gradient to a pinned host accumulation buffer (from the second on after
    // fetching it back to add on the GPU, async_accumulate_grad_in_cpu_via_gpu l. 1516, the other direction); the last
    // also sends it cast to fp32 into the CPU step's buffer (async_inplace_copy_grad_to_fp32_buffer_from_gpu l. 1590)
    static double gradientsToHostSeconds(double partition, long microBatches, int gradientBytes, double link) {
        double accumulate = microBatches > 1 ? linkSeconds(partition * gradientBytes, link) : 0;
        return microBatches * accumulate + linkSeconds(partition * FP32_BYTES, link);
    }

    // each micro-batch's gradient trips overlap its own backward (overlap_comm: copies issued as buckets are reduced);
    // what a trip needs beyond that backward is exposed
    static double exposedGradientsSeconds(double partition, long microBatches, int gradientBytes, double link,
            double backwardPerMicroBatch) {
        double accumulate = microBatches > 1 ? linkSeconds(partition * gradientBytes, link) : 0;
        double last = accumulate + linkSeconds(partition * FP32_BYTES, link);
        return (microBatches - 1) * exposedBehind(accumulate, backwardPerMicroBatch)
                + exposedBehind(last, backwardPerMicroBatch);
    }

    // ZeRO-Offload §4.2, Ren et al. 2021: the CPU optimizer updates each rank's partition; a node's ranks share its CPUs,
    // so the node's partitions (GPUs per node × the partition) go at the node's throughput
    static double cpuOptimizerSeconds(double partition, int gpusPerNode, double parametersPerSecond) {
        return partition * gpusPerNode / parametersPerSecond;
    }

    // stage_1_and_2.py step (cpu_offload): the fp32 partition is cast to a pinned 16-bit buffer on the host and copied
    // to the GPU's partition (non_blocking, waited for by the all-gather that follows)
    static double weightsToGpuSeconds(double partition, int weightBytes, double link) {
        return linkSeconds(partition * weightBytes, link);
    }

    // ZeRO-Infinity (Rajbhandari et al. 2021 §5): the optimizer states (fp32 master and moments, K bytes per parameter)
    // are read from and written back to NVMe around the CPU step, and the fp32 gradients written and read (stage3.py
    // _swap_out_offload_fp32_gradients); the node's ranks share its NVMe bandwidth
    static double nvmeOptimizerSeconds(double partition, int gpusPerNode, int optimizerBytesPerParameter,
            double nvmeBandwidth) {
        return partition * gpusPerNode * (2.0 * optimizerBytesPerParameter + 2.0 * FP32_BYTES) / nvmeBandwidth;
    }

    // ZeRO-3 offload_param: before each layer's all-gather every rank copies its 16-bit partition of it from the host
    // (from NVMe through pinned host buffers with ZeRO-Infinity, the node's ranks sharing the drives); a pass over the
    // stage fetches the whole partition, at the slower of the host link and the NVMe share
    static double weightFetchSecondsPerPass(double partition, int weightBytes, double link, boolean fromNvme,
            int gpusPerNode, double nvmeBandwidth) {
        double host = linkSeconds(partition * weightBytes, link);
        return fromNvme ? Math.max(host, partition * weightBytes * gpusPerNode / nvmeBandwidth) : host;
    }

    /** What the offload time assumed, in words, for the answers' assumptions. */
    public String describe() {
        String link = this.hostLinkBandwidth > 0 ? this.hostLinkBandwidth / 1e9 + " GB/s per GPU per direction"
                : "unknown for this GPU, so the transfers are not priced (set cluster.gpu.hostLinkBandwidth)";
        return "Offload time (DeepSpeed's schedule): the gradient partition goes to the host during each backward "
                + "(16-bit accumulation trips with several micro-batches, then fp32 for the CPU step), exposed by what "
                + "exceeds its backward; the CPU optimizer step runs after the backward over the node's " + this.gpusPerNode
                + " ranks' partitions at " + this.cpuAdamParametersPerSecond + " parameters/s per node "
                + "(training.offload.cpuAdamParametersPerSecond; default: ZeRO-Offload Table 3, CPU-Adam on a DGX-2), "
                + "not overlapped (delayed parameter update off, DeepSpeed's default); the updated 16-bit partition "
                + "returns to the GPU before the all-gather; with NVMe the optimizer states are read and written and the "
                + "fp32 gradients written and read at " + this.nvmeBandwidth / 1e9 + " GB/s per node "
                + "(training.offload.nvmeBandwidth; default: ZeRO-Infinity's DGX-2), not pipelined (DeepSpeed's "
                + "default); offloaded weights are fetched for every micro-batch's forward and backward, prefetched "
                + "layer by layer and exposed by what exceeds that pass's compute; offloaded activation checkpoints go "
                + "out during each micro-batch's forward and back during its backward, exposed by what exceeds them. "
                + "Host link: " + link + ". Not modelled: contention of the host link with network traffic through "
                + "the same PCIe switch, pinned-memory staging copies.";
    }
}
