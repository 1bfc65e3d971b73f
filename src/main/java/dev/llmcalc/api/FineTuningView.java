package dev.llmcalc.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.llmcalc.core.run.AdapterCount;
import dev.llmcalc.core.run.FineTuning;
import dev.llmcalc.core.run.Quantization;
import dev.llmcalc.core.run.TargetModule;
import dev.llmcalc.core.run.TrainingMethod;
import io.swagger.v3.oas.annotations.media.Schema;

/** Trainable and frozen parameters of a FULL, LORA or QLORA run. */
public record FineTuningView(
        TrainingMethod method,
        @Schema(description = "r (LORA / QLORA)") Integer rank,
        @Schema(description = "α, reported only") Double alpha,
        @Schema(description = "α/r, the adapter update's scale") Double scaling,
        @Schema(description = "adapted matrices, in q, k, v, o, gate, up, down, embedding, lm_head order") List<String> targetModules,
        @Schema(description = "parameters that get gradients and optimizer states: r·(d_in + d_out) per adapted matrix "
                + "per layer (all parameters for FULL)") long trainableParameters,
        @Schema(description = "base parameters kept frozen (0 for FULL)") long frozenParameters,
        @Schema(description = "trainable / (trainable + frozen)") double trainableRatio,
        @Schema(description = "adapter parameters per target module, summed over layers and experts") Map<String, Long> adapterParametersByModule,
        @Schema(description = "QLORA: frozen parameters stored quantized (the layers' linear matrices)") Long quantizedParameters,
        @Schema(description = "QLORA: the base-weight format and its cost") QuantizationView quantization) {

    /** QLoRA's block-wise quantization with the bits per weight it costs. */
    public record QuantizationView(String format, int blockSize, boolean doubleQuantization,
            @Schema(description = "value bits + block constants per weight; NF4, 64, double quantization: 4.126953125")
            double bitsPerWeight,
            @Schema(description = "the formula used, with this configuration's numbers") String formula) {

        static QuantizationView of(Quantization quantization) {
            return new QuantizationView(quantization.format().name(), quantization.blockSize(),
                    quantization.doubleQuantization(), quantization.bitsPerWeight(), quantization.formula());
        }
    }

    public static FineTuningView of(FineTuning tuning, AdapterCount count) {
        if (!tuning.isAdapter()) {
            return new FineTuningView(tuning.method(), null, null, null, null, count.trainableParameters(),
                    count.frozenParameters(), count.trainableRatio(), null, null, null);
        }
        Map<String, Long> byModule = new LinkedHashMap<>();
        for (TargetModule module : tuning.targetModules()) {
            byModule.put(module.id(), count.byModule().get(module));
        }
        boolean quantized = tuning.quantization() != null;
        return new FineTuningView(tuning.method(), tuning.rank(), tuning.alpha(), tuning.scaling(),
                List.copyOf(byModule.keySet()), count.trainableParameters(), count.frozenParameters(),
                count.trainableRatio(), byModule, quantized ? count.quantizedParameters() : null,
                quantized ? QuantizationView.of(tuning.quantization()) : null);
    }
}
