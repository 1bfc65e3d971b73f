package dev.llmcalc.core.plan;

import dev.llmcalc.core.compute.ForwardFlops;
import dev.llmcalc.core.compute.TrainingFlops;
import dev.llmcalc.core.hardware.Cluster;
import dev.llmcalc.core.hardware.GpuSpec;
import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.model.MlpType;
import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.run.ActivationOptions;
import dev.llmcalc.core.run.AttentionKernel;
import dev.llmcalc.core.run.BatchShape;
import dev.llmcalc.core.run.Recomputation;
import dev.llmcalc.core.run.TrainingRun;

/**
 * Compute time of one micro-batch on one GPU, operator class by operator class (issue 15, first part): the layers'
 * matmuls at a share of the dense peak, the attention core (QKᵀ, P·V) at its own share, and the memory-bound
 * element-wise work (norms, activation function, bias + dropout + residual, the eager softmax) at a share of the HBM
 * bandwidth; backward costs twice the forward, recomputation runs the forward (or the attention core) again. Not yet
 * the step time of {@code /checks} and {@code /plans}: {@code MeasuredRunsTests} validates it against published runs
 * first.
 */
public final class OperatorTime {

    private OperatorTime() {
    }

    /**
     * The shares of the GPU's peaks that each operator class reaches.
     *
     * @param matmul dense-peak share of the layers' GEMMs and the LM head
     * @param attention dense-peak share of the attention core's batched GEMMs (small head dimension)
     * @param memory HBM-bandwidth share of the element-wise kernels
     */
    public record Efficiencies(double matmul, double attention, double memory) {

        /**
         * Fitted to the ten runs of Narayanan et al. 2021 Table 1 (A100 80 GB, fp16, Megatron-LM's fused kernels, no
         * FlashAttention): the grid point (steps of 0.025 / 0.05 / 0.05) with the smallest mean absolute relative
         * step-time error, 2.3 % ({@code MeasuredRunsTests}). Attention and memory trade off against each other on
         * these runs (0.5 / 0.75 gives 2.4 %); the matmul share is well determined.
         */
        public static final Efficiencies A100_MEGATRON_2021 = new Efficiencies(0.675, 0.65, 0.70);
    }

    /**
     * Seconds of one micro-batch's forward + backward (+ recomputation) on a stage of {@code layers} layers.
     *
     * @param lastStage whether the stage also runs the LM head and the loss
     */
    public static double microBatchSeconds(TrainingRun run, GpuSpec gpu, Efficiencies e, int layers,
            boolean lastStage) {
        Architecture m = run.model();
        BatchShape batch = run.batch();
        ActivationOptions o = run.options();
        Parallelism par = run.parallelism();
        double t = par.tensor();
        double tokens = (double) batch.microBatchSize() * batch.sequenceLength() / par.context();
        int s = (int) Math.min(batch.sequenceLength(), Integer.MAX_VALUE);
        boolean eager = o.attention() == AttentionKernel.EAGER;
        // FlashAttention skips the masked half of a causal mask; Megatron's fused softmax computes the whole square
        ForwardFlops perToken = TrainingFlops.forwardPerToken(m, s, !eager);
        double layerMatmul = (perToken.attentionProjections() + perToken.mlp() + perToken.router())
                / (double) m.numLayers() / t;
        double layerAttention = perToken.attentionScores() / (double) m.numLayers() / t;
        double peak = gpu.peakFlops(o.activationType()).orElse(gpu.peakFlops());
        double bandwidth = gpu.memoryBandwidth();

        double matmulSeconds = tokens * layerMatmul / (peak * e.matmul());
        double attentionSeconds = tokens * layerAttention / (peak * e.attention());
        double softmaxBytes = eager ? tokens * softmaxBytesPerToken(m, o, s, t) : 0;
        double elementwiseBytes = tokens * elementwiseBytesPerToken(m, o, t);
        double softmaxSeconds = softmaxBytes / (bandwidth * e.memory());
        double elementwiseSeconds = elementwiseBytes / (bandwidth * e.memory());

        // forward once, backward twice its work (input and weight gradients; the element-wise kernels read saved
        // tensors and write gradients: twice the traffic); full recomputation runs the forward again, selective the
        // attention core
        double forward = matmulSeconds + attentionSeconds + softmaxSeconds + elementwiseSeconds;
        double perLayer = 3 * forward;
        if (o.recomputation() == Recomputation.FULL) {
            perLayer += forward;
        }
        else if (o.recomputation() == Recomputation.SELECTIVE) {
            perLayer += attentionSeconds + softmaxSeconds;
        }
        double seconds = layers * perLayer;
        if (lastStage) {
            // LM head (2·h·V per token, forward + backward) and the fp32 cross-entropy over the vocabulary
            seconds += 3 * tokens * perToken.lmHead() / t / (peak * e.matmul())
                    + 3 * tokens * (m.vocabSize() / t) * 4.0 * 2 / (bandwidth * e.memory());
        }
        return seconds;
    }

    // per token and layer, forward: two LayerNorms (read + write h), two bias + dropout + residual-add sites (read 2h,
    // write h, a 1-byte mask), the activation function over the FFN width, the QKV bias; sequence parallelism splits
    // the norm and dropout regions t ways
    static double elementwiseBytesPerToken(Architecture m, ActivationOptions o, double t) {
        double e = o.elementBytes();
        double h = m.hiddenSize();
        double sequenceSplit = o.sequenceParallel() ? t : 1;
        double norms = m.normsPerLayer() * 2 * h * e / sequenceSplit;
        double residual = 2 * (3 * h * e + h) / sequenceSplit;
        double f = m.intermediateSize() / t;
        double activation = (m.mlp() == MlpType.GATED ? 3 : 2) * f * e;
        double qkvBias = m.qkvBias() ? 2 * 3 * h / t * e : 0;
        return norms + residual + activation + qkvBias;
    }

    // eager attention, per token and layer, forward: the fused scale-mask-softmax reads the a/t × s scores and writes
    // the probabilities, dropout reads them, writes the kept ones and a 1-byte mask
    static double softmaxBytesPerToken(Architecture m, ActivationOptions o, int s, double t) {
        double scores = m.numAttentionHeads() / t * s;
        double e = o.elementBytes();
        return 2 * scores * e + (o.dropout() ? 2 * scores * e + scores : 0);
    }

    /**
     * The step: the slowest stage's micro-batch time × (m + (p − 1)/v) under 1F1B (Narayanan et al. 2021 §2.2), plus
     * the exposed communication of today's ledger.
     */
    public static StepTime step(TrainingRun run, Cluster cluster, Efficiencies e) {
        Parallelism par = run.parallelism();
        int p = par.pipeline();
        Architecture m = run.model();
        double slowest = 0;
        for (int k = 0; k < p; k++) {
            slowest = Math.max(slowest, microBatchSeconds(run, cluster.gpu(), e,
                    Parallelism.layersOnStage(m.numLayers(), p, k), k == p - 1));
        }
        long microBatches = run.batch().microBatchesPerStep(par.data());
        double compute = slowest * microBatches;
        double bubble = slowest * (p - 1) / (double) par.virtualPipeline();
        double communication = StepTimeModel.exposedCommunicationSeconds(run, cluster, compute);
        return StepTime.of(compute, bubble, communication);
    }
}
