package dev.llmcalc.api.memory;

import java.util.List;

import dev.llmcalc.api.FineTuningView;
import dev.llmcalc.api.FormulaView;
import dev.llmcalc.api.OffloadView;
import dev.llmcalc.api.ParallelismSpec;
import dev.llmcalc.api.TrainingSpec;
import dev.llmcalc.core.memory.FineTuningStates;
import dev.llmcalc.core.memory.ModelStateBytes;
import dev.llmcalc.core.memory.ModelStateCalculator;
import dev.llmcalc.core.memory.ModelStateItem;
import dev.llmcalc.core.parallel.LocalParameters;
import dev.llmcalc.core.unit.Units;
import io.swagger.v3.oas.annotations.media.Schema;

/** Answer of {@code POST /api/v1/memory/model-states}. */
public record ModelStatesResponse(
        @Schema(description = "the preset id, 'architecture' or 'parameters'") String model,
        @Schema(description = "Φ, the model's parameters") long parameters,
        TrainingSpec training,
        ParallelismSpec parallelism,
        @Schema(description = "model states of the most-loaded GPU") PerGpu perGpu,
        @Schema(description = "parameters that GPU holds before ZeRO partitioning") LocalParametersView localParameters,
        @Schema(description = "weights + gradients + optimizer bytes per parameter before partitioning") int bytesPerParameter,
        @Schema(description = "per-GPU bytes / parameters the GPU serves") double effectiveBytesPerParameter,
        @Schema(description = "ranks the dense ZeRO partitions are spread over: data × context, or "
                + "training.shardGroupSize with hybrid sharding") long zeroShards,
        FormulaView documentFormula,
        List<String> assumptions,
        @Schema(description = "with training.method LORA or QLORA: trainable and frozen parameters (omitted for FULL)")
        FineTuningView fineTuning,
        @Schema(description = "with training.offload: what leaves the GPU, per GPU and per node of "
                + ModelStateCalculator.DEFAULT_GPUS_PER_NODE + " GPUs") OffloadView offload,
        @Schema(description = "full training with a model: the same GPU's model states buffer by buffer with the width "
                + "each is kept in (weights, FP8 copies and scaling state, gradients, master weights, optimizer states); "
                + "they add up to perGpu.totalBytes") List<ModelStateItemView> items,
        @Schema(description = "optimizer MUON: Newton–Schulz matmul FLOPs of one optimizer step over the whole model, "
                + "Σ 5·(4m²n + 2m³) over the hidden m × n matrices (m ≤ n); not in any step time yet")
        Long newtonSchulzFlopsPerStep) {

    /** Without the per-buffer items. */
    public ModelStatesResponse(String model, long parameters, TrainingSpec training, ParallelismSpec parallelism,
            PerGpu perGpu, LocalParametersView localParameters, int bytesPerParameter, double effectiveBytesPerParameter,
            long zeroShards, FormulaView documentFormula, List<String> assumptions, FineTuningView fineTuning,
            OffloadView offload) {
        this(model, parameters, training, parallelism, perGpu, localParameters, bytesPerParameter,
                effectiveBytesPerParameter, zeroShards, documentFormula, assumptions, fineTuning, offload, null, null);
    }

    /** One buffer of the model states and its width. */
    public record ModelStateItemView(@Schema(description = "the buffer") String tensor,
            @Schema(description = "the width it is kept in, e.g. fp8, bf16, fp32") String format, long bytes) {

        public static List<ModelStateItemView> of(List<ModelStateItem> items) {
            return items == null ? null
                    : items.stream().map(item -> new ModelStateItemView(item.tensor(), item.format(), item.bytes()))
                            .toList();
        }
    }

    /** Bytes on one GPU; the fp32 master copy is inside optimizer states. */
    @Schema(name = "ModelStatesPerGpu")
    public record PerGpu(long weightsBytes, long gradientsBytes, long optimizerStatesBytes, long totalBytes,
            @Schema(description = "totalBytes in GiB (2^30 bytes), for reading") double totalGiB,
            @Schema(description = "LORA / QLORA: the frozen base weights inside weightsBytes (QLORA: quantized, with "
                    + "block constants)") Long frozenWeightsBytes,
            @Schema(description = "LORA / QLORA: the adapters' weights inside weightsBytes") Long adapterWeightsBytes,
            @Schema(description = "QLORA: one layer's largest matrix dequantized to 16 bits, inside totalBytes")
            Long dequantizationBufferBytes) {

        static PerGpu of(ModelStateBytes bytes) {
            long total = bytes.totalBytes();
            return new PerGpu(bytes.weightsBytes(), bytes.gradientsBytes(), bytes.optimizerStatesBytes(), total,
                    Units.toGiB(total), null, null, null);
        }

        static PerGpu of(FineTuningStates states) {
            long total = states.totalBytes();
            return new PerGpu(states.weightsBytes(), states.adapters().gradientsBytes(),
                    states.adapters().optimizerStatesBytes(), total, Units.toGiB(total), states.frozenWeightsBytes(),
                    states.adapters().weightsBytes(),
                    states.dequantizationBufferBytes() > 0 ? states.dequantizationBufferBytes() : null);
        }
    }

    /** Parameters on the most-loaded GPU before ZeRO partitioning. */
    public record LocalParametersView(long total, long dense, long expert,
            @Schema(description = "0-based pipeline stage of that GPU") int pipelineStage,
            @Schema(description = "transformer layers on that stage (0 for a raw count)") int layers) {

        static LocalParametersView of(LocalParameters local) {
            return new LocalParametersView(local.total(), local.dense(), local.expert(), local.pipelineStage(),
                    local.layers());
        }
    }
}
