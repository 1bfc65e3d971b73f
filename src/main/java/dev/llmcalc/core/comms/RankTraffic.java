package dev.llmcalc.core.comms;

/**
 * What the ranks playing one part in a collective send and receive.
 *
 * @param role the part ("every rank", "root", "relay", ...)
 * @param ranks how many ranks play it, or {@code null} where only the busiest rank is described
 * @param bytesSent bytes each of them sends
 * @param bytesReceived bytes each of them receives
 */
public record RankTraffic(String role, Integer ranks, long bytesSent, long bytesReceived) {

    /** The larger direction: links are full duplex, so the busier direction sets the time. */
    public long busierDirection() {
        return Math.max(this.bytesSent, this.bytesReceived);
    }
}
