package dev.llmcalc.core.run;

import static dev.llmcalc.core.unit.InvalidInputException.require;

/**
 * What a run moves off the GPU (DeepSpeed's {@code offload_optimizer} and {@code offload_param}).
 *
 * @param optimizer the fp32 master weights and optimizer states, updated by the CPU optimizer step
 * @param parameters the 16-bit weights and gradients between uses (ZeRO-3 only)
 */
public record Offload(OffloadDevice optimizer, OffloadDevice parameters) {

    /** Nothing leaves the GPU. */
    public static final Offload NONE = new Offload(OffloadDevice.NONE, OffloadDevice.NONE);

    public Offload {
        require(optimizer != null, "offload.optimizer", "must be NONE, CPU or NVME");
        require(parameters != null, "offload.parameters", "must be NONE, CPU or NVME");
        require(parameters == OffloadDevice.NONE || optimizer != OffloadDevice.NONE, "offload.parameters",
                "needs offload.optimizer too: ZeRO-Infinity moves the optimizer step off the GPU before the weights");
    }

    public boolean any() {
        return this.optimizer != OffloadDevice.NONE || this.parameters != OffloadDevice.NONE;
    }
}
