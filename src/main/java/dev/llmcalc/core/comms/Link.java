package dev.llmcalc.core.comms;

import static dev.llmcalc.core.unit.InvalidInputException.require;

/**
 * The α–β model of one link (Hockney 1994; Thakur, Rabenseifner and Gropp 2005): a transfer of B bytes in
 * one step costs α + B/β.
 *
 * @param kind intra- or inter-node
 * @param bandwidth β, bytes/s per GPU per direction
 * @param latencySeconds α, seconds per step
 */
public record Link(LinkKind kind, double bandwidth, double latencySeconds) {

    public Link {
        require(kind != null, "link", "is required");
        require(bandwidth > 0 && Double.isFinite(bandwidth), "bandwidth", "must be a positive number of bytes/s");
        require(latencySeconds >= 0 && Double.isFinite(latencySeconds), "latencySeconds",
                "must be a non-negative number of seconds");
    }
}
