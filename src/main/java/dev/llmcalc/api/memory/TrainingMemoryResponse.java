package dev.llmcalc.api.memory;

import java.util.List;

import dev.llmcalc.api.ActivationsSpec;
import dev.llmcalc.api.AllowanceSpec;
import dev.llmcalc.api.BatchSpec;
import dev.llmcalc.api.FineTuningView;
import dev.llmcalc.api.FormulaView;
import dev.llmcalc.api.OffloadView;
import dev.llmcalc.api.ParallelismSpec;
import dev.llmcalc.api.TrainingSpec;
import dev.llmcalc.core.memory.FineTuningStates;
import dev.llmcalc.core.memory.TrainingMemory;
import dev.llmcalc.core.unit.Units;
import io.swagger.v3.oas.annotations.media.Schema;

/** Answer of {@code POST /api/v1/memory/training}. */
public record TrainingMemoryResponse(
        @Schema(description = "the preset id or 'architecture'") String model,
        @Schema(description = "Φ") long parameters,
        BatchSpec batch,
        TrainingSpec training,
        ActivationsSpec activations,
        ParallelismSpec parallelism,
        AllowanceSpec allowance,
        @Schema(description = "the most-loaded GPU") PerGpu perGpu,
        @Schema(description = "pipeline stage of that GPU") int pipelineStage,
        @Schema(description = "the GPU compared against (absent without a cluster)") Gpu gpu,
        @Schema(description = "totalBytes ≤ the GPU's memory (absent without a cluster)") Boolean fits,
        @Schema(description = "GPU memory − totalBytes; negative when it does not fit") Long headroomBytes,
        @Schema(description = "largest micro-batch that fits with the rest unchanged (0: not even 1)") Long maxMicroBatchSize,
        @Schema(description = "longest sequence that fits with the rest unchanged (0: none)") Long maxSequenceLength,
        @Schema(description = "the document's formulas for the parts it covers") DocumentFormulas documentFormulas,
        @Schema(description = "the activation estimate behind activationsBytes") ActivationsView activationDetail,
        @Schema(description = "with training.method LORA or QLORA: trainable and frozen parameters (omitted for FULL)")
        FineTuningView fineTuning,
        @Schema(description = "with training.offload: what leaves the GPU, per GPU and per node") OffloadView offload,
        @Schema(description = "full training: the most-loaded GPU's model states buffer by buffer with the width each is "
                + "kept in; they add up to perGpu.modelStatesBytes")
        List<ModelStatesResponse.ModelStateItemView> modelStateItems,
        List<String> assumptions) {

    /** Bytes on the most-loaded GPU. */
    @Schema(name = "TrainingMemoryPerGpu")
    public record PerGpu(long weightsBytes, long gradientsBytes, long optimizerStatesBytes, long modelStatesBytes,
            @Schema(description = "kept for backward at the fullest moment") long activationsBytes,
            @Schema(description = "short-lived peak: rebuilt layer (FULL recomputation) or logits") long transientBytes,
            @Schema(description = "CUDA context, communication buffers, fragmentation") long frameworkBytes,
            long totalBytes,
            @Schema(description = "totalBytes in GiB (2^30 bytes), for reading") double totalGiB,
            @Schema(description = "LORA / QLORA: the frozen base weights inside weightsBytes (QLORA: quantized, with "
                    + "block constants)") Long frozenWeightsBytes,
            @Schema(description = "LORA / QLORA: the adapters' weights inside weightsBytes") Long adapterWeightsBytes,
            @Schema(description = "QLORA: one layer's largest matrix dequantized to 16 bits, inside modelStatesBytes")
            Long dequantizationBufferBytes) {

        /** The total's parts, with the model states split as /memory/model-states splits them. */
        static PerGpu of(TrainingMemory memory, FineTuningStates fineTuning) {
            ModelStatesResponse.PerGpu states = fineTuning == null ? ModelStatesResponse.PerGpu.of(memory.modelStates())
                    : ModelStatesResponse.PerGpu.of(fineTuning);
            long total = memory.totalBytes();
            return new PerGpu(states.weightsBytes(), states.gradientsBytes(), states.optimizerStatesBytes(),
                    states.totalBytes(), memory.activationsBytes(), memory.transientBytes(), memory.frameworkBytes(),
                    total, Units.toGiB(total), states.frozenWeightsBytes(), states.adapterWeightsBytes(),
                    states.dequantizationBufferBytes());
        }
    }

    /** The GPU compared against. */
    public record Gpu(String id, long memoryBytes) {
    }

    /** The document's model-state and activation formulas. */
    public record DocumentFormulas(FormulaView modelStates, FormulaView activations) {
    }
}
