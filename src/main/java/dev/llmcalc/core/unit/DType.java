package dev.llmcalc.core.unit;

/**
 * Storage formats and their sizes. Sizes are kept in bits so that 4-bit formats are half a byte,
 * never zero. The one place in the product that knows how wide a number is.
 */
public enum DType {

    FP32(32),
    TF32(32),
    FP16(16),
    BF16(16),
    FP8(8),
    INT8(8),
    INT4(4);

    private final int bits;

    DType(int bits) {
        this.bits = bits;
    }

    public int bits() {
        return this.bits;
    }

    /** Bytes per element as a ratio (0.5 for INT4). */
    public double bytesPerElement() {
        return this.bits / 8.0;
    }

    /** Exact bytes for {@code elements} values, rounded up to whole bytes (packed 4-bit values share a byte). */
    public long bytesFor(String quantity, long elements) {
        long bits = Exact.multiply(quantity, elements, this.bits);
        return Exact.ceilDiv(bits, 8);
    }
}
