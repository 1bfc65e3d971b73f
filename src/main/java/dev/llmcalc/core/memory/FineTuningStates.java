package dev.llmcalc.core.memory;

import dev.llmcalc.core.memory.ModelStateBytes;
import dev.llmcalc.core.parallel.LocalParameters;
import dev.llmcalc.core.run.AdapterCount;
import dev.llmcalc.core.unit.Exact;

/**
 * Model-state bytes on one GPU for a LoRA or QLoRA run.
 *
 * @param frozenWeightsBytes frozen base weights at their storage precision (with quantization constants for QLoRA)
 * @param adapters the adapters' weights, gradients and optimizer states (incl. fp32 master) after ZeRO partitioning
 * @param dequantizationBufferBytes QLoRA: one layer's largest matrix dequantized to 16 bits for its matmul (0 for LoRA)
 * @param count the parameter accounting of the whole model these bytes come from
 * @param local frozen + adapter parameters this GPU holds before ZeRO partitioning, with its pipeline stage
 */
public record FineTuningStates(long frozenWeightsBytes, ModelStateBytes adapters, long dequantizationBufferBytes,
        AdapterCount count, LocalParameters local) {

    /** Frozen + adapter weights. */
    public long weightsBytes() {
        return Exact.add("perGpu.weightsBytes", this.frozenWeightsBytes, this.adapters.weightsBytes());
    }

    /** Per-GPU bytes divided by the parameters (frozen and adapters) the GPU serves. */
    public double effectiveBytesPerParameter() {
        return totalBytes() / (double) this.local.total();
    }

    /** Everything above, as the model states one GPU holds. */
    public long totalBytes() {
        return Exact.sum("perGpu.totalBytes", this.frozenWeightsBytes, this.adapters.totalBytes(),
                this.dequantizationBufferBytes);
    }

    /**
     * The same bytes as full-training model states for the training-memory total: weights are the frozen and adapter
     * weights plus QLoRA's dequantization buffer; gradients and optimizer states are the adapters'.
     */
    public ModelStateBytes asModelStateBytes() {
        return new ModelStateBytes(Exact.add("perGpu.weightsBytes", weightsBytes(), this.dequantizationBufferBytes),
                this.adapters.gradientsBytes(), this.adapters.optimizerStatesBytes());
    }
}
