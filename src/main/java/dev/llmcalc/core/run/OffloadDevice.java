package dev.llmcalc.core.run;

/** Where ZeRO-Offload / ZeRO-Infinity keeps what leaves the GPU (Ren et al. 2021; Rajbhandari et al. 2021). */
public enum OffloadDevice {

    /** Stays on the GPU. */
    NONE,

    /** Host memory (pinned), ZeRO-Offload. */
    CPU,

    /** Local NVMe, ZeRO-Infinity (staged through pinned host buffers). */
    NVME
}
