package dev.llmcalc.core.memory;

import static dev.llmcalc.core.unit.InvalidInputException.require;

/**
 * Where checkpoints are written, and how fast. Either bound may be unknown (null); with neither, no save time is
 * reported (no storage speed is guessed).
 *
 * @param writeBandwidthPerNode bytes/s one node can write (its NICs or local disks)
 * @param aggregateWriteBandwidth bytes/s the storage system takes from all nodes together
 */
public record CheckpointStorage(Double writeBandwidthPerNode, Double aggregateWriteBandwidth) {

    public static final CheckpointStorage UNKNOWN = new CheckpointStorage(null, null);

    public CheckpointStorage {
        require(writeBandwidthPerNode == null || (writeBandwidthPerNode > 0 && Double.isFinite(writeBandwidthPerNode)),
                "storage.writeBandwidthPerNode", "must be a positive number of bytes/s");
        require(aggregateWriteBandwidth == null
                || (aggregateWriteBandwidth > 0 && Double.isFinite(aggregateWriteBandwidth)),
                "storage.aggregateWriteBandwidth", "must be a positive number of bytes/s");
    }

    public boolean known() {
        return this.writeBandwidthPerNode != null || this.aggregateWriteBandwidth != null;
    }
}
