package dev.llmcalc.core.plan;

import dev.llmcalc.core.comms.CommunicationSeconds;
import dev.llmcalc.core.comms.Network;
import dev.llmcalc.core.comms.RankOrder;
import dev.llmcalc.core.hardware.Cluster;
import dev.llmcalc.core.run.ActivationOptions;
import dev.llmcalc.core.run.AttentionKernel;
import dev.llmcalc.core.run.BatchShape;
import dev.llmcalc.core.run.Training;
import dev.llmcalc.core.run.TrainingRun;

/** The step-time formulas the planner and the capacity checks share. */
public final class StepTimeModel {

    private StepTimeModel() {
    }

    // FlashAttention (Dao 2022) with a causal mask skips the blocks above the diagonal: about half the QKᵀ and P·V
    // work; eager attention (Megatron's fused softmax) computes the whole s × s square
    public static boolean causalAttention(AttentionKernel kernel) {
        return kernel == AttentionKernel.FLASH;
    }

    /** How the attention FLOPs were counted, in words, for the answers' assumptions. */
    public static String attentionCounting(AttentionKernel kernel) {
        return causalAttention(kernel)
                ? "Attention FLOPs in the step time are causal (FlashAttention skips the masked half of QKᵀ and P·V); MFU "
                        + "counts model FLOPs with the whole square, as Megatron and PaLM do."
                : "Attention FLOPs are the whole s × s square in both the step time and MFU (eager attention computes it).";
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
    public static double exposedCommunicationSeconds(TrainingRun run, Cluster cluster, double computeSeconds) {
        CommunicationSeconds layout = CommunicationSeconds.of(run, RankOrder.MEGATRON, Network.of(cluster));
        double[] total = new double[layout.distinctStages()];
        double[] exposed = new double[layout.distinctStages()];
        return exposedCommunicationSeconds(layout, run.batch(), run.training(), run.options(), computeSeconds, total,
                exposed);
    }

    /**
     * The same from a layout's precomputed groups, links and stages, for a search that prices many batches, ZeRO
     * stages and recomputation modes on one layout.
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
