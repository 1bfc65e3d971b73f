package dev.llmcalc.core.comms;

import java.util.List;

/**
 * One GPU of a pipeline stage: its transfers in one optimizer step.
 *
 * @param pipelineStage 0-based
 * @param layers transformer layers on the stage
 * @param moeLayers of which have a mixture-of-experts FFN
 * @param transfers every source of traffic
 */
public record StageTraffic(int pipelineStage, int layers, int moeLayers, List<Transfer> transfers) {

    public StageTraffic {
        transfers = List.copyOf(transfers);
    }

    public long totalBytes() {
        long total = 0;
        for (Transfer transfer : this.transfers) {
            total = Math.addExact(total, transfer.bytes());
        }
        return total;
    }

    /** Sum of the transfers' seconds, or {@code null} without a cluster. */
    public Double totalSeconds() {
        return sum(false);
    }

    /** Sum of the transfers' exposed seconds, or {@code null} without a cluster. */
    public Double exposedSeconds() {
        return sum(true);
    }

    /** Seconds of the transfers overlapped layer by layer (ZeRO-3), or {@code null} without a cluster. */
    public Double layerByLayerSeconds() {
        StageSeconds seconds = seconds();
        return seconds != null ? seconds.layerByLayer() : null;
    }

    /**
     * The stage's seconds by what can hide them, summed in the ledger's order (as {@link CommunicationSeconds} sums
     * them), or {@code null} without a cluster.
     */
    public StageSeconds seconds() {
        double total = 0;
        double exposed = 0;
        double layered = 0;
        double last = 0;
        double each = 0;
        double weightGradient = 0;
        double tensor = 0;
        double gather = 0;
        double expert = 0;
        double layeredLatency = 0;
        double pipeline = 0;
        double context = 0;
        double contextExposed = 0;
        for (Transfer transfer : this.transfers) {
            if (transfer.seconds() == null) {
                return null;
            }
            double seconds = transfer.seconds();
            total += seconds;
            exposed += transfer.exposedSeconds();
            switch (transfer.overlapsWith()) {
                case LAYER_PHASE -> {
                    layered += seconds;
                    layeredLatency += transfer.latencySeconds();
                }
                case LAST_BACKWARD -> last += seconds;
                case EACH_BACKWARD -> each += seconds;
                case WEIGHT_GRADIENT -> weightGradient += seconds;
                default -> {
                }
            }
            if (StageSeconds.tensorCritical(transfer.parallelism(), transfer.overlapsWith())) {
                tensor += seconds;
            }
            if (StageSeconds.parameterGather(transfer.parallelism(), transfer.collective(), transfer.overlapsWith())) {
                gather += seconds;
            }
            if (StageSeconds.expert(transfer.parallelism(), transfer.overlapsWith())) {
                expert += seconds;
            }
            if (transfer.parallelism() == ParallelismKind.PIPELINE) {
                pipeline += seconds;
            }
            if (transfer.parallelism() == ParallelismKind.CONTEXT) {
                context += seconds;
                contextExposed += transfer.exposedSeconds();
            }
        }
        return new StageSeconds(total, exposed, layered, last, each, weightGradient, tensor, gather, expert,
                layeredLatency, pipeline, context, contextExposed);
    }

    private Double sum(boolean exposed) {
        double total = 0;
        for (Transfer transfer : this.transfers) {
            Double seconds = exposed ? transfer.exposedSeconds() : transfer.seconds();
            if (seconds == null) {
                return null;
            }
            total += seconds;
        }
        return total;
    }
}
