package dev.llmcalc.core.comms;

/**
 * Where {@link Traffic} reports each transfer of a stage: {@link CommunicationLedger} lists them for
 * {@code /communication}, {@link CommunicationSeconds} prices them for the planner without allocating.
 */
interface TrafficSink {

    /**
     * @param source the kind of transfer (collective, group, overlap and description are its own)
     * @param parameters what a data-parallel transfer moves, or {@code null} for the other kinds
     * @param count calls per optimizer step
     * @param messageBytes S of one call (NCCL's convention: the full buffer)
     */
    void add(TrafficSource source, ParameterSet parameters, long count, long messageBytes);
}
