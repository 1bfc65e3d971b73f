package dev.llmcalc.core;

import java.util.SplittableRandom;

import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.parallel.Parallelism;

/** Seeded parallel layouts that fit a model, for property tests. */
public final class RandomLayouts {

    private RandomLayouts() {
    }

    /**
     * Degrees that fit the model: t (up to 8) divides the heads, p ≤ min(layers, maxPipeline) with uneven splits
     * included, c up to 4, d up to 8, e (up to 8) divides the experts and d·c, interleaving (v = 2) sometimes.
     */
    public static Parallelism fitting(SplittableRandom random, Architecture model, int maxPipeline) {
        int t = 1;
        for (int candidate = 1 << random.nextInt(0, 4); candidate > 1; candidate /= 2) {
            if (model.numKeyValueHeads() % candidate == 0 && model.numAttentionHeads() % candidate == 0) {
                t = candidate;
                break;
            }
        }
        int p = random.nextInt(1, Math.min(model.numLayers(), maxPipeline) + 1);
        int c = 1 << random.nextInt(0, 3);
        int d = random.nextInt(1, 9);
        int e = 1;
        if (model.isMoe()) {
            for (int candidate = 1 << random.nextInt(0, 4); candidate > 1; candidate /= 2) {
                if (model.moe().numExperts() % candidate == 0 && ((long) d * c) % candidate == 0) {
                    e = candidate;
                    break;
                }
            }
        }
        int v = p > 1 && model.numLayers() % (2 * p) == 0 && random.nextBoolean() ? 2 : 1;
        return new Parallelism(d, t, p, e, c, v);
    }
}
