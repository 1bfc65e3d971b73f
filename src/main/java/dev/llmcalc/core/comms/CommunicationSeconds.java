package dev.llmcalc.core.comms;

import static dev.llmcalc.core.comms.CommunicationCalculator.CP_PASSES;
import static dev.llmcalc.core.comms.CommunicationCalculator.EP_FORWARD_PER_LAYER;
import static dev.llmcalc.core.comms.CommunicationCalculator.EP_PER_LAYER;
import static dev.llmcalc.core.comms.CommunicationCalculator.PAIR;
import static dev.llmcalc.core.comms.CommunicationCalculator.SP_REGATHER_PER_LAYER;
import static dev.llmcalc.core.comms.CommunicationCalculator.TP_FORWARD_PER_LAYER;
import static dev.llmcalc.core.comms.CommunicationCalculator.TP_PER_LAYER;
import static dev.llmcalc.core.unit.InvalidInputException.require;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.llmcalc.core.comms.CommunicationCalculator.Shape;
import dev.llmcalc.core.comms.RankOrder.Dimension;
import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.parallel.LocalParameters;
import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.parallel.ParameterPlacement;
import dev.llmcalc.core.params.ParameterCounter;
import dev.llmcalc.core.run.ActivationOptions;
import dev.llmcalc.core.run.BatchShape;
import dev.llmcalc.core.run.Recomputation;
import dev.llmcalc.core.run.Training;
import dev.llmcalc.core.run.ZeroStage;
import dev.llmcalc.core.unit.Exact;
import dev.llmcalc.core.unit.InvalidInputException;

/**
 * The seconds of each pipeline stage's communication ledger on a cluster, without building the ledger: the
 * transfers {@link CommunicationCalculator#estimate} lists, in the same order, each costed with the same α–β
 * arithmetic (ring algorithm) and summed in the same order, so every stage's total and exposed seconds are bit
 * for bit those of {@link StageTraffic#totalSeconds()} and {@link StageTraffic#exposedSeconds()}. It also forms
 * the same byte counts with the same exact arithmetic, so it overflows whenever the ledger would.
 *
 * <p>What depends only on the parallel layout (groups, their links, the stages' parameters) is worked out once
 * by {@link #of}; {@link #stages} then prices a batch, ZeRO stage and recomputation mode without building
 * strings, transfers or maps. Stages with the same parameters and layers that are neither first nor last have
 * the same traffic and are priced once. Instances are immutable.
 */
public final class CommunicationSeconds {

    private static final String Q = CommunicationCalculator.Q;

    private final Architecture model;

    private final Parallelism par;

    private final long tensorRanks;

    private final long contextRanks;

    private final long dataRanks;

    private final long expertRanks;

    private final long expertDataRanks;

    private final Link tensorLink;

    private final Link contextLink;

    private final Link dataLink;

    private final Link expertLink;

    private final Link expertDataLink;

    private final Link pipelineLink;

    private final double attentionFlopsPerSecond;

    /** One entry per distinct stage. */
    private final Stage[] distinct;

    private CommunicationSeconds(Architecture model, Parallelism par, Map<String, RankOrder.Group> groups,
            Network network, Stage[] distinct) {
        this.model = model;
        this.par = par;
        int gpusPerNode = network.cluster().gpusPerNode();
        long gpus = par.gpuCount();
        this.tensorRanks = groups.get("tensor").size();
        this.contextRanks = groups.get("context").size();
        this.dataRanks = groups.get("data").size();
        this.expertRanks = groups.get("expert").size();
        this.expertDataRanks = groups.get("expertData").size();
        this.tensorLink = network.link(groups.get("tensor").link(gpusPerNode, gpus));
        this.contextLink = network.link(groups.get("context").link(gpusPerNode, gpus));
        this.dataLink = network.link(groups.get("data").link(gpusPerNode, gpus));
        this.expertLink = network.link(groups.get("expert").link(gpusPerNode, gpus));
        this.expertDataLink = network.link(groups.get("expertData").link(gpusPerNode, gpus));
        this.pipelineLink = network.link(groups.get("pipeline").link(gpusPerNode, gpus));
        this.attentionFlopsPerSecond = network.attentionFlopsPerSecond();
        this.distinct = distinct;
    }

    /**
     * The layout's groups, links and stages, with the checks {@link CommunicationCalculator#estimate} makes on
     * them.
     */
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
        require(stages.size() == par.pipeline(), "stages", "must be one per pipeline stage");
        order.requireConsistent(par);
        require(network != null, "network", "is required for seconds");
        if (network.cluster().gpuCount() != par.gpuCount()) {
            throw new InvalidInputException("cluster.gpuCount", "must equal data × tensor × pipeline × context ("
                    + par.gpuCount() + ") for the communication ledger");
        }
        Map<Dimension, Long> dense = RankOrder.denseView(par);
        Map<Dimension, Long> expert = RankOrder.expertView(par);
        Map<String, RankOrder.Group> groups = Map.of(
                "tensor", order.group("tensor", Set.of(Dimension.TP), dense),
                "context", order.group("context", Set.of(Dimension.CP), dense),
                "data", order.group("data × context (dense gradients)", Set.of(Dimension.CP, Dimension.DP), dense),
                "expert", order.group("expert", Set.of(Dimension.EP), expert),
                "expertData", order.group("expert data = data × context / expert (expert gradients)",
                        Set.of(Dimension.DP), expert),
                "pipeline", order.group("pipeline", Set.of(Dimension.PP), dense));
        for (RankOrder.Group g : groups.values()) {
            if (g.size() > Collectives.MAX_RANKS) {
                throw new InvalidInputException("parallelism",
                        "gives a " + g.name() + " group of " + g.size() + " ranks; at most " + Collectives.MAX_RANKS);
            }
        }
        List<Stage> distinct = new ArrayList<>();
        int p = par.pipeline();
        int start = 0;
        for (LocalParameters local : stages) {
            // the same MoE-layer count as CommunicationCalculator.estimate
            int denseFfn = Math.max(0, Math.min(start + local.layers(), model.denseFfnLayers()) - start);
            Stage stage = new Stage(local.dense(), local.expert(), local.layers(), local.layers() - denseFfn,
                    local.pipelineStage() == 0, local.pipelineStage() == p - 1);
            int same = distinct.indexOf(stage);
            if (same >= 0 && !stage.first() && !stage.last()) {
                distinct.get(same).count++;
            }
            else {
                distinct.add(stage);
            }
            start += local.layers();
        }
        return new CommunicationSeconds(model, par, groups, network, distinct.toArray(new Stage[0]));
    }

    /** How many entries {@link #stages} fills: the stages with different traffic. */
    public int distinctStages() {
        return this.distinct.length;
    }

    /**
     * Fills {@code totalSeconds[i]} and {@code exposedSeconds[i]} for each distinct stage i, as the ledger's
     * {@link StageTraffic#totalSeconds()} and {@link StageTraffic#exposedSeconds()}.
     *
     * @return how many entries were filled ({@link #distinctStages()})
     */
    public int stages(BatchShape batch, Training training, ActivationOptions options, double[] totalSeconds,
            double[] exposedSeconds) {
        Shape shape = Shape.of(this.model, batch, options, this.par);
        long m = CommunicationCalculator.microBatchesPerStep(batch, this.par);
        Sum sum = new Sum();
        long pipelineBytes = 0;
        for (int i = 0; i < this.distinct.length; i++) {
            Stage stage = this.distinct[i];
            sum.reset();
            stage(sum, stage, shape, m, training, options);
            totalSeconds[i] = sum.total;
            exposedSeconds[i] = sum.exposed;
            // the ledger's pipeline send/receive bytes over all stages, so that this overflows when it would
            pipelineBytes = Exact.add(Q, pipelineBytes, Exact.multiply(Q, stage.count, sum.pipelineBytes));
        }
        return this.distinct.length;
    }

    // one stage's ledger in CommunicationCalculator's order: data, tensor, pipeline, expert, context parallel
    private void stage(Sum sum, Stage stage, Shape shape, long m, Training training, ActivationOptions options) {
        int p = this.par.pipeline();
        boolean full = options.recomputation() == Recomputation.FULL;
        dataParallel(sum, stage.dense(), this.dataRanks, this.dataLink, training, m);
        dataParallel(sum, stage.expert(), this.expertDataRanks, this.expertDataLink, training, m);
        tensorParallel(sum, stage.layers(), stage.first(), stage.last(), shape, m, options.sequenceParallel(), full);
        if (p > 1) {
            pipeline(sum, stage.first(), stage.last(), shape, m, training);
        }
        if (this.par.expert() > 1 && stage.moeLayers() > 0) {
            expertParallel(sum, stage.moeLayers(), shape, m, full);
        }
        if (this.par.context() > 1 && stage.layers() > 0) {
            contextParallel(sum, stage.layers(), shape, m, full);
        }
    }

    // as CommunicationCalculator's data-parallel entries: plain all-reduce, ZeRO-1/2 reduce-scatter + all-gather,
    // ZeRO-3 all-gathers and reduce-scatters every micro-batch
    private static void dataParallel(Sum sum, long parameters, long ranks, Link link, Training training, long m) {
        if (parameters == 0 || ranks <= 1) {
            return;
        }
        long gradients = training.precision().gradients().bytesFor(Q, parameters);
        long weights = training.precision().weights().bytesFor(Q, parameters);
        ZeroStage zero = training.zeroStage();
        switch (zero) {
            case ZERO_0 -> sum.add(Collective.ALL_REDUCE, 1, gradients, ranks, link, true);
            case ZERO_1, ZERO_2 -> {
                sum.add(Collective.REDUCE_SCATTER, zero == ZeroStage.ZERO_1 ? 1 : m, gradients, ranks, link, true);
                sum.add(Collective.ALL_GATHER, 1, weights, ranks, link, false);
            }
            case ZERO_3 -> {
                sum.add(Collective.ALL_GATHER, Exact.multiply(Q, 2, m), weights, ranks, link, true);
                sum.add(Collective.REDUCE_SCATTER, m, gradients, ranks, link, true);
            }
        }
    }

    // as CommunicationCalculator's Megatron TP entries (Shoeybi et al. 2019 §3; Korthikanti et al. 2022 §4.2.2)
    private void tensorParallel(Sum sum, int layers, boolean first, boolean last, Shape shape, long m, boolean sp,
            boolean full) {
        if (this.par.tensor() == 1) {
            return;
        }
        long message = shape.tensorParallel();
        long perLayer = Exact.multiply(Q, layers, m);
        long ranks = this.tensorRanks;
        Link link = this.tensorLink;
        if (layers > 0) {
            if (!sp) {
                sum.add(Collective.ALL_REDUCE, Exact.multiply(Q, TP_PER_LAYER, perLayer), message, ranks, link, false);
                if (full) {
                    sum.add(Collective.ALL_REDUCE, Exact.multiply(Q, TP_FORWARD_PER_LAYER, perLayer), message, ranks,
                            link, false);
                }
            }
            else {
                sum.add(Collective.ALL_GATHER, Exact.multiply(Q, TP_PER_LAYER, perLayer), message, ranks, link, false);
                sum.add(Collective.REDUCE_SCATTER, Exact.multiply(Q, TP_PER_LAYER, perLayer), message, ranks, link,
                        false);
                if (full) {
                    sum.add(Collective.ALL_GATHER, Exact.multiply(Q, TP_FORWARD_PER_LAYER, perLayer), message, ranks,
                            link, false);
                    sum.add(Collective.REDUCE_SCATTER, Exact.multiply(Q, TP_FORWARD_PER_LAYER, perLayer), message,
                            ranks, link, false);
                }
                sum.add(Collective.ALL_GATHER, Exact.multiply(Q, SP_REGATHER_PER_LAYER, perLayer), message, ranks,
                        link, true);
            }
        }
        if (first) {
            sum.add(sp ? Collective.REDUCE_SCATTER : Collective.ALL_REDUCE, m, message, ranks, link, false);
        }
        if (last) {
            if (!sp) {
                sum.add(Collective.ALL_REDUCE, m, message, ranks, link, false);
            }
            else {
                sum.add(Collective.ALL_GATHER, m, message, ranks, link, false);
                sum.add(Collective.REDUCE_SCATTER, m, message, ranks, link, false);
                sum.add(Collective.ALL_GATHER, m, message, ranks, link, true);
            }
        }
    }

    // as CommunicationCalculator's pipeline entries (Narayanan et al. 2021): boundary sends, tied-embedding all-reduce
    private void pipeline(Sum sum, boolean first, boolean last, Shape shape, long m, Training training) {
        int v = this.par.virtualPipeline();
        long sends = Exact.multiply(Q, (last ? v - 1 : v) + (first ? v - 1 : v), m);
        if (sends > 0) {
            sum.pipelineBytes = sum.add(Collective.SEND_RECV, sends, shape.pipeline(), PAIR, this.pipelineLink, false);
        }
        if (this.model.tiedEmbeddings() && (first || last)) {
            long slice = Exact.ceilDiv(ParameterCounter.embedding(this.model), this.par.tensor());
            sum.add(Collective.ALL_REDUCE, 1, training.precision().gradients().bytesFor(Q, slice), PAIR,
                    this.pipelineLink, false);
        }
    }

    // as CommunicationCalculator's expert entries (Lepikhin et al. 2020): dispatch and combine all-to-alls
    private void expertParallel(Sum sum, int moeLayers, Shape shape, long m, boolean full) {
        long perLayer = Exact.multiply(Q, moeLayers, m);
        sum.add(Collective.ALL_TO_ALL, Exact.multiply(Q, EP_PER_LAYER, perLayer), shape.expert(), this.expertRanks,
                this.expertLink, false);
        if (full) {
            sum.add(Collective.ALL_TO_ALL, Exact.multiply(Q, EP_FORWARD_PER_LAYER, perLayer), shape.expert(),
                    this.expertRanks, this.expertLink, false);
        }
    }

    // as CommunicationCalculator's ring-attention entries (Liu et al. 2023): each pass hides behind its block's attention
    private void contextParallel(Sum sum, int layers, Shape shape, long m, boolean full) {
        long rounds = Exact.multiply(Q, this.par.context() - 1L, layers, m);
        double compute = shape.blockFlops() / this.attentionFlopsPerSecond;
        sum.addContext(Exact.multiply(Q, CP_PASSES, rounds), shape.contextBlock(), this.contextRanks, this.contextLink,
                compute);
        if (full) {
            sum.addContext(rounds, shape.contextBlock(), this.contextRanks, this.contextLink, compute);
        }
    }

    /** A stage's parameters and layers, and how many stages have exactly that traffic. */
    private static final class Stage {

        private final long dense;

        private final long expert;

        private final int layers;

        private final int moeLayers;

        private final boolean first;

        private final boolean last;

        private long count = 1;

        Stage(long dense, long expert, int layers, int moeLayers, boolean first, boolean last) {
            this.dense = dense;
            this.expert = expert;
            this.layers = layers;
            this.moeLayers = moeLayers;
            this.first = first;
            this.last = last;
        }

        long dense() {
            return this.dense;
        }

        long expert() {
            return this.expert;
        }

        int layers() {
            return this.layers;
        }

        int moeLayers() {
            return this.moeLayers;
        }

        boolean first() {
            return this.first;
        }

        boolean last() {
            return this.last;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Stage s && s.dense == this.dense && s.expert == this.expert
                    && s.layers == this.layers && s.moeLayers == this.moeLayers && s.first == this.first
                    && s.last == this.last;
        }

        @Override
        public int hashCode() {
            return Long.hashCode(this.dense) * 31 + this.layers;
        }
    }

    /** The running sums of one stage, in the ledger's order. */
    private static final class Sum {

        private double total;

        private double exposed;

        private long bytes;

        private long pipelineBytes;

        void reset() {
            this.total = 0;
            this.exposed = 0;
            this.bytes = 0;
            this.pipelineBytes = 0;
        }

        /** Adds a transfer compute does not overlap or fully hides; returns its bytes. */
        long add(Collective collective, long count, long message, long ranks, Link link, boolean overlappable) {
            long sent = ringBytesSent(collective, ranks, message);
            double seconds = count * once(collective, ranks, sent, link);
            return record(Exact.multiply(Q, count, sent), seconds, overlappable ? 0.0 : seconds);
        }

        /** Adds a ring-attention pass: only what outlasts the attention of the block in hand is exposed. */
        long addContext(long count, long message, long ranks, Link link, double compute) {
            long sent = ringBytesSent(Collective.SEND_RECV, ranks, message);
            double once = once(Collective.SEND_RECV, ranks, sent, link);
            return record(Exact.multiply(Q, count, sent), count * once, count * Math.max(0, once - compute));
        }

        private long record(long transferBytes, double seconds, double exposedSeconds) {
            // StageTraffic.totalBytes sums with Math.addExact
            this.bytes = Math.addExact(this.bytes, transferBytes);
            this.total += seconds;
            this.exposed += exposedSeconds;
            return transferBytes;
        }
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

    // α–β model, as CollectiveCost.seconds: T = α·steps + (busiest rank's bytes in one direction) / β
    private static double once(Collective collective, long ranks, long sent, Link link) {
        return link.latencySeconds() * ringSteps(collective, ranks) + sent / link.bandwidth();
    }
}
