package dev.llmcalc.core.model;

/** Feed-forward block shape. */
public enum MlpType {

    /** Gate, up and down projections (SwiGLU / GeGLU): 3·h·f weights. */
    GATED(3),

    /** Up and down projections (GELU MLP of GPT-2): 2·h·f weights. */
    STANDARD(2);

    private final int matrices;

    MlpType(int matrices) {
        this.matrices = matrices;
    }

    /** Number of h×f weight matrices. */
    public int matrices() {
        return this.matrices;
    }

    /** Number of f-wide bias vectors (one per matrix that maps h to f). */
    public int ffnWideBiases() {
        return this.matrices - 1;
    }
}
