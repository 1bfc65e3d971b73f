package dev.llmcalc.core.comms;

import java.util.List;

/**
 * Bytes and steps of one collective call, per rank.
 *
 * @param collective which primitive
 * @param algorithm ring or tree
 * @param ranks n
 * @param messageBytes S, the full buffer (NCCL's convention, see {@link Collectives#CONVENTION})
 * @param steps sequential communication steps, each paying the link latency α once
 * @param roles bytes sent and received by each kind of rank (one row when all ranks are alike)
 */
public record CollectiveCost(Collective collective, Algorithm algorithm, int ranks, long messageBytes, long steps,
        List<RankTraffic> roles) {

    public CollectiveCost {
        roles = List.copyOf(roles);
    }

    /** Bytes sent by the rank that sends most. */
    public long bytesSentPerRank() {
        long most = 0;
        for (RankTraffic role : this.roles) {
            most = Math.max(most, role.bytesSent());
        }
        return most;
    }

    /** Bytes received by the rank that receives most. */
    public long bytesReceivedPerRank() {
        long most = 0;
        for (RankTraffic role : this.roles) {
            most = Math.max(most, role.bytesReceived());
        }
        return most;
    }

    /** Bytes in the busier direction of the busiest rank: what the time is bounded by. */
    public long busiestRankBytes() {
        long most = 0;
        for (RankTraffic role : this.roles) {
            most = Math.max(most, role.busierDirection());
        }
        return most;
    }

    /** NCCL's bus-bandwidth factor for this collective and n (the ring's bytes per rank ÷ S). */
    public double busBandwidthFactor() {
        return Collectives.busBandwidthFactor(this.collective, this.ranks);
    }

    // α–β model: T = α·steps + (busiest rank's bytes in one direction) / β
    public double seconds(Link link) {
        return link.latencySeconds() * this.steps + busiestRankBytes() / link.bandwidth();
    }

    // nccl-tests doc/PERFORMANCE.md: algorithm bandwidth = S / t; null when the call takes no time (one rank)
    public Double algorithmBandwidth(Link link) {
        double seconds = seconds(link);
        return seconds > 0 ? this.messageBytes / seconds : null;
    }

    // nccl-tests doc/PERFORMANCE.md: bus bandwidth = algorithm bandwidth × the collective's factor
    public Double busBandwidth(Link link) {
        Double algorithm = algorithmBandwidth(link);
        return algorithm != null ? algorithm * busBandwidthFactor() : null;
    }
}
