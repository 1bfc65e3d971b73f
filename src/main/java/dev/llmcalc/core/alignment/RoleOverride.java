package dev.llmcalc.core.alignment;

import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.run.FineTuning;
import dev.llmcalc.core.run.Training;
import dev.llmcalc.core.unit.DType;

/**
 * A role's own model, training or storage where it differs from the policy's (a smaller reward model, a critic
 * trained at another ZeRO stage, a reference kept in FP8).
 *
 * @param model its architecture (reward and critic: before the scalar head replaces the LM head), or {@code null}
 * @param training a trained role's precision, optimizer and ZeRO stage (full training), or {@code null}
 * @param precision a frozen role's storage format, or {@code null}
 * @param parallelism with SEPARATE placement, the layout of the role's own GPUs, or {@code null} for the policy's
 * @param fineTuning a trained role's method (FULL, LORA, QLORA), or {@code null} for full training
 */
public record RoleOverride(Architecture model, Training training, DType precision, Parallelism parallelism,
        FineTuning fineTuning) {

    /** Without a layout or method of its own. */
    public RoleOverride(Architecture model, Training training, DType precision) {
        this(model, training, precision, null, null);
    }
}
