package dev.llmcalc.api.compute;

import dev.llmcalc.api.BadRequestException;
import dev.llmcalc.api.BatchSpec;
import dev.llmcalc.api.ClusterSpec;
import dev.llmcalc.api.EnergySpec;
import dev.llmcalc.api.ModelSpec;
import dev.llmcalc.api.TrainingSpec;
import dev.llmcalc.core.compute.TrainingFlops;
import dev.llmcalc.core.hardware.Efficiency;
import dev.llmcalc.core.run.Recomputation;
import dev.llmcalc.api.KernelEfficiencySpec;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;

/** Body of {@code POST /api/v1/compute}: exactly one of {@code model} or {@code parameters}; defaults in brackets. */
public record ComputeRequest(
        @Schema(description = "the model (gives the detailed count); or send 'parameters'") @Valid ModelSpec model,
        @Schema(description = "N, a raw parameter count (6·N·D only); or send 'model'", example = "175000000000")
        @Positive Long parameters,
        @Schema(description = "D, training tokens", example = "300000000000") @NotNull @Positive Long tokens,
        @Schema(description = "sequence length for the attention term [2048]") @Valid BatchSpec batch,
        @Schema(description = "[false] count causal attention as half of QKᵀ and P·V (FlashAttention); false counts "
                + "all s×s positions (Megatron)") Boolean causal,
        @Schema(description = "[NONE] what the backward pass recomputes; adds to hardwareTrainingFlops") Recomputation recomputation,
        @Schema(description = "GPUs of the run; time and cost need it") @Valid ClusterSpec cluster,
        @Schema(description = "[0.4] model FLOPs utilization: model FLOP/s achieved ÷ dense BF16 peak", example = "0.4")
        @DecimalMin(value = "0", inclusive = false) @DecimalMax("1") Double mfu,
        @Schema(description = "price of one GPU-hour, any currency", example = "2.5")
        @PositiveOrZero @DecimalMax("1e9") Double pricePerGpuHour,
        @Schema(description = "optional: with method LORA or QLORA (needs 'model') the frozen base weights get no "
                + "weight gradients; only method and lora are read") @Valid TrainingSpec training,
        @Schema(description = "utilization [1], pue [1] and gridKgCo2PerKwh (no default) for the energy block, which "
                + "is answered whenever a cluster is given") @Valid EnergySpec energy,
        @Schema(description = "[the GPU's fitted shares] kernel shares for kernelTime, the run's compute by class")
        @Valid KernelEfficiencySpec kernelEfficiency) {

    /** The fields before the training method existed. */
    public ComputeRequest(ModelSpec model, Long parameters, Long tokens, BatchSpec batch, Boolean causal,
            Recomputation recomputation, ClusterSpec cluster, Double mfu, Double pricePerGpuHour) {
        this(model, parameters, tokens, batch, causal, recomputation, cluster, mfu, pricePerGpuHour, null, null, null);
    }

    boolean sequenceLengthGiven() {
        return this.batch != null && this.batch.sequenceLength() != null;
    }

    int sequenceLengthOrDefault() {
        if (!sequenceLengthGiven()) {
            return TrainingFlops.DEFAULT_SEQUENCE_LENGTH;
        }
        if (this.batch.sequenceLength() > Integer.MAX_VALUE) {
            throw new BadRequestException("batch.sequenceLength", "must be at most 2147483647 for compute");
        }
        return this.batch.sequenceLength().intValue();
    }

    boolean causalOrDefault() {
        return Boolean.TRUE.equals(this.causal);
    }

    Recomputation recomputationOrDefault() {
        return this.recomputation != null ? this.recomputation : Recomputation.NONE;
    }

    double mfuOrDefault() {
        return this.mfu != null ? this.mfu : Efficiency.DEFAULT_MFU;
    }
}
