package dev.llmcalc.core.comms;

import static dev.llmcalc.core.comms.Traffic.TP_PER_LAYER;
import static dev.llmcalc.core.comms.TrafficShape.Q;

import java.math.BigDecimal;

import dev.llmcalc.core.DocumentFormula;
import dev.llmcalc.core.parallel.LocalParameters;
import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.run.ActivationOptions;
import dev.llmcalc.core.run.Recomputation;
import dev.llmcalc.core.run.Training;
import dev.llmcalc.core.run.ZeroStage;
import dev.llmcalc.core.unit.Exact;

/** The document's formulas (seed §3), evaluated as written: elements, not bytes. */
final class CommunicationFormulas {

    private static final String DOCUMENT = "seed §3 大模型训练过程中的通信开销如何计算";

    private CommunicationFormulas() {
    }

    // seed §3: 张量并行下，FFN一次前向和反向传播的总通信量为4bsh，多头注意力层一次前向和反向传播的总通信量为4bsh
    static DocumentFormula tensorParallel(TrafficShape shape, Parallelism par, ActivationOptions o) {
        BigDecimal bsh = bsh(shape);
        BigDecimal value = bsh.multiply(BigDecimal.valueOf(2 * TP_PER_LAYER));
        long t = par.tensor();
        long detailed = o.sequenceParallel()
                ? 2 * TP_PER_LAYER * Collectives.ringShardBytes(t, shape.tensorParallel())
                : TP_PER_LAYER * Collectives.ringAllReduceBytes(t, shape.tensorParallel());
        String note = "elements per layer and micro-batch for forward + backward, each all-reduce counted as b·s·h "
                + "(no ring factor, no element size); per GPU the ring moves 8·(t−1)/t·b·"
                + (par.context() > 1 ? "(s/c)" : "s") + "·h elements: " + detailed + " bytes at "
                + o.elementBytes() + " bytes per element with t = " + t
                + (o.sequenceParallel() ? "; with sequence parallelism the all-gather entry and the two "
                        + "reduce-scatter entries (forward; the backward's input gradients) carry it together (the "
                        + "backward re-gather comes on top)" : "; the forward and the input-gradient all-reduce "
                        + "entries carry it together")
                + ", each this formula's share × layers × micro-batches (the formula is the layers' whole, not "
                + "each entry's)"
                + (o.recomputation() == Recomputation.FULL ? ", and full recomputation adds the 2 forward ones (12·(t−1)/t)" : "");
        return new DocumentFormula(DOCUMENT + " (张量并行)", "4bsh (FFN) + 4bsh (attention) per layer, forward + backward",
                "4·" + shape.microBatchSize() + "·" + shape.sequenceLength() + "·" + shape.hidden() + " + 4·"
                        + shape.microBatchSize() + "·" + shape.sequenceLength() + "·" + shape.hidden(),
                value.doubleValue(), value.compareTo(BigDecimal.valueOf(detailed)) == 0, note);
    }

    // seed §3: 流水线并行，假设模型被切分到N个GPU上，一次前向和反向传播的总通信量为 2(N-1)bsh
    static DocumentFormula pipeline(TrafficShape shape, Parallelism par, ActivationOptions o, long microBatches) {
        int p = par.pipeline();
        BigDecimal value = bsh(shape).multiply(BigDecimal.valueOf(2L * (p - 1)));
        long boundaries = (long) p * par.virtualPipeline() - 1;
        long perMicroBatch = Exact.multiply(Q, 2 * boundaries, shape.pipeline());
        String note = "elements over the whole pipeline (N = p = " + p + " stages) for one micro-batch, forward + "
                + "backward; in bytes the pipeline's " + boundaries + " boundaries carry 2·" + boundaries + "·"
                + shape.pipeline() + " = " + perMicroBatch + " bytes per micro-batch"
                + (par.virtualPipeline() > 1 ? " (" + par.virtualPipeline() + " interleaved chunks per stage: p·v − 1 boundaries)" : "")
                + (o.sequenceParallel() && par.tensor() > 1 ? " (each tensor-parallel rank sends its sequence slice: ÷t)" : "")
                + (shape.scatterGather() ? " (scatter/gather: each tensor-parallel rank sends 1/t of it, gathered over "
                        + "NVLink after the send: ÷t)" : "")
                + (par.context() > 1 ? " (each context-parallel rank sends its s/c tokens)" : "")
                + ", × " + microBatches + " micro-batches per step; a middle stage's GPU sends 2 per micro-batch"
                + (par.virtualPipeline() > 1 ? " per chunk" : "") + ", the first and last stage 1";
        return new DocumentFormula(DOCUMENT + " (流水线并行)", "2(N−1)·bsh",
                "2·(" + p + "−1)·" + shape.microBatchSize() + "·" + shape.sequenceLength() + "·" + shape.hidden(),
                value.doubleValue(), value.compareTo(BigDecimal.valueOf(perMicroBatch)) == 0, note);
    }

    // seed §3: ZeRO-1单卡通信量为2Φ, ZeRO-2单卡通信量为2Φ, ZeRO-3单卡通信量为3Φ (plain data parallelism's
    // all-reduce moves the same 2Φ as ZeRO-1/2: Rajbhandari et al. 2019 §7)
    // replicas: hybrid sharding's replica groups (1 without), whose all-reduce of the gradient shard the document lacks
    static DocumentFormula zero(ZeroStage zero, long phi, LocalParameters local, Training training, long ranks,
            long replicas) {
        int k = zero == ZeroStage.ZERO_3 ? 3 : 2;
        BigDecimal value = BigDecimal.valueOf(phi).multiply(BigDecimal.valueOf(k));
        String note = "Φ = " + phi + " is every parameter of the model and the volume is in elements, as the document "
                + "writes it; this GPU's dense slice is Φ_local = " + local.dense() + " parameters (after tensor and "
                + "pipeline splitting), and with one micro-batch it sends " + k + "·(n−1)/n·Φ_local elements over n = "
                + (training.hybridSharding() ? "a shard group of " : "data × context = ") + ranks + " ranks, at "
                + training.gradientBytes() + " bytes per gradient"
                + (zero == ZeroStage.ZERO_0 ? "" : " and " + training.weightBytes() + " per gathered weight")
                + (local.expert() > 0 ? "; expert parameters are reduced over data × context / expert ranks in their own entries" : "")
                + (zero == ZeroStage.ZERO_2 || zero == ZeroStage.ZERO_3
                        ? "; with m micro-batches the per-micro-batch collectives repeat m times" : "")
                + (training.hybridSharding() ? "; hybrid sharding adds an all-reduce of the 1/" + ranks + " gradient "
                        + "shard across " + replicas + " replica groups, which the document does not describe" : "");
        String expression = switch (zero) {
            case ZERO_0 -> "2Φ (plain data parallelism: all-reduce = reduce-scatter + all-gather, as ZeRO-1)";
            case ZERO_1 -> "ZeRO-1: 2Φ per GPU";
            case ZERO_2 -> "ZeRO-2: 2Φ per GPU";
            case ZERO_3 -> "ZeRO-3: 3Φ per GPU";
        };
        return new DocumentFormula(DOCUMENT + " (ZeRO)", expression, k + "·" + phi, value.doubleValue(), false, note);
    }

    private static BigDecimal bsh(TrafficShape shape) {
        return BigDecimal.valueOf(shape.microBatchSize()).multiply(BigDecimal.valueOf(shape.sequenceLength()))
                .multiply(BigDecimal.valueOf(shape.hidden()));
    }
}
