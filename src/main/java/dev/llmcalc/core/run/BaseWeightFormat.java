package dev.llmcalc.core.run;

import dev.llmcalc.core.unit.DType;

/** Storage formats of QLoRA's frozen base weights and the bits of one stored value. */
public enum BaseWeightFormat {

    /** 4-bit NormalFloat (Dettmers et al. 2023 §3): quantiles of a normal distribution. */
    NF4(DType.INT4),

    /** 4-bit floating point (bitsandbytes FP4, E2M1). */
    FP4(DType.INT4),

    /** 8-bit integers, block-wise absmax (bitsandbytes blockwise quantization, Dettmers et al. 2022). */
    INT8(DType.INT8);

    private final DType storage;

    BaseWeightFormat(DType storage) {
        this.storage = storage;
    }

    /** Bits of one quantized value (4 or 8), before the block constants. */
    public int valueBits() {
        return this.storage.bits();
    }

    public DType storage() {
        return this.storage;
    }
}
