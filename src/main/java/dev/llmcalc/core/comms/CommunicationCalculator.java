package dev.llmcalc.core.comms;

import static dev.llmcalc.core.comms.TrafficShape.Q;

import java.util.ArrayList;
import java.util.List;

import dev.llmcalc.core.memory.FrozenBase;
import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.parallel.LocalParameters;
import dev.llmcalc.core.parallel.ParameterPlacement;
import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.params.ParameterCounter;
import dev.llmcalc.core.run.TrainingRun;
import dev.llmcalc.core.unit.Exact;

/**
 * Bytes (and, on a cluster, seconds) each GPU sends in one optimizer step, one entry per source of
 * traffic: data-parallel gradient all-reduce or ZeRO-1/2/3 collectives, Megatron tensor parallelism (with
 * sequence parallelism and full recomputation), pipeline boundaries, expert all-to-all and ring-attention
 * context parallelism (seed §3 "大模型训练过程中的通信开销如何计算"; spec formulas.md §5). The rules are
 * {@link Traffic}'s; this lists what they report, stage by stage, in a {@link CommunicationLedger}.
 */
public final class CommunicationCalculator {

    private CommunicationCalculator() {
    }

    /**
     * The ledger of every pipeline stage. A LoRA / QLoRA run reduces its adapters only and, under ZeRO-3, still
     * gathers its frozen weights (placed per stage as its model states are).
     *
     * @param network links and latencies, or {@code null} for bytes only
     */
    public static CommunicationEstimate estimate(TrainingRun run, RankOrder order, Network network) {
        Architecture model = run.model();
        Parallelism par = run.parallelism();
        par.requireFits(model);
        FrozenBase frozen = TrafficLayout.frozenBase(run);
        order.requireConsistent(par);
        TrafficLayout.requireCluster(network, par);
        TrafficShape shape = TrafficShape.of(model, run.batch(), run.options(), par);
        long microBatches = TrafficShape.microBatches(run.batch(), par);
        List<LocalParameters> placed = ParameterPlacement.stages(model, par);
        TrafficLayout layout = TrafficLayout.of(model, par, order, network, placed, frozen,
                run.training().shardGroupSize());

        long phi = ParameterCounter.count(model).totalParameters();
        Traffic traffic = new Traffic(layout, shape, microBatches, run.training(), run.options());
        CommunicationLedger ledger = new CommunicationLedger(layout, shape, microBatches, run.training(), run.options(),
                phi);
        List<StageTraffic> stages = new ArrayList<>();
        StageTraffic busiest = null;
        long pipelineBytes = 0;
        for (int k = 0; k < placed.size(); k++) {
            StageTraffic stage = ledger.stage(traffic, layout.stages().get(k), placed.get(k));
            stages.add(stage);
            if (busiest == null || stage.totalBytes() > busiest.totalBytes()) {
                busiest = stage;
            }
            pipelineBytes = Exact.add(Q, pipelineBytes, stage.transfers().stream()
                    .filter((t) -> t.collective() == Collective.SEND_RECV && t.parallelism() == ParallelismKind.PIPELINE)
                    .mapToLong(Transfer::bytes).sum());
        }
        List<String> assumptions = Assumptions.of(model, run.batch(), run.training(), run.options(), par, order, network,
                busiest, microBatches, shape);
        if (frozen != null) {
            List<String> withFrozen = new ArrayList<>(assumptions);
            withFrozen.add("LoRA / QLoRA: only the adapters get gradients, so the data-parallel reduction (and ZeRO-1/2's "
                    + "all-gather of updated weights) moves adapter bytes only; under ZeRO-3 the frozen weights are still "
                    + "all-gathered before forward and backward, at their storage precision, and never reduced; tensor, "
                    + "pipeline, expert and context traffic are those of full training (the backward pass still carries "
                    + "input gradients through the frozen layers). The document's 2Φ/3Φ counts full training and is not "
                    + "attached to the adapter transfers.");
            assumptions = List.copyOf(withFrozen);
        }
        return new CommunicationEstimate(busiest, stages, microBatches, order, layout.placements(), pipelineBytes,
                assumptions);
    }
}
