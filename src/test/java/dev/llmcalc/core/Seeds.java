package dev.llmcalc.core;

import java.util.SplittableRandom;

/**
 * Seeds for randomized property tests: fixed by default so runs repeat, overridable with
 * {@code -Dproperty.seed=N}; the seed goes into every assertion message.
 */
public final class Seeds {

    private Seeds() {
    }

    public static long seed() {
        return Long.getLong("property.seed", 20_261_129L);
    }

    public static SplittableRandom random() {
        return new SplittableRandom(seed());
    }

    /** Cases per property; raise with {@code -Dproperty.cases=N}. */
    public static int cases() {
        return Integer.getInteger("property.cases", 500);
    }
}
