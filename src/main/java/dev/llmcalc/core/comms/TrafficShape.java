package dev.llmcalc.core.comms;

import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.run.ActivationOptions;
import dev.llmcalc.core.run.BatchShape;
import dev.llmcalc.core.unit.DType;
import dev.llmcalc.core.unit.Exact;

/**
 * The message sizes of one micro-batch on one GPU.
 *
 * @param tokens R = b·s/c, the tokens of a micro-batch on one context-parallel rank
 * @param sequenceParallelTokens R/t with sequence parallelism (each tensor-parallel rank holds a slice), else R
 * @param tensorParallel bytes of one R × h activation: the all-reduce buffer (all-gather output, reduce-scatter input)
 * @param pipeline bytes one GPU sends across a stage boundary: sequenceParallelTokens × h, or without sequence
 *        parallelism R × h / t (the scatter/gather optimisation, when t divides it)
 * @param scatterGather whether the boundary tensor is scattered over the tensor-parallel ranks and all-gathered after
 *        the send (no sequence parallelism, t &gt; 1)
 * @param expert bytes of one all-to-all: k copies of sequenceParallelTokens × h
 * @param contextBlock bytes of one K and V block of the local heads: R × (K + V width)/t
 * @param blockFlops attention FLOPs of one query block against one K/V block, causal (half the block)
 */
record TrafficShape(long microBatchSize, long sequenceLength, long hidden, long tokens, long sequenceParallelTokens,
        long tensorParallel, long pipeline, boolean scatterGather, long expert, long contextBlock, double blockFlops) {

    static final String Q = "perGpuPerStep.bytes";

    static TrafficShape of(Architecture m, BatchShape batch, ActivationOptions o, Parallelism par) {
        long local = batch.localSequenceLength(par, o.sequenceParallel());
        int t = par.tensor();
        DType type = o.activationType();
        long tokens = Exact.multiply(Q, batch.microBatchSize(), local);
        long spTokens = o.sequenceParallel() ? tokens / t : tokens;
        long hidden = m.hiddenSize();
        int k = m.isMoe() ? m.moe().numExpertsPerToken() : 0;
        long boundary = Exact.multiply(Q, spTokens, hidden);
        // scatter/gather (Narayanan et al. 2021 §4.1): without sequence parallelism each tensor-parallel rank sends
        // 1/t of the boundary tensor across the stage boundary (Megatron splits it only when t divides it)
        boolean scatterGather = !o.sequenceParallel() && t > 1 && boundary % t == 0;
        return new TrafficShape(batch.microBatchSize(), batch.sequenceLength(), hidden, tokens, spTokens,
                type.bytesFor(Q, Exact.multiply(Q, tokens, hidden)),
                type.bytesFor(Q, scatterGather ? boundary / t : boundary), scatterGather,
                type.bytesFor(Q, Exact.multiply(Q, k, spTokens, hidden)),
                type.bytesFor(Q, Exact.multiply(Q, tokens, keyValueWidth(m) / t)),
                attentionBlockFlops(m, tokens, local, t));
    }

    /** Micro-batches per step for traffic: m, or one when the global batch is not given (traffic of one micro-batch). */
    static long microBatches(BatchShape batch, Parallelism par) {
        return Math.max(1, batch.microBatchesPerStep(par.data()));
    }

    // ring attention passes K and V of every local head: 2·g·d per token; MLA passes the up-projected
    // keys and values: a·(d_qk + d_v) per token (Megatron-Core MLA feeds them to the same ring kernel)
    static long keyValueWidth(Architecture m) {
        if (m.hasMla()) {
            return (long) m.numAttentionHeads() * (m.mla().qkHeadDim() + m.mla().vHeadDim());
        }
        return 2L * m.numKeyValueHeads() * m.headDim();
    }

    // QKᵀ and P·V of one (s/c)-query block against one (s/c)-key block on a/t heads: 2·R·(s/c)·(a/t)·(d_qk + d_v);
    // with a causal mask and load-balanced chunks (Megatron-Core/TE) a ring step computes about half of that
    static double attentionBlockFlops(Architecture m, long tokens, long localSequence, int t) {
        double widths = m.hasMla() ? m.mla().qkHeadDim() + m.mla().vHeadDim() : 2.0 * m.headDim();
        return (double) tokens * localSequence * ((double) m.numAttentionHeads() / t) * widths;
    }
}
