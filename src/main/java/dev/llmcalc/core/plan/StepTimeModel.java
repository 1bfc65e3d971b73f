package dev.llmcalc.core.plan;

import java.util.List;

import dev.llmcalc.core.comms.CommunicationCalculator;
import dev.llmcalc.core.comms.CommunicationSeconds;
import dev.llmcalc.core.comms.Network;
import dev.llmcalc.core.comms.RankOrder;
import dev.llmcalc.core.comms.StageTraffic;
import dev.llmcalc.core.hardware.Cluster;
import dev.llmcalc.core.memory.FrozenBase;
import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.run.ActivationOptions;
import dev.llmcalc.core.run.BatchShape;
import dev.llmcalc.core.run.Training;

/** The step-time formulas the planner and the capacity checks share. */
public final class StepTimeModel {

    private StepTimeModel() {
    }

    // T_compute = FLOPs / (GPUs · dense peak · efficiency) (Narayanan et al. 2021 §5.1, with efficiency for X/peak)
    public static double computeSeconds(double hardwareFlops, long gpus, double peakFlops, double efficiency) {
        return hardwareFlops / (gpus * peakFlops * efficiency);
    }

    // 1F1B bubble (Narayanan et al. 2021 §2.2): (p − 1)/m of the compute, divided by v with interleaving
    public static double bubbleSeconds(double computeSeconds, int pipeline, long microBatches, int virtualPipeline) {
        return computeSeconds * (pipeline - 1) / ((double) microBatches * virtualPipeline);
    }

    // communication that compute does not hide: the ledger's non-overlappable part, plus whatever the overlappable
    // part needs beyond the step's compute time (it can hide behind compute, not behind nothing); slowest stage
    public static double exposedCommunicationSeconds(Architecture model, BatchShape batch, Training training,
            ActivationOptions options, Parallelism parallelism, Cluster cluster, double computeSeconds) {
        return exposedCommunicationSeconds(model, batch, training, options, parallelism, cluster, computeSeconds, null);
    }

    /** The same for a LoRA / QLoRA run ({@code frozen}), or full training when it is {@code null}. */
    public static double exposedCommunicationSeconds(Architecture model, BatchShape batch, Training training,
            ActivationOptions options, Parallelism parallelism, Cluster cluster, double computeSeconds,
            FrozenBase frozen) {
        List<StageTraffic> stages = CommunicationCalculator.estimate(model, batch, training, options, parallelism,
                RankOrder.MEGATRON, Network.of(cluster), false, frozen).stages();
        double worst = 0;
        for (StageTraffic stage : stages) {
            worst = Math.max(worst, stageExposedSeconds(stage.totalSeconds(), stage.exposedSeconds(), computeSeconds));
        }
        return worst;
    }

    /**
     * The same as {@link #exposedCommunicationSeconds} from a layout's precomputed groups, links and stages: the
     * same per-stage seconds (bit for bit), without building the ledger.
     *
     * @param totalSeconds scratch of at least {@link CommunicationSeconds#distinctStages()} entries
     * @param exposedSeconds scratch of the same size
     */
    static double exposedCommunicationSeconds(CommunicationSeconds layout, BatchShape batch, Training training,
            ActivationOptions options, double computeSeconds, double[] totalSeconds, double[] exposedSeconds) {
        int stages = layout.stages(batch, training, options, totalSeconds, exposedSeconds);
        double worst = 0;
        for (int i = 0; i < stages; i++) {
            worst = Math.max(worst, stageExposedSeconds(totalSeconds[i], exposedSeconds[i], computeSeconds));
        }
        return worst;
    }

    // one stage: its non-overlappable seconds, plus the overlappable seconds beyond the compute they hide behind
    static double stageExposedSeconds(double totalSeconds, double exposedSeconds, double computeSeconds) {
        double overlappable = totalSeconds - exposedSeconds;
        return exposedSeconds + Math.max(0, overlappable - computeSeconds);
    }

    // MFU = model FLOPs per step / (step time · GPUs · dense peak) (Chowdhery et al. 2022, PaLM App. B)
    public static double mfu(double modelFlops, double stepSeconds, long gpus, double peakFlops) {
        return modelFlops / (stepSeconds * gpus * peakFlops);
    }
}
