package dev.llmcalc.core.comms;

import java.util.List;

/**
 * Communication of one optimizer step on the most-loaded GPU.
 *
 * @param busiest the stage whose GPU moves the most bytes, with its ledger
 * @param stages every stage's ledger
 * @param microBatches micro-batches per step (m)
 * @param order how ranks are numbered over the dimensions
 * @param groups the communication groups, where they sit and (with a cluster) which link they use
 * @param pipelineBytesPerStep bytes the pipeline's boundaries carry in one step, summed over its stages
 * @param assumptions what the figures assume, in words
 */
public record CommunicationEstimate(StageTraffic busiest, List<StageTraffic> stages, long microBatches,
        RankOrder order, List<GroupPlacement> groups, long pipelineBytesPerStep, List<String> assumptions) {

    public CommunicationEstimate {
        stages = List.copyOf(stages);
        groups = List.copyOf(groups);
        assumptions = List.copyOf(assumptions);
    }

    /**
     * @param group size, stride and span of the group
     * @param link its link, or {@code null} without a cluster
     */
    public record GroupPlacement(RankOrder.Group group, LinkKind link) {
    }
}
