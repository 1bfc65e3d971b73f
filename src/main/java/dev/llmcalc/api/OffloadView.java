package dev.llmcalc.api;

import java.util.List;

import dev.llmcalc.core.DocumentFormula;
import dev.llmcalc.core.memory.OffloadedStates;
import dev.llmcalc.core.memory.TrainingMemory;
import dev.llmcalc.core.memory.TrainingMemoryCalculator;
import dev.llmcalc.core.run.OffloadDevice;
import dev.llmcalc.core.run.TrainingRun;
import io.swagger.v3.oas.annotations.media.Schema;

/** What ZeRO-Offload / ZeRO-Infinity keeps off the GPU, buffer by buffer, per GPU and per node. */
@Schema(name = "Offload", description = "What leaves the GPU with training.offload")
public record OffloadView(
        @Schema(description = "each buffer, where it lives and its bytes for one GPU's rank") List<Buffer> buffers,
        @Schema(description = "host memory for one GPU's rank") long hostBytesPerGpu,
        @Schema(description = "host memory of a node: its GPUs' ranks together") long hostBytesPerNode,
        @Schema(description = "NVMe bytes for one GPU's rank") long nvmeBytesPerGpu,
        @Schema(description = "NVMe bytes of a node") long nvmeBytesPerNode,
        @Schema(description = "GPUs per node the per-node figures assume") int gpusPerNode,
        @Schema(description = "CPU memory of a node (cluster.hostMemoryBytesPerNode, or the GPU's usual node's); "
                + "absent when unknown") Long hostMemoryBytesPerNode,
        @Schema(description = "hostBytesPerNode ≤ hostMemoryBytesPerNode (absent when the host memory is unknown)")
        Boolean hostFits,
        @Schema(description = "DeepSpeed's own estimator for the same run (ZeRO-2 and ZeRO-3), beside this answer")
        FormulaView deepSpeed) {

    /** One offloaded buffer. */
    public record Buffer(String name, OffloadDevice device, long bytesPerGpu) {
    }

    /**
     * A training run's offload, with DeepSpeed's estimate beside it.
     *
     * @param offloaded what the run's most-loaded rank keeps off the GPU
     * @return {@code null} when nothing is offloaded (DeepSpeed's formula is then not computed)
     */
    public static OffloadView of(TrainingRun run, TrainingMemory memory, OffloadedStates offloaded, int gpusPerNode,
            long hostMemoryBytesPerNode) {
        if (!offloaded.any()) {
            return null;
        }
        return of(offloaded, gpusPerNode, hostMemoryBytesPerNode, TrainingMemoryCalculator.deepSpeedFormula(run,
                memory, offloaded, gpusPerNode));
    }

    /**
     * @param hostMemoryBytesPerNode a node's CPU memory, 0 when unknown
     * @return {@code null} when nothing is offloaded
     */
    public static OffloadView of(OffloadedStates states, int gpusPerNode, long hostMemoryBytesPerNode,
            DocumentFormula deepSpeed) {
        if (!states.any()) {
            return null;
        }
        long hostBytes = states.bytesPerNode(OffloadDevice.CPU, gpusPerNode);
        boolean known = hostMemoryBytesPerNode > 0;
        return new OffloadView(states.buffers().stream()
                .map((b) -> new Buffer(b.name(), b.device(), b.bytesPerGpu())).toList(),
                states.bytesPerGpu(OffloadDevice.CPU), hostBytes,
                states.bytesPerGpu(OffloadDevice.NVME), states.bytesPerNode(OffloadDevice.NVME, gpusPerNode), gpusPerNode,
                known ? hostMemoryBytesPerNode : null, known ? hostBytes <= hostMemoryBytesPerNode : null,
                FormulaView.of(deepSpeed));
    }
}
