package dev.llmcalc.core.run;

import static dev.llmcalc.core.unit.InvalidInputException.require;

import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

import dev.llmcalc.core.model.Architecture;

/**
 * The training method and its LoRA options, passed alongside {@link dev.llmcalc.core.run.Training}.
 *
 * @param method FULL, LORA or QLORA
 * @param rank r, the adapter's inner width (0 for FULL)
 * @param alpha LoRA's α; reported only (the update is scaled by α/r, which costs no memory)
 * @param targetModules matrices that get adapters (empty for FULL)
 * @param quantization the frozen base-weight format for QLORA, {@code null} otherwise
 */
public record FineTuning(TrainingMethod method, int rank, double alpha, Set<TargetModule> targetModules,
        Quantization quantization) {

    public static final FineTuning FULL = new FineTuning(TrainingMethod.FULL, 0, 0, Set.of(), null);

    /** PEFT's LoraConfig default r = 8. */
    public static final int DEFAULT_RANK = 8;

    /** The default targets: the attention projections. */
    public static final Set<TargetModule> DEFAULT_TARGETS = Collections.unmodifiableSet(
            EnumSet.of(TargetModule.Q, TargetModule.K, TargetModule.V, TargetModule.O));

    public FineTuning {
        require(method != null, "method", "must be FULL, LORA or QLORA");
        require(targetModules != null, "lora.targetModules", "is required");
        targetModules = targetModules.isEmpty() ? Set.of()
                : Collections.unmodifiableSet(EnumSet.copyOf(targetModules));
        if (method == TrainingMethod.FULL) {
            require(rank == 0 && targetModules.isEmpty(), "lora", "applies only to method LORA or QLORA");
            require(quantization == null, "lora.quantization", "applies only to method QLORA");
        }
        else {
            require(rank >= 1, "lora.rank", "must be at least 1");
            require(!targetModules.isEmpty(), "lora.targetModules", "must name at least one module");
            require(method == TrainingMethod.QLORA || quantization == null, "lora.quantization",
                    "applies only to method QLORA (LORA keeps the base weights at the training's weight precision)");
            require(method != TrainingMethod.QLORA || quantization != null, "lora.quantization",
                    "is required with method QLORA");
        }
    }

    /** Refuses adapters the model cannot take (a target module it does not have, q/k/v/o on MLA attention). */
    public void requireAppliesTo(Architecture model) {
        if (isAdapter()) {
            AdapterCounter.count(model, this);
        }
    }

    public boolean isAdapter() {
        return this.method != TrainingMethod.FULL;
    }

    /** The adapters as the activation ledger counts them (none for FULL). */
    public AdapterActivations adapterActivations() {
        if (!isAdapter()) {
            return AdapterActivations.NONE;
        }
        int attention = (int) this.targetModules.stream().filter(TargetModule::isAttention).count();
        int ffn = (int) this.targetModules.stream().filter(TargetModule::isMlp).count();
        return new AdapterActivations(this.rank, attention, ffn, this.targetModules.contains(TargetModule.EMBEDDING),
                this.targetModules.contains(TargetModule.LM_HEAD));
    }

    /** LoRA scales the adapter's update by α/r (Hu et al. 2021 §4.1); 0 for FULL. */
    public double scaling() {
        return this.rank == 0 ? 0 : this.alpha / this.rank;
    }
}
