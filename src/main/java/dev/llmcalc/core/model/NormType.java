package dev.llmcalc.core.model;

/** Normalisation layer and how many parameters it holds per hidden unit. */
public enum NormType {

    /** RMSNorm: a weight vector. */
    RMS_NORM(1),

    /** LayerNorm: weight and bias vectors. */
    LAYER_NORM(2),

    /** LayerNorm without affine parameters (OLMo). */
    NON_PARAMETRIC(0);

    private final int vectors;

    NormType(int vectors) {
        this.vectors = vectors;
    }

    /** Parameters per normalised unit. */
    public int vectors() {
        return this.vectors;
    }
}
