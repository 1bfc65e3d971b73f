package dev.llmcalc.core.plan;

import dev.llmcalc.core.compute.TrainingCompute;
import dev.llmcalc.core.hardware.Cluster;
import dev.llmcalc.core.hardware.KernelEfficiency;
import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.run.ActivationOptions;
import dev.llmcalc.core.unit.Units;

/**
 * A whole run's compute alone, by kernel class, at the GPU's kernel shares (issue 15: {@code /compute} explains its
 * time): every sequence's forward, backward and recomputation priced operator by operator as {@code /checks} prices a
 * micro-batch ({@link OperatorTime}), each GPU training its share of the tokens with the whole model (no tensor or
 * pipeline split), and no communication, bubble or optimizer step. It is the floor the MFU-based time sits above.
 *
 * @param kernels the run's seconds on every GPU, by class (the optimizer step not counted)
 * @param trainingDays kernels.totalSeconds() in days
 * @param impliedMfu model FLOPs ÷ (those seconds × GPUs × dense peak): the MFU the kernel shares alone would give
 * @param kernelEfficiency the shares used
 */
public record KernelTime(StepTime.KernelSeconds kernels, double trainingDays, double impliedMfu,
        KernelEfficiency kernelEfficiency) {

    /**
     * @param executed the FLOPs the kernels run (causal attention under FlashAttention, recomputation included)
     * @param modelFlops the run's model FLOPs, for the implied MFU
     * @param options what is kept and how attention runs (FLASH or EAGER), at the activation width
     */
    public static KernelTime of(Architecture m, TrainingCompute executed, double modelFlops, ActivationOptions options,
            long tokens, int sequenceLength, Cluster cluster, KernelEfficiency e) {
        OperatorTime.Work work = OperatorTime.Work.of(executed, options, m.numLayers());
        // one sequence through the whole model on one GPU: a pipeline of one stage, as /checks prices a micro-batch
        OperatorTime.MicroBatchSeconds sequence = StepTimeModel.pipeline(work, m, options, 1, sequenceLength,
                new Parallelism(1, 1, 1, 1, 1), cluster.gpu(), e).slowest();
        // every GPU trains tokens / (s · GPUs) sequences of the whole model
        double sequencesPerGpu = (double) tokens / sequenceLength / cluster.gpuCount();
        StepTime.KernelSeconds kernels = new StepTime.KernelSeconds(sequence.matmul() * sequencesPerGpu,
                sequence.attention() * sequencesPerGpu, sequence.memoryBound() * sequencesPerGpu,
                sequence.recomputation() * sequencesPerGpu, 0, sequence.forward() * sequencesPerGpu);
        double seconds = kernels.totalSeconds();
        return new KernelTime(kernels, seconds / Units.SECONDS_PER_DAY,
                StepTimeModel.mfu(modelFlops, seconds, cluster.gpuCount(), cluster.gpu().peakFlops()), e);
    }
}
