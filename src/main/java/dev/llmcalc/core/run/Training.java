package dev.llmcalc.core.run;

import static dev.llmcalc.core.unit.InvalidInputException.require;

import dev.llmcalc.core.hardware.GpuSpec;
import dev.llmcalc.core.unit.DType;
import dev.llmcalc.core.unit.InvalidInputException;

/**
 * How the model is trained: precision, optimizer and ZeRO stage.
 */
public record Training(Precision precision, Optimizer optimizer, ZeroStage zeroStage, Offload offload) {

    public static final Training DEFAULT = new Training(Precision.MIXED_BF16, Optimizer.ADAMW, ZeroStage.ZERO_0);

    public Training {
        require(precision != null, "precision", "is required");
        require(optimizer != null, "optimizer", "is required");
        require(zeroStage != null, "zeroStage", "is required");
        require(offload != null, "offload", "is required (Offload.NONE for none)");
        // DeepSpeed: offload_optimizer needs ZeRO-1, 2 or 3; offload_param partitions the weights, so ZeRO-3 only
        require(offload.optimizer() == OffloadDevice.NONE || zeroStage != ZeroStage.ZERO_0, "offload.optimizer",
                "needs ZeRO-1, 2 or 3 (DeepSpeed offloads the partitioned optimizer states)");
        require(offload.parameters() == OffloadDevice.NONE || zeroStage == ZeroStage.ZERO_3, "offload.parameters",
                "needs ZeRO-3: only partitioned weights can leave the GPU between uses");
        require(offload.parameters() == OffloadDevice.NONE || !precision.fp8().any(), "offload.parameters",
                "is not modelled with " + precision + " yet (its FP8 weight copies live beside the gathered layer)");
    }

    /** FP8 GEMMs need an FP8 tensor core: refused on a GPU whose catalog entry has no FP8 peak (A100, V100, …). */
    public void requireRunsOn(GpuSpec gpu) {
        if (this.precision.fp8().any() && gpu.peakFlops(DType.FP8).isEmpty()) {
            throw new InvalidInputException("training.precision", this.precision + " needs FP8 tensor cores; "
                    + gpu.id() + " has no FP8 peak (Hopper, Ada, Blackwell or MI300 do)");
        }
    }

    /** Nothing offloaded. */
    public Training(Precision precision, Optimizer optimizer, ZeroStage zeroStage) {
        this(precision, optimizer, zeroStage, Offload.NONE);
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
