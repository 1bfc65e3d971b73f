package dev.llmcalc.api;

import dev.llmcalc.core.memory.FrameworkAllowance;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.PositiveOrZero;

/** The {@code allowance} object: what the framework uses beyond model states and activations. */
@Schema(description = "Framework allowance; omitted fields take the defaults, zeros remove it")
public record AllowanceSpec(
        @Schema(description = "[1073741824 = 1 GiB] CUDA context, cuBLAS/cuDNN workspaces") @PositiveOrZero Long cudaContextBytes,
        @Schema(description = "[536870912 = 512 MiB] NCCL and communication buffers") @PositiveOrZero Long communicationBufferBytes,
        @Schema(description = "[0.05] allocator fragmentation as a fraction of model states + activations")
        @DecimalMin("0") @DecimalMax("1") Double fragmentationFraction) {

    public static FrameworkAllowance toCore(AllowanceSpec spec) {
        FrameworkAllowance d = FrameworkAllowance.DEFAULT;
        if (spec == null) {
            return d;
        }
        return new FrameworkAllowance(
                spec.cudaContextBytes != null ? spec.cudaContextBytes : d.cudaContextBytes(),
                spec.communicationBufferBytes != null ? spec.communicationBufferBytes : d.communicationBufferBytes(),
                spec.fragmentationFraction != null ? spec.fragmentationFraction : d.fragmentationFraction());
    }

    public static AllowanceSpec from(FrameworkAllowance a) {
        return new AllowanceSpec(a.cudaContextBytes(), a.communicationBufferBytes(), a.fragmentationFraction());
    }
}
