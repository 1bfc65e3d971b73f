package dev.llmcalc.core.memory;

import java.util.List;

import dev.llmcalc.core.run.OffloadDevice;
import dev.llmcalc.core.unit.Exact;

/**
 * What one GPU's rank keeps off the GPU under ZeRO-Offload / ZeRO-Infinity, buffer by buffer.
 *
 * @param buffers each buffer, its device and its bytes for one GPU's rank
 */
public record OffloadedStates(List<Buffer> buffers) {

    /** Nothing offloaded. */
    public static final OffloadedStates NONE = new OffloadedStates(List.of());

    public OffloadedStates {
        buffers = List.copyOf(buffers);
    }

    /**
     * @param name what it holds
     * @param device host memory or NVMe
     * @param bytesPerGpu its bytes for one GPU's rank
     */
    public record Buffer(String name, OffloadDevice device, long bytesPerGpu) {
    }

    /** Bytes one GPU's rank keeps on {@code device}. */
    public long bytesPerGpu(OffloadDevice device) {
        long total = 0;
        for (Buffer buffer : this.buffers) {
            if (buffer.device() == device) {
                total = Exact.add("offload.bytesPerGpu", total, buffer.bytesPerGpu());
            }
        }
        return total;
    }

    // a node's host memory or NVMe holds the buffers of each of its GPUs' ranks (the most-loaded rank's, an upper bound)
    public long bytesPerNode(OffloadDevice device, int gpusPerNode) {
        return Exact.multiply("offload.bytesPerNode", bytesPerGpu(device), gpusPerNode);
    }

    public boolean any() {
        return !this.buffers.isEmpty();
    }
}
