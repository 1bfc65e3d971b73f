package dev.llmcalc.core.run;

import dev.llmcalc.core.unit.InvalidInputException;

/** ZeRO stages (Rajbhandari et al. 2019, §5): what is partitioned across the data-parallel group. */
public enum ZeroStage {

    /** Nothing partitioned: plain data parallelism. */
    ZERO_0(false, false, false),

    /** P_os: optimizer states partitioned. */
    ZERO_1(true, false, false),

    /** P_os+g: optimizer states and gradients partitioned. */
    ZERO_2(true, true, false),

    /** P_os+g+p: optimizer states, gradients and parameters partitioned. */
    ZERO_3(true, true, true);

    private final boolean shardsOptimizer;

    private final boolean shardsGradients;

    private final boolean shardsWeights;

    ZeroStage(boolean shardsOptimizer, boolean shardsGradients, boolean shardsWeights) {
        this.shardsOptimizer = shardsOptimizer;
        this.shardsGradients = shardsGradients;
        this.shardsWeights = shardsWeights;
    }

    public static ZeroStage of(int stage) {
        InvalidInputException.require(stage >= 0 && stage <= 3, "zeroStage", "must be 0, 1, 2 or 3");
        return values()[stage];
    }

    public int number() {
        return ordinal();
    }

    public boolean shardsOptimizer() {
        return this.shardsOptimizer;
    }

    public boolean shardsGradients() {
        return this.shardsGradients;
    }

    public boolean shardsWeights() {
        return this.shardsWeights;
    }
}
