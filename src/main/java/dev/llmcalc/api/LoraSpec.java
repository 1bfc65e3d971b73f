package dev.llmcalc.api;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import dev.llmcalc.core.run.BaseWeightFormat;
import dev.llmcalc.core.run.FineTuning;
import dev.llmcalc.core.run.Quantization;
import dev.llmcalc.core.run.TargetModule;
import dev.llmcalc.core.run.TrainingMethod;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/** The {@code training.lora} object: adapter rank, alpha, target modules and, for QLoRA, the base-weight format. */
@Schema(description = "LoRA options (with training.method LORA or QLORA). Omitted fields: rank 8, alpha 8 "
        + "(PEFT's defaults), targetModules q, k, v, o; for QLORA quantization NF4, blockSize 64, doubleQuantization true.")
public record LoraSpec(
        @Schema(description = "[8] r, the adapter's inner width", example = "16") @Min(1) @Max(MAX_RANK) Integer rank,
        @Schema(description = "[8] α; reported only (the update is scaled by α/r, which costs no memory)")
        @Positive Double alpha,
        @Schema(description = "[q, k, v, o] matrices to adapt: q, k, v, o, gate, up, down, embedding, lm_head "
                + "(gate, up and down adapt every expert of a MoE layer)")
        @Size(min = 1, max = 64) List<@NotNull String> targetModules,
        @Schema(description = "QLORA only: how the frozen base weights are stored") @Valid QuantizationSpec quantization) {

    /** Upper bound on r (the widest projections of current models). */
    public static final int MAX_RANK = 65_536;

    /** Block-wise quantization of QLoRA's frozen weights. */
    @Schema(description = "Block-wise quantization (Dettmers et al. 2023 §3). bits/weight = b + 32/B, or with double "
            + "quantization b + 8/B + 32/(B·256): NF4, B = 64 → 4.126953125.")
    public record QuantizationSpec(
            @Schema(description = "[NF4] NF4 or FP4 (4-bit) or INT8") BaseWeightFormat format,
            @Schema(description = "[64] weights per block sharing one absmax constant", example = "64")
            @Min(1) @Max(Quantization.MAX_BLOCK_SIZE) Integer blockSize,
            @Schema(description = "[true] quantize the block constants to 8 bits (blocks of 256)") Boolean doubleQuantization) {

        Quantization toCore() {
            Quantization defaults = Quantization.DEFAULT;
            return new Quantization(this.format != null ? this.format : defaults.format(),
                    this.blockSize != null ? this.blockSize : defaults.blockSize(),
                    this.doubleQuantization != null ? this.doubleQuantization : defaults.doubleQuantization());
        }

        static QuantizationSpec from(Quantization quantization) {
            return new QuantizationSpec(quantization.format(), quantization.blockSize(),
                    quantization.doubleQuantization());
        }
    }

    /** The core options for {@code method} (LORA or QLORA); unknown module ids are a 400 naming their index. */
    FineTuning toCore(TrainingMethod method) {
        Quantization quantization = null;
        if (this.quantization != null) {
            quantization = this.quantization.toCore();
        }
        else if (method == TrainingMethod.QLORA) {
            quantization = Quantization.DEFAULT;
        }
        return new FineTuning(method, this.rank != null ? this.rank : FineTuning.DEFAULT_RANK,
                this.alpha != null ? this.alpha : FineTuning.DEFAULT_RANK, targets(), quantization);
    }

    private Set<TargetModule> targets() {
        if (this.targetModules == null) {
            return FineTuning.DEFAULT_TARGETS;
        }
        Set<TargetModule> targets = EnumSet.noneOf(TargetModule.class);
        for (int i = 0; i < this.targetModules.size(); i++) {
            String id = this.targetModules.get(i);
            int index = i;
            targets.add(TargetModule.fromId(id).orElseThrow(() -> new BadRequestException(
                    "training.lora.targetModules[" + index + "]", "must be one of " + TargetModule.knownIds())));
        }
        return targets;
    }

    static LoraSpec from(FineTuning fineTuning) {
        List<String> ids = new ArrayList<>();
        fineTuning.targetModules().forEach((module) -> ids.add(module.id()));
        return new LoraSpec(fineTuning.rank(), fineTuning.alpha(), List.copyOf(ids),
                fineTuning.quantization() != null ? QuantizationSpec.from(fineTuning.quantization()) : null);
    }
}
