package dev.llmcalc.api.comms;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import dev.llmcalc.core.comms.Algorithm;
import dev.llmcalc.core.comms.Collective;
import dev.llmcalc.core.comms.CollectiveCost;
import dev.llmcalc.core.comms.Collectives;
import dev.llmcalc.core.comms.Link;
import dev.llmcalc.core.comms.RankTraffic;
import io.swagger.v3.oas.annotations.media.Schema;

/** Answer of {@code POST /api/v1/collectives}. */
public record CollectiveResponse(
        Collective collective,
        Algorithm algorithm,
        @Schema(description = "n") int ranks,
        @Schema(description = "S, bytes") long messageBytes,
        @Schema(description = "bytes sent by the rank that sends most") long bytesSentPerRank,
        @Schema(description = "bytes received by the rank that receives most") long bytesReceivedPerRank,
        @Schema(description = "bytes sent and received by each kind of rank (root, relay, others) where they differ")
        List<CollectiveRoleView> perRole,
        @Schema(description = "sequential steps, each paying the latency once") long steps,
        @Schema(description = "NCCL's factor: busBandwidth = algorithmBandwidth × factor") double busBandwidthFactor,
        @Schema(description = "β used, bytes/s per rank per direction") double bandwidth,
        @Schema(description = "α used, seconds per step") double latencySeconds,
        @Schema(description = "α·steps + (busiest rank's bytes in one direction) / β") double seconds,
        @Schema(description = "S / seconds (nccl-tests algbw), bytes/s; absent when seconds is 0") Double algorithmBandwidth,
        @Schema(description = "algorithmBandwidth × busBandwidthFactor (nccl-tests busbw), bytes/s") Double busBandwidth,
        @Schema(description = "the byte-counting convention") String convention,
        List<String> assumptions) {

    /**
     * @param role the part these ranks play
     * @param ranks how many ranks play it (absent where only the busiest is described)
     * @param bytesSent bytes each sends
     * @param bytesReceived bytes each receives
     */
    public record CollectiveRoleView(String role, Integer ranks, long bytesSent, long bytesReceived) {

        static CollectiveRoleView of(RankTraffic traffic) {
            return new CollectiveRoleView(traffic.role(), traffic.ranks(), traffic.bytesSent(), traffic.bytesReceived());
        }
    }

    static CollectiveResponse of(CollectiveRequest request, CollectiveCost cost, Link link) {
        return new CollectiveResponse(cost.collective(), cost.algorithm(), cost.ranks(), cost.messageBytes(),
                cost.bytesSentPerRank(), cost.bytesReceivedPerRank(), cost.roles().stream().map(CollectiveRoleView::of).toList(),
                cost.steps(), cost.busBandwidthFactor(), link.bandwidth(), link.latencySeconds(), cost.seconds(link),
                cost.algorithmBandwidth(link), cost.busBandwidth(link),
                Collectives.CONVENTION, assumptions(request, cost));
    }

    private static List<String> assumptions(CollectiveRequest request, CollectiveCost cost) {
        List<String> list = new ArrayList<>();
        list.add(cost.algorithm() == Algorithm.RING
                ? "Ring algorithm: all-reduce = reduce-scatter + all-gather around the ring (2(n−1) steps); "
                        + "broadcast and reduce a pipelined chain through every rank (n − 1 steps); scatter and gather "
                        + "linear from or to the root and all-to-all pairwise (n − 1 steps each, Thakur, Rabenseifner and "
                        + "Gropp 2005; NCCL issues those sends together, so its latency can be lower)."
                : "Tree algorithm: NCCL's double binary tree; each half of the buffer travels one of two binary trees "
                        + "(heap-ordered and mirrored), a rank is an inner node of at most one, so the busiest rank moves "
                        + "up to 2S against the ring's 2(n−1)/n·S, in 2⌈log2 n⌉ steps instead of the ring's 2(n − 1) "
                        + "(broadcast: ⌈log2 n⌉ instead of n − 1).");
        list.add("Shares that do not divide evenly are rounded up: the most-loaded rank is reported.");
        list.add("Time = α·steps + (busiest rank's bytes in one direction) / β: links are full duplex and every step "
                + "of a pipelined ring moves data on all of them at once; congestion, protocol overheads and NCCL's "
                + "fixed per-call latency (~8 µs) are not modelled.");
        if (request.bandwidth() == null) {
            list.add("bandwidth not given: " + BigDecimal.valueOf(request.bandwidthOrDefault()).movePointLeft(9).stripTrailingZeros().toPlainString() + " GB/s (10^9 bytes/s), the "
                    + "per-direction NVLink bandwidth of an " + CollectiveRequest.DEFAULT_GPU + " (900 GB/s both ways).");
        }
        if (request.latencySeconds() == null) {
            list.add("latencySeconds not given: " + BigDecimal.valueOf(request.latencyOrDefault()).movePointRight(6).stripTrailingZeros().toPlainString() + " µs per step, NCCL's ring/Simple "
                    + "per-step latency over NVLink (src/graph/tuning.cc).");
        }
        return List.copyOf(list);
    }
}
