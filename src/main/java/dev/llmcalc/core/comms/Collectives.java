package dev.llmcalc.core.comms;

import static dev.llmcalc.core.unit.InvalidInputException.require;

import java.util.ArrayList;
import java.util.List;

import dev.llmcalc.core.unit.Exact;

/**
 * Bytes each rank sends and receives in a collective of n ranks over a message of S bytes, and the
 * number of steps, under the ring algorithm (and NCCL's double binary tree for all-reduce and
 * broadcast). Where a share does not divide evenly the most-loaded rank is reported (rounded up).
 */
public final class Collectives {

    /** Largest group the calculator accepts; no real job comes near it. */
    public static final int MAX_RANKS = 1 << 20;

    public static final String CONVENTION = "NCCL bus bandwidth (nccl-tests doc/PERFORMANCE.md): S is the full "
            + "buffer: the all-reduce buffer, all-gather's gathered output, reduce-scatter's input, the root's whole "
            + "buffer for broadcast/reduce/scatter/gather, each rank's whole send buffer for all-to-all. busBandwidth "
            + "= algorithmBandwidth (S / time) × busBandwidthFactor: 2(n−1)/n all-reduce; (n−1)/n all-gather, "
            + "reduce-scatter, all-to-all, scatter, gather; 1 broadcast, reduce, send/receive. With the ring "
            + "algorithm a rank moves busBandwidthFactor × S bytes, so busBandwidth is comparable with the link's "
            + "bandwidth whatever n is.";

    private static final String Q = "bytesPerRank";

    /** Halves of the buffer: the double binary tree sends S/2 along each of its two trees. */
    private static final int TREES = 2;

    private Collectives() {
    }

    public static CollectiveCost cost(Collective collective, Algorithm algorithm, int ranks, long messageBytes) {
        require(collective != null, "collective", "is required");
        require(algorithm != null, "algorithm", "is required");
        require(ranks >= 1 && ranks <= MAX_RANKS, "ranks", "must be between 1 and " + MAX_RANKS);
        require(messageBytes >= 0, "messageBytes", "must not be negative");
        require(algorithm == Algorithm.RING || collective == Collective.ALL_REDUCE
                || collective == Collective.BROADCAST, "algorithm",
                "TREE is modelled for ALL_REDUCE and BROADCAST only; use RING for " + collective);
        long n = ranks;
        long s = messageBytes;
        if (ranks == 1) {
            return new CollectiveCost(collective, algorithm, ranks, s, 0, List.of(every(n, 0, 0)));
        }
        if (algorithm == Algorithm.TREE) {
            return collective == Collective.ALL_REDUCE
                    ? new CollectiveCost(collective, algorithm, ranks, s, treeAllReduceSteps(n),
                            List.of(new RankTraffic("busiest rank (inner node of one tree, leaf of the other)", null,
                                    treeAllReduceBytes(n, s), treeAllReduceBytes(n, s))))
                    : new CollectiveCost(collective, algorithm, ranks, s, treeBroadcastSteps(n), treeBroadcastRoles(n, s));
        }
        return switch (collective) {
            case ALL_REDUCE -> new CollectiveCost(collective, algorithm, ranks, s, ringAllReduceSteps(n),
                    List.of(every(n, ringAllReduceBytes(n, s), ringAllReduceBytes(n, s))));
            case ALL_GATHER, REDUCE_SCATTER, ALL_TO_ALL -> new CollectiveCost(collective, algorithm, ranks, s,
                    ringSteps(n), List.of(every(n, ringShardBytes(n, s), ringShardBytes(n, s))));
            case BROADCAST -> new CollectiveCost(collective, algorithm, ranks, s, ringSteps(n), chain(n, s, true));
            case REDUCE -> new CollectiveCost(collective, algorithm, ranks, s, ringSteps(n), chain(n, s, false));
            case SCATTER -> new CollectiveCost(collective, algorithm, ranks, s, ringSteps(n), List.of(
                    new RankTraffic("root", 1, ringShardBytes(n, s), 0),
                    new RankTraffic("every other rank", ranks - 1, 0, shardBytes(n, s))));
            case GATHER -> new CollectiveCost(collective, algorithm, ranks, s, ringSteps(n), List.of(
                    new RankTraffic("root", 1, 0, ringShardBytes(n, s)),
                    new RankTraffic("every other rank", ranks - 1, shardBytes(n, s), 0)));
            case SEND_RECV -> new CollectiveCost(collective, algorithm, ranks, s, 1, List.of(every(n, s, s)));
        };
    }

    private static RankTraffic every(long n, long sent, long received) {
        return new RankTraffic("every rank", (int) n, sent, received);
    }

    // ring broadcast is a pipelined chain root → … → last: the root sends S, relays receive and forward S,
    // the last rank only receives; reduce is the same chain run backwards into the root
    private static List<RankTraffic> chain(long n, long s, boolean broadcast) {
        List<RankTraffic> roles = new ArrayList<>();
        roles.add(new RankTraffic(broadcast ? "root" : "first rank of the chain", 1, s, 0));
        if (n > 2) {
            roles.add(new RankTraffic("relay", (int) (n - 2), s, s));
        }
        roles.add(new RankTraffic(broadcast ? "last rank of the chain" : "root", 1, 0, s));
        return roles;
    }

    // Patarasuk and Yuan 2009; NCCL ring all-reduce = reduce-scatter + all-gather: 2(n−1)/n·S per rank each way
    static long ringAllReduceBytes(long n, long s) {
        return ceilFraction(Exact.multiply(Q, 2, s), n);
    }

    // ring all-gather, reduce-scatter, all-to-all, and the root of scatter/gather: (n−1)/n·S per rank
    static long ringShardBytes(long n, long s) {
        return ceilFraction(s, n);
    }

    // one rank's shard: S/n, rounded up for the most-loaded rank
    static long shardBytes(long n, long s) {
        return Exact.ceilDiv(s, n);
    }

    // ceil((n−1)/n · x) = x − floor(x/n), exactly and without overflow
    private static long ceilFraction(long x, long n) {
        return x - x / n;
    }

    // NCCL's ring all-reduce: n − 1 reduce-scatter steps and n − 1 all-gather steps
    static long ringAllReduceSteps(long n) {
        return 2 * (n - 1);
    }

    // ring all-gather, reduce-scatter, the broadcast/reduce chain; pairwise all-to-all and linear scatter/gather
    // (Thakur, Rabenseifner and Gropp 2005): n − 1 steps
    static long ringSteps(long n) {
        return n - 1;
    }

    // double binary tree: reduce up ⌈log2 n⌉ levels, broadcast down as many
    static long treeAllReduceSteps(long n) {
        return 2L * ceilLog2(n);
    }

    // a binary tree of n ranks is ⌈log2 n⌉ levels deep (the ring chain needs n − 1 steps)
    static long treeBroadcastSteps(long n) {
        return ceilLog2(n);
    }

    /**
     * Double binary tree all-reduce (NCCL 2.4): tree A is heap-ordered over the ranks (children of i are
     * 2i + 1 and 2i + 2), tree B its mirror (rank i sits where n − 1 − i sits in A); each carries S/2, reduced
     * up and broadcast down, so a rank sends and receives S/2 per tree link it has. A rank is inner in at most
     * one tree; the busiest is rank 1 (parent and two children in A, a leaf in B): 4 · S/2 = 2S for n ≥ 5,
     * 3 · S/2 for n = 3 or 4, S for n = 2 — against the ring's 2(n−1)/n·S, bought with 2⌈log2 n⌉ steps instead
     * of 2(n − 1).
     */
    static long treeAllReduceBytes(long n, long s) {
        long links = 0;
        for (long rank = 0; rank < Math.min(n, 2); rank++) {
            links = Math.max(links, treeLinks(rank, n) + treeLinks(n - 1 - rank, n));
        }
        return Exact.ceilDiv(Exact.multiply(Q, links, s), TREES);
    }

    // tree broadcast: the root sends S/2 into each of two binary trees over the other n − 1 ranks; every other
    // rank receives S/2 from each tree and forwards its halves to its children (at most S: inner in one tree only)
    private static List<RankTraffic> treeBroadcastRoles(long n, long s) {
        long others = n - 1;
        long children = 0;
        for (long rank = 0; rank < Math.min(others, 2); rank++) {
            children = Math.max(children, treeChildren(rank, others) + treeChildren(others - 1 - rank, others));
        }
        long forwarded = Exact.ceilDiv(Exact.multiply(Q, children, s), TREES);
        return List.of(new RankTraffic("root", 1, s, 0),
                new RankTraffic("busiest other rank (inner node of one tree)", null, forwarded, s));
    }

    // heap order: parent link (all but rank 0) plus children 2i + 1 and 2i + 2 that exist
    private static long treeLinks(long rank, long n) {
        return (rank > 0 ? 1 : 0) + treeChildren(rank, n);
    }

    private static long treeChildren(long rank, long n) {
        return (2 * rank + 1 < n ? 1 : 0) + (2 * rank + 2 < n ? 1 : 0);
    }

    // ⌈log2 n⌉, 0 for n = 1
    static long ceilLog2(long n) {
        return 64 - Long.numberOfLeadingZeros(n - 1);
    }

    // nccl-tests doc/PERFORMANCE.md: busBw = algBw × factor
    public static double busBandwidthFactor(Collective collective, int ranks) {
        double n = ranks;
        return switch (collective) {
            case ALL_REDUCE -> 2 * (n - 1) / n;
            case ALL_GATHER, REDUCE_SCATTER, ALL_TO_ALL, SCATTER, GATHER -> (n - 1) / n;
            case BROADCAST, REDUCE, SEND_RECV -> 1;
        };
    }
}
