package dev.llmcalc.core.run;

import static dev.llmcalc.core.unit.InvalidInputException.require;

import dev.llmcalc.core.unit.DType;
import dev.llmcalc.core.unit.Exact;

/**
 * Block-wise quantization of the frozen base weights (Dettmers et al. 2023 §3): every block of
 * {@code blockSize} weights stores one fp32 absmax constant; with double quantization those constants
 * are themselves quantized to 8 bits in blocks of {@value #SECOND_LEVEL_BLOCK_SIZE}, each such block
 * keeping one fp32 constant.
 *
 * @param format stored value format
 * @param blockSize weights per first-level block (64 in QLoRA)
 * @param doubleQuantization whether the first-level constants are quantized to 8 bits
 */
public record Quantization(BaseWeightFormat format, int blockSize, boolean doubleQuantization) {

    /** QLoRA's choice: NF4, blocks of 64, double quantization. */
    public static final Quantization DEFAULT = new Quantization(BaseWeightFormat.NF4, 64, true);

    /** Dettmers et al. 2023 §3: the 8-bit first-level constants are quantized in blocks of 256. */
    public static final int SECOND_LEVEL_BLOCK_SIZE = 256;

    /** Bits of an unquantized (fp32) block constant. */
    public static final int FP32_CONSTANT_BITS = DType.FP32.bits();

    /** Bits of a double-quantized first-level constant. */
    public static final int DOUBLE_QUANTIZED_CONSTANT_BITS = DType.INT8.bits();

    /** Largest block size accepted (bitsandbytes uses 32 to 4096). */
    public static final int MAX_BLOCK_SIZE = 1 << 20;

    public Quantization {
        require(format != null, "lora.quantization.format", "must be NF4, FP4 or INT8");
        require(blockSize >= 1 && blockSize <= MAX_BLOCK_SIZE, "lora.quantization.blockSize",
                "must be between 1 and " + MAX_BLOCK_SIZE);
    }

    // Dettmers et al. 2023 §3: bits/weight = b + 32/B, or with double quantization b + 8/B + 32/(B·256)
    // (NF4, B = 64, double quantization: 4 + 0.125 + 0.001953125 = 4.126953125)
    public double bitsPerWeight() {
        double constants = this.doubleQuantization
                ? (double) DOUBLE_QUANTIZED_CONSTANT_BITS / this.blockSize
                        + (double) FP32_CONSTANT_BITS / ((double) this.blockSize * SECOND_LEVEL_BLOCK_SIZE)
                : (double) FP32_CONSTANT_BITS / this.blockSize;
        return this.format.valueBits() + constants;
    }

    /** The formula {@link #bitsPerWeight()} evaluates, written out for this configuration. */
    public String formula() {
        int b = this.format.valueBits();
        return this.doubleQuantization
                ? "bits/weight = b + 8/B + 32/(B·256) = " + b + " + 8/" + this.blockSize + " + 32/(" + this.blockSize
                        + "·256) = " + bitsPerWeight()
                : "bits/weight = b + 32/B = " + b + " + 32/" + this.blockSize + " = " + bitsPerWeight();
    }

    // Dettmers et al. 2023 §3: packed b-bit values, ceil(n/B) first-level constants (fp32, or 8-bit plus one
    // fp32 per 256 of them with double quantization); bytes rounded up
    public long bytesFor(long weights) {
        String q = "perGpu.frozenWeightsBytes";
        long values = this.format.storage().bytesFor(q, weights);
        long blocks = Exact.ceilDiv(weights, this.blockSize);
        long constants = this.doubleQuantization
                ? Exact.add(q, DType.INT8.bytesFor(q, blocks),
                        DType.FP32.bytesFor(q, Exact.ceilDiv(blocks, SECOND_LEVEL_BLOCK_SIZE)))
                : DType.FP32.bytesFor(q, blocks);
        return Exact.add(q, values, constants);
    }
}
