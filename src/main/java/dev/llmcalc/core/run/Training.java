package dev.llmcalc.core.run;

import static dev.llmcalc.core.unit.InvalidInputException.require;

/**
 * How the model is trained: precision, optimizer and ZeRO stage.
 */
public record Training(Precision precision, Optimizer optimizer, ZeroStage zeroStage) {

    public static final Training DEFAULT = new Training(Precision.MIXED_BF16, Optimizer.ADAMW, ZeroStage.ZERO_0);

    public Training {
        require(precision != null, "precision", "is required");
        require(optimizer != null, "optimizer", "is required");
        require(zeroStage != null, "zeroStage", "is required");
    }

    // Rajbhandari et al. 2019 §3.1: K = optimizer bytes per parameter, incl. the fp32 master copy (12 for mixed Adam)
    public int optimizerBytesPerParameter() {
        return this.optimizer.stateBytes() + (this.precision.masterCopy() ? 4 : 0);
    }

    /** Weights + gradients + optimizer states per parameter before any sharding (16 for Adam, 18 for Megatron's default). */
    public int bytesPerParameter() {
        return weightBytes() + gradientBytes() + optimizerBytesPerParameter();
    }

    public int weightBytes() {
        return this.precision.weights().bits() / 8;
    }

    public int gradientBytes() {
        return this.precision.gradients().bits() / 8;
    }
}
