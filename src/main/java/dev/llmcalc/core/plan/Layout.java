package dev.llmcalc.core.plan;

import java.util.Set;

import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.run.Offload;
import dev.llmcalc.core.run.RecomputeModule;
import dev.llmcalc.core.run.Recomputation;
import dev.llmcalc.core.run.ZeroStage;

/**
 * One candidate: how the GPUs are split and what each keeps.
 *
 * @param parallelism data × tensor × pipeline × context (and expert) degrees
 * @param zeroStage ZeRO stage
 * @param recomputation recomputation mode
 * @param sequenceParallel Megatron sequence parallelism (on whenever tensor parallelism is and the sequence allows)
 * @param microBatchSize sequences per micro-batch per data-parallel rank
 * @param offload what the plan moves off the GPU
 * @param recomputeModules with SELECTIVE recomputation, the Megatron-Core modules rebuilt in backward (empty: the
 *        attention core)
 */
public record Layout(Parallelism parallelism, ZeroStage zeroStage, Recomputation recomputation,
        boolean sequenceParallel, long microBatchSize, Offload offload, Set<RecomputeModule> recomputeModules) {

    public Layout {
        recomputeModules = Set.copyOf(recomputeModules);
    }

    /** A layout with selective recomputation of the attention core only (when selective). */
    public Layout(Parallelism parallelism, ZeroStage zeroStage, Recomputation recomputation, boolean sequenceParallel,
            long microBatchSize, Offload offload) {
        this(parallelism, zeroStage, recomputation, sequenceParallel, microBatchSize, offload, Set.of());
    }

    /** A layout that keeps everything on the GPU. */
    public Layout(Parallelism parallelism, ZeroStage zeroStage, Recomputation recomputation, boolean sequenceParallel,
            long microBatchSize) {
        this(parallelism, zeroStage, recomputation, sequenceParallel, microBatchSize, Offload.NONE);
    }

    /** The order of {@link #key()}, compared field by field without building the keys (the search's tie-break). */
    static int compare(Layout a, Layout b) {
        Parallelism p = a.parallelism;
        Parallelism q = b.parallelism;
        int c = Long.compare(p.tensor(), q.tensor());
        if (c == 0) {
            c = Long.compare(p.pipeline(), q.pipeline());
        }
        if (c == 0) {
            c = Long.compare(p.virtualPipeline(), q.virtualPipeline());
        }
        if (c == 0) {
            c = Long.compare(p.context(), q.context());
        }
        if (c == 0) {
            c = Long.compare(p.expert(), q.expert());
        }
        if (c == 0) {
            c = Long.compare(p.data(), q.data());
        }
        if (c == 0) {
            c = Long.compare(a.zeroStage.number(), b.zeroStage.number());
        }
        if (c == 0) {
            c = Long.compare(a.offload.optimizer().ordinal(), b.offload.optimizer().ordinal());
        }
        if (c == 0) {
            c = Long.compare(a.offload.parameters().ordinal(), b.offload.parameters().ordinal());
        }
        if (c == 0) {
            c = Long.compare(a.recomputation.ordinal(), b.recomputation.ordinal());
        }
        if (c == 0) {
            c = Long.compare(modulesKey(a.recomputeModules), modulesKey(b.recomputeModules));
        }
        return c != 0 ? c : Long.compare(a.microBatchSize, b.microBatchSize);
    }

    /** A total order for ties: smaller degrees and stages first. */
    long[] key() {
        Parallelism p = this.parallelism;
        return new long[] { p.tensor(), p.pipeline(), p.virtualPipeline(), p.context(), p.expert(), p.data(),
                this.zeroStage.number(),
                this.offload.optimizer().ordinal(), this.offload.parameters().ordinal(), this.recomputation.ordinal(),
                modulesKey(this.recomputeModules), this.microBatchSize };
    }

    // the modules as bits in declaration order (the attention core alone, the default, first)
    private static long modulesKey(Set<RecomputeModule> modules) {
        long bits = 0;
        for (RecomputeModule module : modules) {
            bits |= 1L << module.ordinal();
        }
        return bits;
    }
}
