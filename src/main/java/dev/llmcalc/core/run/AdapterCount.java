package dev.llmcalc.core.run;

import java.util.Map;


/**
 * Trainable adapter parameters and frozen base parameters of a fine-tuning run.
 *
 * @param trainableParameters adapter parameters (all parameters for FULL)
 * @param frozenParameters base parameters that get no gradients (0 for FULL)
 * @param quantizedParameters frozen parameters stored quantized under QLORA (the layers' linear matrices; 0 otherwise)
 * @param byModule adapter parameters per target module, summed over layers (and experts)
 * @param largestLayerMatrix elements of the largest weight matrix inside one layer (QLoRA dequantizes one at a time)
 */
public record AdapterCount(long trainableParameters, long frozenParameters, long quantizedParameters,
        Map<TargetModule, Long> byModule, long largestLayerMatrix) {

    public AdapterCount {
        byModule = Map.copyOf(byModule);
    }

    /** Trainable / (trainable + frozen), as PEFT's print_trainable_parameters reports it. */
    public double trainableRatio() {
        long all = Math.addExact(this.trainableParameters, this.frozenParameters);
        return all == 0 ? 0 : (double) this.trainableParameters / all;
    }
}
