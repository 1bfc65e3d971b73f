package dev.llmcalc.core.plan;

import dev.llmcalc.core.activation.Recomputation;
import dev.llmcalc.core.memory.ZeroStage;
import dev.llmcalc.core.parallel.Parallelism;

/**
 * One candidate: how the GPUs are split and what each keeps.
 *
 * @param parallelism data × tensor × pipeline × context (and expert) degrees
 * @param zeroStage ZeRO stage
 * @param recomputation recomputation mode
 * @param sequenceParallel Megatron sequence parallelism (on whenever tensor parallelism is and the sequence allows)
 * @param microBatchSize sequences per micro-batch per data-parallel rank
 */
public record Layout(Parallelism parallelism, ZeroStage zeroStage, Recomputation recomputation,
        boolean sequenceParallel, long microBatchSize) {

    /** A total order for ties: smaller degrees and stages first. */
    long[] key() {
        Parallelism p = this.parallelism;
        return new long[] { p.tensor(), p.pipeline(), p.context(), p.expert(), p.data(), this.zeroStage.number(),
                this.recomputation.ordinal(), this.microBatchSize };
    }
}
