package dev.llmcalc.core.memory;

import dev.llmcalc.core.unit.DType;

/** Weight formats of the source document's inference table (seed §3: FP32 4Φ, FP16/BF16 2Φ, INT8 1Φ, INT4 < 1Φ). */
public enum InferencePrecision {

    FP32(DType.FP32, "4Φ"),
    BF16(DType.BF16, "2Φ"),
    FP16(DType.FP16, "2Φ"),
    INT8(DType.INT8, "1Φ"),
    INT4(DType.INT4, "<1Φ");

    private final DType dtype;

    private final String documentEntry;

    InferencePrecision(DType dtype, String documentEntry) {
        this.dtype = dtype;
        this.documentEntry = documentEntry;
    }

    public DType dtype() {
        return this.dtype;
    }

    /** The document's table entry for this format. */
    public String documentEntry() {
        return this.documentEntry;
    }
}
