package dev.llmcalc.api;

import dev.llmcalc.core.memory.Optimizer;
import dev.llmcalc.core.memory.Precision;
import dev.llmcalc.core.memory.Training;
import dev.llmcalc.core.memory.ZeroStage;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** The {@code training} object: precision, optimizer, ZeRO stage. */
@Schema(description = "How the model is trained. Omitted fields: MIXED_BF16, ADAMW, zeroStage 0.")
public record TrainingSpec(
        @Schema(description = "[MIXED_BF16] FP32 (4+4 B), MIXED_BF16 / MIXED_FP16 (2+2 B + fp32 master), "
                + "MIXED_BF16_FP32_GRADS (2+4 B + fp32 master, Megatron's default)") Precision precision,
        @Schema(description = "[ADAMW] optimizer whose states are kept") Optimizer optimizer,
        @Schema(description = "[0] ZeRO stage 0-3", example = "1") @Min(0) @Max(3) Integer zeroStage) {

    public Training toCore() {
        return new Training(this.precision != null ? this.precision : Training.DEFAULT.precision(),
                this.optimizer != null ? this.optimizer : Training.DEFAULT.optimizer(),
                this.zeroStage != null ? ZeroStage.of(this.zeroStage) : Training.DEFAULT.zeroStage());
    }

    public static Training toCore(TrainingSpec spec) {
        return spec != null ? spec.toCore() : Training.DEFAULT;
    }

    public static TrainingSpec from(Training training) {
        return new TrainingSpec(training.precision(), training.optimizer(), training.zeroStage().number());
    }
}
