package dev.llmcalc.core.memory;

import static dev.llmcalc.core.unit.InvalidInputException.require;

import java.math.BigDecimal;
import java.math.RoundingMode;

import dev.llmcalc.core.unit.OverflowException;
import dev.llmcalc.core.unit.Units;

/**
 * Memory a training process uses beyond model states and activations, stated explicitly so it can
 * be read, changed or set to zero.
 *
 * @param cudaContextBytes CUDA context, cuBLAS/cuDNN workspaces and kernels (typically 0.5–1 GiB per process)
 * @param communicationBufferBytes NCCL channel buffers and communication staging
 * @param fragmentationFraction caching-allocator fragmentation, as a fraction of model states + activations
 */
public record FrameworkAllowance(long cudaContextBytes, long communicationBufferBytes, double fragmentationFraction) {

    /** 1 GiB context and workspaces, 512 MiB communication buffers, 5 % fragmentation. */
    public static final FrameworkAllowance DEFAULT = new FrameworkAllowance(Units.GIB, 512 * Units.MIB, 0.05);

    public static final FrameworkAllowance NONE = new FrameworkAllowance(0, 0, 0);

    public FrameworkAllowance {
        require(cudaContextBytes >= 0, "allowance.cudaContextBytes", "must not be negative");
        require(communicationBufferBytes >= 0, "allowance.communicationBufferBytes", "must not be negative");
        require(Double.isFinite(fragmentationFraction) && fragmentationFraction >= 0 && fragmentationFraction <= 1,
                "allowance.fragmentationFraction", "must be between 0 and 1");
    }

    /** Fragmentation on top of {@code bytes}, rounded up to whole bytes. */
    public long fragmentationBytes(long bytes) {
        BigDecimal value = BigDecimal.valueOf(this.fragmentationFraction).multiply(BigDecimal.valueOf(bytes))
                .setScale(0, RoundingMode.CEILING);
        if (value.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new OverflowException("perGpu.frameworkBytes");
        }
        return value.longValue();
    }
}
