package dev.llmcalc.core.memory;

import static dev.llmcalc.core.unit.InvalidInputException.require;

import java.math.BigDecimal;
import java.math.RoundingMode;

import dev.llmcalc.core.unit.Exact;
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

    private static final long[] POWERS_OF_TEN = { 1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L,
            100_000_000L, 1_000_000_000L, 10_000_000_000L, 100_000_000_000L, 1_000_000_000_000L,
            10_000_000_000_000L, 100_000_000_000_000L, 1_000_000_000_000_000L, 10_000_000_000_000_000L,
            100_000_000_000_000_000L, 1_000_000_000_000_000_000L };

    public FrameworkAllowance {
        require(cudaContextBytes >= 0, "allowance.cudaContextBytes", "must not be negative");
        require(communicationBufferBytes >= 0, "allowance.communicationBufferBytes", "must not be negative");
        require(Double.isFinite(fragmentationFraction) && fragmentationFraction >= 0 && fragmentationFraction <= 1,
                "allowance.fragmentationFraction", "must be between 0 and 1");
    }

    /** Fragmentation on top of {@code bytes}, rounded up to whole bytes: ceil(fraction × bytes), exactly. */
    public long fragmentationBytes(long bytes) {
        return fragmentation().of(bytes);
    }

    /** The fragmentation fraction prepared for repeated use (a layout search applies it millions of times). */
    public Fragmentation fragmentation() {
        return new Fragmentation(BigDecimal.valueOf(this.fragmentationFraction));
    }

    /** ceil(fraction × bytes) with the fraction as its shortest decimal u / 10^k (0.05 = 5 / 10^2). */
    public static final class Fragmentation {

        private final BigDecimal decimal;

        private final long unscaled;

        private final long divisor;

        Fragmentation(BigDecimal decimal) {
            this.decimal = decimal;
            boolean small = decimal.scale() >= 0 && decimal.scale() < POWERS_OF_TEN.length
                    && decimal.unscaledValue().bitLength() < 63;
            this.unscaled = small ? decimal.unscaledValue().longValue() : -1;
            this.divisor = small ? POWERS_OF_TEN[decimal.scale()] : 0;
        }

        public long of(long bytes) {
            if (this.unscaled == 0) {
                return 0;
            }
            if (this.unscaled > 0 && bytes >= 0 && Math.multiplyHigh(this.unscaled, bytes) == 0
                    && this.unscaled * bytes >= 0) {
                return Exact.ceilDiv(this.unscaled * bytes, this.divisor);
            }
            BigDecimal value = this.decimal.multiply(BigDecimal.valueOf(bytes)).setScale(0, RoundingMode.CEILING);
            if (value.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
                throw new OverflowException("perGpu.frameworkBytes");
            }
            return value.longValue();
        }
    }
}
