package dev.llmcalc.core.comms;

import static dev.llmcalc.core.comms.TrafficShape.Q;
import static dev.llmcalc.core.unit.InvalidInputException.require;

import java.util.List;

import dev.llmcalc.core.memory.FrozenBase;
import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.parallel.LocalParameters;
import dev.llmcalc.core.parallel.ParameterPlacement;
import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.run.ActivationOptions;
import dev.llmcalc.core.run.BatchShape;
import dev.llmcalc.core.run.Training;
import dev.llmcalc.core.run.TrainingRun;
import dev.llmcalc.core.unit.Exact;

/**
 * The seconds of each pipeline stage's communication on a cluster, without building the ledger: the sink that prices
 * {@link Traffic}'s transfers as they are reported, with the same {@link TransferTime} rule and in the same order as
 * {@link CommunicationLedger}, so every stage's total and exposed seconds are bit for bit those of
 * {@link StageTraffic#totalSeconds()} and {@link StageTraffic#exposedSeconds()}. It forms the same byte counts with
 * the same exact arithmetic, so it overflows whenever the ledger would.
 *
 * <p>What depends only on the parallel layout (groups, their links, the stages' parameters) is worked out once by
 * {@link #of}; {@link #stages} then prices a batch, ZeRO stage and recomputation mode without building strings,
 * transfers or maps, once per distinct stage. Instances are immutable.
 */
public final class CommunicationSeconds {

    private final TrafficLayout layout;

    private final double attentionFlopsPerSecond;

    private CommunicationSeconds(TrafficLayout layout) {
        this.layout = layout;
        this.attentionFlopsPerSecond = layout.network().attentionFlopsPerSecond();
    }

    /** A full-training layout's groups, links and stages. */
    public static CommunicationSeconds of(Architecture model, Parallelism par, RankOrder order, Network network) {
        return of(model, par, order, network, ParameterPlacement.stages(model, par));
    }

    /**
     * The same, with the stages' parameters already placed.
     *
     * @param stages {@code ParameterPlacement.stages(model, par)} (which also checks that the layout fits the model)
     */
    public static CommunicationSeconds of(Architecture model, Parallelism par, RankOrder order, Network network,
            List<LocalParameters> stages) {
        return of(model, par, order, network, stages, null, Training.WHOLE_DATA_GROUP);
    }

    /**
     * A run's layout, full training or LoRA / QLoRA (adapters reduced, frozen weights gathered under ZeRO-3), with its
     * hybrid sharding groups if it has a shard group.
     */
    public static CommunicationSeconds of(TrainingRun run, RankOrder order, Network network) {
        return of(run, order, network, ParameterPlacement.stages(run.model(), run.parallelism()));
    }

    /**
     * The same with the run's full-model stages already placed.
     *
     * @param stages {@code ParameterPlacement.stages(run.model(), run.parallelism())} (which checks that the layout
     *        fits the model)
     */
    public static CommunicationSeconds of(TrainingRun run, RankOrder order, Network network,
            List<LocalParameters> stages) {
        Architecture model = run.model();
        Parallelism par = run.parallelism();
        FrozenBase frozen = TrafficLayout.frozenBase(run);
        return of(model, par, order, network, stages, frozen, run.training().shardGroupSize());
    }

    private static CommunicationSeconds of(Architecture model, Parallelism par, RankOrder order, Network network,
            List<LocalParameters> stages, FrozenBase frozen, int shardGroupSize) {
        require(network != null, "network", "is required for seconds");
        return new CommunicationSeconds(TrafficLayout.of(model, par, order, network, stages, frozen, shardGroupSize));
    }

    /** How many entries {@link #stages} fills: the stages with different traffic. */
    public int distinctStages() {
        return this.layout.distinct().length;
    }

    /**
     * Each distinct stage's seconds, as the ledger's {@link StageTraffic#seconds()}: entry i for the i-th stage with
     * different traffic ({@link #distinctStages()} of them).
     */
    public StageSeconds[] stages(BatchShape batch, Training training, ActivationOptions options) {
        Parallelism par = this.layout.parallelism();
        TrafficShape shape = TrafficShape.of(this.layout.model(), batch, options, par);
        long m = TrafficShape.microBatches(batch, par);
        Traffic traffic = new Traffic(this.layout, shape, m, training, options);
        Sum sum = new Sum(this.layout, shape.blockFlops() / this.attentionFlopsPerSecond);
        TrafficLayout.Stage[] distinct = this.layout.distinct();
        StageSeconds[] seconds = new StageSeconds[distinct.length];
        long pipelineBytes = 0;
        for (int i = 0; i < distinct.length; i++) {
            sum.reset();
            traffic.stage(distinct[i], sum);
            seconds[i] = sum.sums.build();
            // the ledger's pipeline send/receive bytes over all stages, so that this overflows when it would
            pipelineBytes = Exact.add(Q, pipelineBytes, Exact.multiply(Q, this.layout.distinctCount(i), sum.pipelineBytes));
        }
        return seconds;
    }

    /** The running sums of one stage, in the ledger's order. */
    private static final class Sum implements TrafficSink {

        private final TrafficLayout layout;

        private final double blockComputeSeconds;

        private final StageSeconds.Sums sums = new StageSeconds.Sums();

        private long bytes;

        private long pipelineBytes;

        Sum(TrafficLayout layout, double blockComputeSeconds) {
            this.layout = layout;
            this.blockComputeSeconds = blockComputeSeconds;
        }

        void reset() {
            this.sums.reset();
            this.bytes = 0;
            this.pipelineBytes = 0;
        }

        /** Prices one transfer into the stage's running sums. */
        @Override
        public void add(TrafficSource source, ParameterSet parameters, long count, long messageBytes) {
            TrafficGroup group = source.group(parameters);
            long ranks = this.layout.ranks(source, group);
            long sent = TransferTime.ringBytesSent(source.collective(), ranks, messageBytes);
            long transferBytes = Exact.multiply(Q, count, sent);
            Link link = this.layout.link(group);
            double once = TransferTime.once(source.collective(), ranks, sent, link);
            double seconds = count * once;
            // StageTraffic.totalBytes sums with Math.addExact
            this.bytes = Math.addExact(this.bytes, transferBytes);
            this.sums.add(source.kind(), source.collective(), source.window(), seconds,
                    TransferTime.exposed(source, count, once, seconds, this.blockComputeSeconds),
                    count * TransferTime.latency(source.collective(), ranks, link));
            if (source == TrafficSource.PP_BOUNDARY_SEND) {
                this.pipelineBytes = transferBytes;
            }
        }
    }
}
