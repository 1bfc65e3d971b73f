package dev.llmcalc.core.run;

import static dev.llmcalc.core.unit.InvalidInputException.require;

/**
 * What a run moves off the GPU (DeepSpeed's {@code offload_optimizer} and {@code offload_param}), and how fast the host
 * works on it.
 *
 * @param optimizer the fp32 master weights and optimizer states, updated by the CPU optimizer step
 * @param parameters the 16-bit weights and gradients between uses (ZeRO-3 only)
 * @param cpuAdamParametersPerSecond parameters a node's CPUs update per second in the CPU optimizer step (all its GPUs'
 *        ranks together); {@link #DEFAULT_CPU_ADAM_PARAMETERS_PER_SECOND} unless given
 * @param nvmeBandwidth bytes/s a node's NVMe drives read or write (shared by its GPUs' ranks);
 *        {@link #DEFAULT_NVME_BANDWIDTH} unless given
 * @param activations the activation checkpoints (layer inputs under full recomputation) between forward and backward:
 *        NONE or CPU (DeepSpeed {@code activation_checkpointing.cpu_checkpointing})
 */
public record Offload(OffloadDevice optimizer, OffloadDevice parameters, double cpuAdamParametersPerSecond,
        double nvmeBandwidth, OffloadDevice activations) {

    /**
     * ZeRO-Offload (Ren et al. 2021, arXiv:2101.06840) Table 3: DeepSpeed's CPU-Adam updates 10 billion parameters in
     * 2.57 s on a DGX-2 node's two 24-core Xeon Platinum 8168 (AVX-512), about 3.9e9 parameters/s per node.
     */
    public static final double DEFAULT_CPU_ADAM_PARAMETERS_PER_SECOND = 10e9 / 2.57;

    /**
     * ZeRO-Infinity (Rajbhandari et al. 2021, arXiv:2104.07857), as its SC21 talk (DeepSpeed
     * docs/assets/files/SC21-ZeRO-Infinity.pdf) puts it: "NVMe → GPU: 28 GB/s" per DGX-2 node, 1.8 TB/s over 64 nodes.
     */
    public static final double DEFAULT_NVME_BANDWIDTH = 28e9;

    /** Nothing leaves the GPU. */
    public static final Offload NONE = new Offload(OffloadDevice.NONE, OffloadDevice.NONE);

    public Offload {
        require(optimizer != null, "offload.optimizer", "must be NONE, CPU or NVME");
        require(parameters != null, "offload.parameters", "must be NONE, CPU or NVME");
        require(parameters == OffloadDevice.NONE || optimizer != OffloadDevice.NONE, "offload.parameters",
                "needs offload.optimizer too: ZeRO-Infinity moves the optimizer step off the GPU before the weights");
        require(cpuAdamParametersPerSecond > 0 && Double.isFinite(cpuAdamParametersPerSecond),
                "offload.cpuAdamParametersPerSecond", "must be a positive number of parameters per second per node");
        require(nvmeBandwidth > 0 && Double.isFinite(nvmeBandwidth), "offload.nvmeBandwidth",
                "must be a positive number of bytes/s per node");
        require(activations == OffloadDevice.NONE || activations == OffloadDevice.CPU, "offload.activations",
                "must be NONE or CPU (DeepSpeed checkpoints to host memory, not to NVMe)");
    }

    /** Model states only, with the host speeds given. */
    public Offload(OffloadDevice optimizer, OffloadDevice parameters, double cpuAdamParametersPerSecond,
            double nvmeBandwidth) {
        this(optimizer, parameters, cpuAdamParametersPerSecond, nvmeBandwidth, OffloadDevice.NONE);
    }

    /** The devices with the default host speeds. */
    public Offload(OffloadDevice optimizer, OffloadDevice parameters) {
        this(optimizer, parameters, DEFAULT_CPU_ADAM_PARAMETERS_PER_SECOND, DEFAULT_NVME_BANDWIDTH);
    }

    public boolean any() {
        return this.optimizer != OffloadDevice.NONE || this.parameters != OffloadDevice.NONE
                || this.activations != OffloadDevice.NONE;
    }
}
