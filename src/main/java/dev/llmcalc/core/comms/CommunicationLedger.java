package dev.llmcalc.core.comms;

import static dev.llmcalc.core.comms.TrafficShape.Q;

import java.util.ArrayList;
import java.util.List;

import dev.llmcalc.core.DocumentFormula;
import dev.llmcalc.core.parallel.LocalParameters;
import dev.llmcalc.core.run.ActivationOptions;
import dev.llmcalc.core.run.Training;
import dev.llmcalc.core.unit.Exact;

/**
 * The sink that lists each stage's transfers for {@code /communication}: bytes and, on a cluster, seconds and
 * exposed seconds ({@link TransferTime}), with the document's formula on the entries it describes.
 */
final class CommunicationLedger implements TrafficSink {

    private final TrafficLayout layout;

    private final TrafficShape shape;

    private final Training training;

    private final ActivationOptions options;

    private final long microBatches;

    private final long phi;

    private final double blockComputeSeconds;

    private DocumentFormula tensorFormula;

    private DocumentFormula pipelineFormula;

    private DocumentFormula zeroFormula;

    private LocalParameters local;

    private List<Transfer> transfers;

    /** @param phi Φ, every parameter of the model (the document's ZeRO formula counts them all) */
    CommunicationLedger(TrafficLayout layout, TrafficShape shape, long microBatches, Training training,
            ActivationOptions options, long phi) {
        this.layout = layout;
        this.shape = shape;
        this.training = training;
        this.options = options;
        this.microBatches = microBatches;
        this.phi = phi;
        Network network = layout.network();
        this.blockComputeSeconds = network != null ? shape.blockFlops() / network.attentionFlopsPerSecond() : 0;
    }

    /** One stage's ledger, from the rules' pass over it. */
    StageTraffic stage(Traffic traffic, TrafficLayout.Stage stage, LocalParameters local) {
        this.local = local;
        this.zeroFormula = null;
        this.transfers = new ArrayList<>();
        traffic.stage(stage, this);
        return new StageTraffic(local.pipelineStage(), stage.layers(), stage.moeLayers(), this.transfers);
    }

    @Override
    public void add(TrafficSource source, ParameterSet parameters, long count, long messageBytes) {
        TrafficGroup group = source.group(parameters);
        long ranks = this.layout.ranks(source, group);
        long sent = TransferTime.ringBytesSent(source.collective(), ranks, messageBytes);
        long bytes = Exact.multiply(Q, count, sent);
        Link link = this.layout.link(group);
        Double seconds = null;
        Double exposed = null;
        Double latency = null;
        if (link != null) {
            double once = TransferTime.once(source.collective(), ranks, sent, link);
            double total = count * once;
            seconds = total;
            exposed = TransferTime.exposed(source, count, once, total, this.blockComputeSeconds);
            latency = count * TransferTime.latency(source.collective(), ranks, link);
        }
        this.transfers.add(new Transfer(source.kind(), source.describe(parameters), source.collective(), count,
                messageBytes, bytes, ranks, link != null ? link.kind() : null, seconds, exposed, source.overlappable(),
                formula(source, parameters), source.window(), latency));
    }

    // the document's 2Φ/3Φ describes full training's dense parameters; 4bsh the layers' tensor-parallel collectives;
    // 2(N−1)bsh the boundary sends
    private DocumentFormula formula(TrafficSource source, ParameterSet parameters) {
        return switch (source.formula()) {
            case NONE -> null;
            case ZERO -> parameters == ParameterSet.DENSE_PARAMETERS ? zeroFormula() : null;
            case TENSOR -> {
                if (this.tensorFormula == null) {
                    this.tensorFormula = CommunicationFormulas.tensorParallel(this.shape, this.layout.parallelism(),
                            this.options);
                }
                yield this.tensorFormula;
            }
            case PIPELINE -> {
                if (this.pipelineFormula == null) {
                    this.pipelineFormula = CommunicationFormulas.pipeline(this.shape, this.layout.parallelism(),
                            this.options, this.microBatches);
                }
                yield this.pipelineFormula;
            }
        };
    }

    private DocumentFormula zeroFormula() {
        if (this.zeroFormula == null) {
            this.zeroFormula = CommunicationFormulas.zero(this.training.zeroStage(), this.phi, this.local, this.training,
                    this.layout.ranks(TrafficGroup.DATA), this.layout.ranks(TrafficGroup.DATA_REPLICA));
        }
        return this.zeroFormula;
    }
}
