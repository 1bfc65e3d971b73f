package dev.llmcalc.core.comms;

/**
 * What one ledger transfer costs on its link and how much of it compute leaves exposed: the one rule both
 * {@link CommunicationLedger} and {@link CommunicationSeconds} apply, so their seconds agree bit for bit.
 */
final class TransferTime {

    private TransferTime() {
    }

    // Collectives.cost(collective, RING, n, S).bytesSentPerRank() (= busiestRankBytes for these ring collectives)
    static long ringBytesSent(Collective collective, long ranks, long message) {
        if (ranks == 1) {
            return 0;
        }
        return switch (collective) {
            case ALL_REDUCE -> Collectives.ringAllReduceBytes(ranks, message);
            case ALL_GATHER, REDUCE_SCATTER, ALL_TO_ALL -> Collectives.ringShardBytes(ranks, message);
            case SEND_RECV -> message;
            default -> throw new IllegalArgumentException(collective + " is not in a training ledger");
        };
    }

    // Collectives.cost(collective, RING, n, S).steps
    static long ringSteps(Collective collective, long ranks) {
        if (ranks == 1) {
            return 0;
        }
        return switch (collective) {
            case ALL_REDUCE -> Collectives.ringAllReduceSteps(ranks);
            case ALL_GATHER, REDUCE_SCATTER, ALL_TO_ALL -> Collectives.ringSteps(ranks);
            case SEND_RECV -> 1;
            default -> throw new IllegalArgumentException(collective + " is not in a training ledger");
        };
    }

    // the α part of one call: α·steps
    static double latency(Collective collective, long ranks, Link link) {
        return link.latencySeconds() * ringSteps(collective, ranks);
    }

    // α–β model (Hockney 1994), as CollectiveCost.seconds: T = α·steps + (busiest rank's bytes in one direction) / β
    static double once(Collective collective, long ranks, long sent, Link link) {
        return link.latencySeconds() * ringSteps(collective, ranks) + sent / link.bandwidth();
    }

    // exposure: a ring-attention pass is exposed by what outlasts the attention of the block in hand (Liu et al. 2023);
    // any other transfer entirely, unless the framework overlaps it with compute
    static double exposed(TrafficSource source, long count, double once, double seconds, double blockComputeSeconds) {
        if (source.kind() == ParallelismKind.CONTEXT) {
            return count * Math.max(0, once - blockComputeSeconds);
        }
        return source.overlappable() ? 0.0 : seconds;
    }
}
