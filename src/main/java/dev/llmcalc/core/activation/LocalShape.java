package dev.llmcalc.core.activation;

import dev.llmcalc.core.unit.Exact;

/**
 * A micro-batch as one GPU sees it.
 *
 * @param microBatchSize b
 * @param localSequence s / c, the queries this GPU holds under context parallelism
 * @param sequenceLength s, the keys every query attends to
 * @param tensorParallel t
 */
record LocalShape(long microBatchSize, long localSequence, long sequenceLength, long tensorParallel) {

    /** R = b·s/c tokens. */
    long tokens() {
        return Exact.multiply(ActivationLedger.QUANTITY, this.microBatchSize, this.localSequence);
    }

    /** P = b·a·(s/c)·s attention probabilities (before the tensor-parallel split). */
    long attentionProbabilities(long heads) {
        return Exact.multiply(ActivationLedger.QUANTITY, Exact.multiply(ActivationLedger.QUANTITY, tokens(), heads),
                this.sequenceLength);
    }
}
