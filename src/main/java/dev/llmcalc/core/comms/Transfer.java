package dev.llmcalc.core.comms;

import dev.llmcalc.core.DocumentFormula;

/**
 * One source of traffic in a GPU's step: a collective called {@code count} times on a message of
 * {@code messageBytes}.
 *
 * @param parallelism which parallelism it serves
 * @param source what is sent, when and why
 * @param collective the primitive
 * @param count calls per optimizer step
 * @param messageBytes S of one call (NCCL's convention: the full buffer)
 * @param bytes bytes this GPU sends in the step: count × bytes sent per rank of one call
 * @param groupSize ranks taking part in one call
 * @param link intra- or inter-node, or {@code null} without a cluster
 * @param seconds count × (α·steps + busiest bytes/β), or {@code null} without a cluster
 * @param exposedSeconds the part of {@code seconds} not hidden behind compute, or {@code null} without a cluster
 * @param overlappable whether the framework overlaps it with compute
 * @param documentFormula the document's formula for this traffic, or {@code null} where it has none
 * @param overlapsWith the compute an overlapped transfer hides behind in the step time ({@link OverlapWindow#NONE}
 *        when it is on the critical path)
 * @param latencySeconds the α part of {@code seconds}: count × α × ring steps, or {@code null} without a cluster
 */
public record Transfer(ParallelismKind parallelism, String source, Collective collective, long count,
        long messageBytes, long bytes, long groupSize, LinkKind link, Double seconds, Double exposedSeconds,
        boolean overlappable, DocumentFormula documentFormula, OverlapWindow overlapsWith, Double latencySeconds) {

    /**
     * Overlapped layer by layer (ZeRO-3 prefetch: forward gathers behind forward compute, backward gathers and
     * reduce-scatters behind backward) rather than behind the whole step's compute.
     */
    public boolean layerByLayer() {
        return this.overlapsWith == OverlapWindow.LAYER_PHASE;
    }
}
