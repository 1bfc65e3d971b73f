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
        StageSeconds.Sums sums = new StageSeconds.Sums();
        for (Transfer transfer : this.transfers) {
            if (transfer.seconds() == null) {
                return null;
            }
            sums.add(transfer.parallelism(), transfer.collective(), transfer.overlapsWith(), transfer.seconds(),
                    transfer.exposedSeconds(), transfer.latencySeconds());
        }
        return sums.build();
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
