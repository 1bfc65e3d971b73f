package dev.llmcalc.core.comms;

import static dev.llmcalc.core.unit.InvalidInputException.require;

import dev.llmcalc.core.hardware.Cluster;
import dev.llmcalc.core.hardware.Efficiency;

/**
 * What turns bytes into seconds: the cluster's links and their per-step latencies, and the rate attention
 * runs at (to tell how much of a ring-attention transfer its compute hides).
 *
 * @param cluster the GPUs: their intra- and inter-node bandwidths and how many share a node
 * @param intraNodeLatency α inside a node, seconds per step
 * @param interNodeLatency α across nodes, seconds per step
 * @param mfu fraction of the dense BF16 peak that attention kernels reach
 */
public record Network(Cluster cluster, double intraNodeLatency, double interNodeLatency, double mfu) {

    // NCCL src/graph/tuning.cc, hwLat[NVLINK][RING][SIMPLE]: 3.4 µs per ring step over NVLink
    public static final double DEFAULT_INTRA_NODE_LATENCY = 3.4e-6;

    // NCCL src/graph/tuning.cc, hwLat[NET][RING][SIMPLE]: 9.6 µs per ring step over the network
    public static final double DEFAULT_INTER_NODE_LATENCY = 9.6e-6;

    public Network {
        require(cluster != null, "cluster", "is required");
        require(intraNodeLatency >= 0 && Double.isFinite(intraNodeLatency), "latency.intraNodeSeconds",
                "must be a non-negative number of seconds");
        require(interNodeLatency >= 0 && Double.isFinite(interNodeLatency), "latency.interNodeSeconds",
                "must be a non-negative number of seconds");
        require(mfu > 0 && mfu <= 1, "mfu", "must be greater than 0 and at most 1");
    }

    /** NCCL's latencies and {@link Efficiency#DEFAULT_MFU}. */
    public static Network of(Cluster cluster) {
        return new Network(cluster, DEFAULT_INTRA_NODE_LATENCY, DEFAULT_INTER_NODE_LATENCY, Efficiency.DEFAULT_MFU);
    }

    public Link link(LinkKind kind) {
        return kind == LinkKind.INTRA_NODE
                ? new Link(kind, this.cluster.gpu().intraNodeBandwidth(), this.intraNodeLatency)
                : new Link(kind, this.cluster.gpu().interNodeBandwidth(), this.interNodeLatency);
    }

    // multi-rail rings: NCCL runs a ring collective as one channel per network card, so a group with k GPUs in each
    // node crosses the network on k cards at once: k × the per-GPU network bandwidth, at most the intra-node one
    // (NCCL's ring/tree channels over rail-optimised fabrics; Jeaugey, "Massively Scale Your Deep Learning Training
    // with NCCL 2.4", NVIDIA 2019)
    public Link ringLink(LinkKind kind, long membersPerNode) {
        Link link = link(kind);
        if (kind == LinkKind.INTRA_NODE || membersPerNode <= 1) {
            return link;
        }
        double intra = this.cluster.gpu().intraNodeBandwidth();
        return new Link(kind, Math.min(membersPerNode * link.bandwidth(), Math.max(intra, link.bandwidth())),
                link.latencySeconds());
    }

    /**
     * An all-to-all over n ranks, k of them in each node: of the (n − 1)/n of its buffer a rank sends, (n − k)/n leaves
     * the node on its own network card and (k − 1)/n stays on NVLink, both at once, so the call lasts as long as the
     * slower of the two; priced as the (n − 1)/n at the bandwidth that gives that time (the network's × (n − 1)/(n −
     * k) when the card is the slower). Inside a node, or with one member per node, the link as it is.
     */
    public Link allToAllLink(LinkKind kind, long ranks, long membersPerNode) {
        return allToAllLink(kind, ranks, membersPerNode, 1.0);
    }

    /**
     * The same, with node-limited routing: of the copies bound for other nodes only {@code networkShare} cross the
     * network (one per target node) and NVLink forwards the rest on arrival, so the card carries networkShare · (n −
     * k)/n of the buffer and NVLink (k − 1)/n + (1 − networkShare) · (n − k)/n (DeepSeek-V3 §3.2.2: IB to the target
     * node, then NVLink). With {@code networkShare} 1, {@link #allToAllLink(LinkKind, long, long)}.
     */
    public Link allToAllLink(LinkKind kind, long ranks, long membersPerNode, double networkShare) {
        Link link = link(kind);
        if (kind == LinkKind.INTRA_NODE || membersPerNode <= 1 || ranks <= membersPerNode) {
            return link;
        }
        double remote = ranks - membersPerNode;
        double perRank = Math.max(networkShare * remote / link.bandwidth(),
                (membersPerNode - 1 + (1 - networkShare) * remote) / this.cluster.gpu().intraNodeBandwidth());
        return new Link(kind, (ranks - 1) / perRank, link.latencySeconds());
    }

    /** Achieved attention FLOP/s: dense BF16 peak × mfu. */
    public double attentionFlopsPerSecond() {
        return this.cluster.gpu().peakFlops() * this.mfu;
    }
}
