package dev.llmcalc.core.plan;

import dev.llmcalc.core.activation.ActivationCalculator;
import dev.llmcalc.core.activation.ActivationProfile;
import dev.llmcalc.core.comms.CommunicationSeconds;
import dev.llmcalc.core.comms.Network;
import dev.llmcalc.core.comms.RankOrder;
import dev.llmcalc.core.comms.StageSeconds;
import java.util.List;

import dev.llmcalc.core.compute.TrainingCompute;
import dev.llmcalc.core.hardware.Cluster;
import dev.llmcalc.core.hardware.GpuSpec;
import dev.llmcalc.core.hardware.KernelEfficiency;
import dev.llmcalc.core.hardware.TensorOverlap;
import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.parallel.LocalParameters;
import dev.llmcalc.core.parallel.ParameterPlacement;
import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.run.ActivationOptions;
import dev.llmcalc.core.run.AttentionKernel;
import dev.llmcalc.core.run.AdapterCounter;
import dev.llmcalc.core.run.BatchShape;
import dev.llmcalc.core.run.OffloadDevice;
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

    /**
     * The step time of a run: each pipeline stage's micro-batch priced operator by operator ({@link OperatorTime}), m
     * of them at the slowest stage's pace, the 1F1B fill and drain, the slowest stage's optimizer step, and the
     * communication compute does not hide.
     */
    public static StepTime step(TrainingRun run, Cluster cluster, KernelEfficiency efficiency) {
        Architecture m = run.model();
        BatchShape batch = run.batch();
        Parallelism par = run.parallelism();
        ActivationOptions o = run.options();
        TrainingCompute executed = TrainingCompute.ofStep(run, causalAttention(o.attention()));
        OperatorTime.Work work = OperatorTime.Work.of(executed, o, m.numLayers());
        OperatorTime.Pipeline pipeline = pipeline(work, m, o, batch.microBatchSize(), batch.sequenceLength(), par,
                cluster.gpu(), efficiency);
        // the stages' parameters placed once, for the optimizer step and the communication; the trained ones (the
        // adapters under LoRA) for the optimizer step and the gradients' accumulation
        List<LocalParameters> placed = ParameterPlacement.stages(m, par);
        List<LocalParameters> trained = run.isAdapter() ? AdapterCounter.stages(m, run.fineTuning(), par) : placed;
        double updated = updatedParameters(trained, run.training(), par);
        // an offloaded optimizer steps on the host (OffloadTime), not on the GPU
        double optimizer = run.training().offload().optimizer() == OffloadDevice.NONE
                ? OperatorTime.optimizerSeconds(updated, run.training(), cluster.gpu(), efficiency,
                        run.isAdapter() ? 0 : OperatorTime.newtonSchulzFlopsPerParameter(m, run.training().optimizer()))
                : 0;
        long microBatches = batch.microBatchesPerStep(par.data());
        double accumulation = OperatorTime.gradientAccumulationSeconds(
                accumulatedGradients(trained, run.training(), par), microBatches, run.training().precision(),
                cluster.gpu(), efficiency);
        StepTime.KernelSeconds kernels = StepTime.KernelSeconds.of(pipeline.slowest(), microBatches, optimizer,
                accumulation);
        ExposedCommunication communication = exposedCommunication(
                CommunicationSeconds.of(run, RankOrder.MEGATRON, Network.of(cluster), placed), batch, run.training(), o,
                kernels, microBatches, efficiency, run.isAdapter(), par.interleaved());
        return StepTime.of(kernels, pipeline.bubbleSeconds(par.virtualPipeline()), communication,
                OffloadTime.of(run, cluster, updated, kernels, microBatches, checkpointBytesPerMicroBatch(run)),
                efficiency);
    }

    // with training.offload.activations: one micro-batch's layer checkpoints on the stage with the most layers (the
    // first), from the same ledger /memory/training keeps
    static double checkpointBytesPerMicroBatch(TrainingRun run) {
        if (!run.options().offloadCheckpoints()) {
            return 0;
        }
        Architecture m = run.model();
        ActivationProfile profile = ActivationCalculator.profile(m, run.batch(), run.options(), run.parallelism());
        return (double) Math.max(profile.denseLayerBytes(), profile.moeLayerBytes())
                * Parallelism.layersOnStage(m.numLayers(), run.parallelism().pipeline(), 0);
    }

    /** One micro-batch of b sequences through the layout's pipeline stages, priced operator by operator. */
    static OperatorTime.Pipeline pipeline(OperatorTime.Work work, Architecture m, ActivationOptions o,
            long microBatchSize, long sequenceLength, Parallelism par, GpuSpec gpu, KernelEfficiency efficiency) {
        double tokens = (double) microBatchSize * sequenceLength / par.context();
        return OperatorTime.Pipeline.of(m.numLayers(), par.pipeline(),
                OperatorTime.layer(work, m, o, tokens, sequenceLength, (double) sequenceLength / par.context(),
                        par.tensor(), gpu, efficiency),
                OperatorTime.head(work, m, o, tokens, par.tensor(), gpu, efficiency));
    }

    // the parameters the most-loaded GPU's optimizer step updates: its stage's trained weights (the adapters under
    // LoRA), the ZeRO partition of them from stage 1 on (on the host when the optimizer is offloaded: OffloadTime)
    static double updatedParameters(List<LocalParameters> stages, Training training, Parallelism par) {
        return mostLoadedStage(stages, training, par, training.zeroStage().shardsOptimizer());
    }

    // the gradients the most-loaded GPU accumulates over the micro-batches: its stage's trained weights, the ZeRO
    // partition of them where gradients are sharded (ZeRO-2/3 reduce each micro-batch's into it)
    static double accumulatedGradients(List<LocalParameters> stages, Training training, Parallelism par) {
        return mostLoadedStage(stages, training, par, training.zeroStage().shardsGradients());
    }

    // the most parameters one GPU holds of its stage's (dense and expert) weights, each cut to its ZeRO partition
    // when sharded
    private static double mostLoadedStage(List<LocalParameters> stages, Training training, Parallelism par,
            boolean sharded) {
        double most = 0;
        for (LocalParameters stage : stages) {
            double dense = sharded ? stage.dense() / (double) training.denseShardingDegree(par) : stage.dense();
            double expert = sharded ? stage.expert() / (double) training.expertShardingDegree(par) : stage.expert();
            most = Math.max(most, dense + expert);
        }
        return most;
    }

    /** How the step time was formed, in words, with the shares used and where they come from. */
    public static String describe(KernelEfficiency e) {
        return "Step time = compute + bubble + exposed communication. Compute, operator by operator on the slowest "
                + "pipeline stage (the first stages take the layers that do not divide evenly, the last adds the LM "
                + "head and the loss): GEMMs at " + e.matmul() + " × the dense peak of the activation type, the "
                + "attention core as FlashAttention's fused kernel at " + e.attention() + " × that peak × its "
                + "row-length factor (FlashAttention-2's benchmarks over their 2k-16k mean: 0.56 at 512 keys, 0.89 at "
                + "2k, 1.09 from 16k; s / c keys under context parallelism) (its "
                + "backward recomputes QKᵀ: 3.5 forward passes in all; eager attention's batched GEMMs at the GEMM "
                + "share, 3 passes), element-wise kernels (norms, activation "
                + "function, bias + dropout + residual, eager softmax, cross-entropy, the optimizer step) from the bytes "
                + "they read and write at " + e.memoryBound() + " × the HBM bandwidth (" + e.source() + "); the "
                + "backward pass costs twice the forward GEMMs (once for frozen weights), recomputation runs the "
                + "recomputed part of the forward again; m micro-batches at the slowest stage's pace"
                + (e.gradientAccumulationFusion() ? ", the weight-gradient GEMMs accumulating the gradients themselves"
                        : ", each micro-batch's gradients added into the gradient buffer by an element-wise kernel "
                                + "(3 × their bytes from the second micro-batch on; fp32 buffers under 16-bit weights: "
                                + "2 + 2 × 4 bytes every micro-batch; gradientAccumulationFusion false)")
                + ". Bubble (1F1B): "
                + "one micro-batch through the other stages, ÷ v when interleaved. Exposed communication: the slowest "
                + "stage's non-overlapped part of the /communication ledger, plus the part of its overlappable "
                + "transfers that exceeds the compute they hide behind (overlapsWith): once-per-step gradient "
                + "reductions only the last micro-batch's backward, ZeRO-2's reduce-scatters each their own "
                + "micro-batch's backward, ZeRO-3's gathers and reduce-scatters their layer phase (at "
                + e.zero3Bandwidth() + " of the bandwidth)" + (e.gradientReductionOverlap() ? ""
                        : " — here gradient reductions run after the backward, hidden by nothing")
                + "; tensor parallelism " + tensorOverlapWords(e.tensorOverlap()) + "; ZeRO-1/2's weight all-gather "
                + (e.parameterGatherOverlap() ? "behind the next step's first forward" : "after the optimizer, exposed")
                + "; expert all-to-alls " + (e.expertOverlap() ? "behind the step's forward and backward passes "
                        + "(DualPipe)" : "on the critical path")
                + "; pipeline sends " + (e.pipelineOverlap() ? "behind the chunks' compute when the schedule is "
                        + "interleaved (--overlap-p2p-communication), else on the critical path" : "on the critical path")
                + "; a window of compute c with transfers x lasts max(c, x) + (1 − " + e.overlap() + ")·min(c, x).";
    }

    private static String tensorOverlapWords(TensorOverlap mode) {
        return switch (mode) {
            case NONE -> "(tensorOverlap NONE) with every layer collective on the critical path";
            case BACKWARD -> "(tensorOverlap BACKWARD) with the QKV and MLP-up input-gradient collectives behind the "
                    + "weight-gradient GEMMs (a third of the GEMM seconds), the others on the critical path";
            case FULL -> "(tensorOverlap FULL) with every tensor-parallel collective (layers, embedding, LM head, "
                    + "recomputed) behind the GEMMs and the recomputed forward (with sequence parallelism; BACKWARD "
                    + "without it)";
        };
    }

    // T_compute = FLOPs / (GPUs · dense peak · efficiency) (Narayanan et al. 2021 §5.1, with efficiency for X/peak)
    public static double computeSeconds(double hardwareFlops, long gpus, double peakFlops, double efficiency) {
        return hardwareFlops / (gpus * peakFlops * efficiency);
    }

    /**
     * Communication that compute does not hide, on the slowest stage: the ledger's non-overlappable part, whatever the
     * step-overlapped part needs beyond the step's compute, gradient reductions beyond the backward they hide behind,
     * and ZeRO-3's per-layer traffic beyond its layer phase's compute. The layout's groups, links and stages are built
     * once ({@link CommunicationSeconds}), so a search prices many batches, ZeRO stages and recomputation modes on it.
     *
     * @param microBatches m, micro-batches per step and data-parallel rank
     * @param efficiency the share of the bandwidth ZeRO-3's collectives reach and the overlap
     * @param frozenWeights whether the base weights are frozen (LoRA / QLoRA)
     */
    static double exposedCommunicationSeconds(CommunicationSeconds layout, BatchShape batch, Training training,
            ActivationOptions options, StepTime.KernelSeconds compute, long microBatches, KernelEfficiency efficiency,
            boolean frozenWeights, boolean interleaved) {
        return exposedCommunication(layout, batch, training, options, compute, microBatches, efficiency,
                frozenWeights, interleaved).total();
    }

    /**
     * The same, by parallelism: the stage that exposes the most.
     *
     * @param interleaved whether the schedule is interleaved (v > 1), the only one whose pipeline sends
     *        {@code pipelineOverlap} hides
     */
    static ExposedCommunication exposedCommunication(CommunicationSeconds layout, BatchShape batch, Training training,
            ActivationOptions options, StepTime.KernelSeconds compute, long microBatches, KernelEfficiency efficiency,
            boolean frozenWeights, boolean interleaved) {
        return worstStage(List.of(layout.stages(batch, training, options)), compute, microBatches, efficiency,
                options.sequenceParallel(), frozenWeights, interleaved);
    }

    /** Of the stages' exposed communication ({@link #stageExposed}), the largest. */
    static ExposedCommunication worstStage(List<StageSeconds> stages, StepTime.KernelSeconds compute,
            long microBatches, KernelEfficiency efficiency, boolean sequenceParallel, boolean frozenWeights,
            boolean interleaved) {
        ExposedCommunication worst = ExposedCommunication.NONE;
        for (StageSeconds stage : stages) {
            ExposedCommunication exposed = stageExposed(stage, compute, microBatches, efficiency, sequenceParallel,
                    frozenWeights, interleaved);
            if (exposed.total() > worst.total()) {
                worst = exposed;
            }
        }
        return worst;
    }

    /** One stage's exposed seconds in all ({@link #stageExposed}). */
    static double stageExposedSeconds(StageSeconds seconds, StepTime.KernelSeconds compute, long microBatches,
            KernelEfficiency efficiency, boolean sequenceParallel, boolean frozenWeights, boolean interleaved) {
        return stageExposed(seconds, compute, microBatches, efficiency, sequenceParallel, frozenWeights, interleaved)
                .total();
    }

    /**
     * One stage, by parallelism: its non-overlappable seconds; the step-overlapped seconds (the sequence-parallel
     * re-gathers) beyond the step's compute; once-per-step gradient reductions beyond one micro-batch's backward (the
     * last, which produces the final gradients), ZeRO-2's per-micro-batch reduce-scatters beyond their micro-batch's
     * backward, each phase lasting max(c, x) + (1 − overlap)·min(c, x); ZeRO-3's per-layer traffic, its bytes' time at
     * {@code zero3Bandwidth} of the bandwidth, a third in the forward phase (the gathers before forward) and two thirds
     * in the backward (the gathers again and the gradient reduce-scatters), each phase exposed by what its compute
     * does not hide. Tensor parallelism as {@code tensorOverlap} says ({@link #tensorExposedSeconds}); ZeRO-1/2's weight
     * all-gather exposed, or with {@code parameterGatherOverlap} behind the first micro-batch's forward; expert
     * all-to-alls exposed, or with {@code expertOverlap} behind the step's forward and backward passes; pipeline
     * transfers exposed, or with {@code pipelineOverlap} on an interleaved schedule behind the step's forward and
     * backward passes (each send behind the next chunk's compute: Megatron-LM's {@code --overlap-p2p-communication});
     * what ring-attention passes leave beyond their block exposed.
     *
     * @param sequenceParallel whether the layout runs sequence parallelism (which full tensor overlap needs)
     * @param frozenWeights whether the base weights are frozen (LoRA / QLoRA: no weight-gradient GEMMs of their own)
     * @param interleaved whether the schedule is interleaved (v > 1)
     */
    static ExposedCommunication stageExposed(StageSeconds seconds, StepTime.KernelSeconds compute, long microBatches,
            KernelEfficiency efficiency, boolean sequenceParallel, boolean frozenWeights, boolean interleaved) {
        double overlap = efficiency.overlap();
        double forward = compute.forwardSeconds();
        double backward = compute.backwardSeconds();
        double tensor = seconds.tensorCritical() + Math.max(0, seconds.stepOverlapped() - compute.totalSeconds())
                + tensorExposedSeconds(seconds, compute, efficiency, sequenceParallel, frozenWeights);
        double data = seconds.parameterGather();
        if (efficiency.parameterGatherOverlap() && seconds.parameterGather() > 0) {
            data = overlapExposedSeconds(seconds.parameterGather(), forward / microBatches, overlap);
        }
        double expert = seconds.expert();
        if (efficiency.expertOverlap() && seconds.expert() > 0 && microBatches > 1) {
            // DualPipe: one micro-batch's all-to-alls behind another's forward and backward, the step's passes in all
            // (with one micro-batch there is no other to hide behind)
            expert = overlapExposedSeconds(seconds.expert(), compute.passSeconds(), overlap);
        }
        if (!efficiency.gradientReductionOverlap()) {
            // reduced after the backward (or the pipeline flush): nothing hides them
            data += seconds.lastBackward() + seconds.eachBackward();
        }
        else {
            if (seconds.lastBackward() > 0) {
                data += overlapExposedSeconds(seconds.lastBackward(), backward / microBatches, overlap);
            }
            if (seconds.eachBackward() > 0) {
                data += microBatches * overlapExposedSeconds(seconds.eachBackward() / microBatches,
                        backward / microBatches, overlap);
            }
        }
        if (seconds.layerByLayer() > 0) {
            // the bandwidth share scales the bytes' time, not the calls' latency
            double latency = seconds.layerByLayerLatency();
            double zero3 = (seconds.layerByLayer() - latency) / efficiency.zero3Bandwidth() + latency;
            data += overlapExposedSeconds(zero3 / 3, forward, overlap)
                    + overlapExposedSeconds(2 * zero3 / 3, backward, overlap);
        }
        double pipeline = seconds.pipeline();
        if (efficiency.pipelineOverlap() && interleaved && seconds.pipelineSends() > 0) {
            // the boundary sends only: the scatter/gather all-gathers and the tied embedding's all-reduce stay exposed
            pipeline += overlapExposedSeconds(seconds.pipelineSends(), compute.passSeconds(), overlap)
                    - seconds.pipelineSends();
        }
        return ExposedCommunication.of(data, tensor, pipeline, expert,
                seconds.contextExposed() + seconds.unclaimedExposed());
    }

    /**
     * What tensor parallelism adds to the ledger's exposed seconds (which count its critical-path collectives whole and
     * leave out the layers' input-gradient ones): NONE, the input-gradient collectives whole; BACKWARD, what they leave
     * beyond the backward's weight-gradient GEMMs (a third of the stage's GEMM seconds: forward, input gradient and
     * weight gradient cost alike; none with frozen base weights, whose layers compute no weight gradient, so the
     * collectives stay exposed); FULL with sequence parallelism, every tensor-parallel collective (layers, embedding,
     * LM head, recomputation) behind the GEMMs and the recomputed forward (counted whole, its attention and element-wise
     * kernels too: an approximation) in place of the critical-path ones (without
     * sequence parallelism Transformer Engine's userbuffers do not apply: BACKWARD). Each window lasts max(c, x) +
     * (1 − overlap)·min(c, x); windows are priced apart, so the sequence-parallel re-gathers (behind the whole step)
     * may share the GEMMs' time with these.
     */
    static double tensorExposedSeconds(StageSeconds seconds, StepTime.KernelSeconds compute,
            KernelEfficiency efficiency, boolean sequenceParallel, boolean frozenWeights) {
        double inputGradients = seconds.weightGradient();
        TensorOverlap mode = efficiency.tensorOverlap();
        if (mode == TensorOverlap.FULL && !sequenceParallel) {
            mode = TensorOverlap.BACKWARD;
        }
        return switch (mode) {
            case NONE -> inputGradients;
            case BACKWARD -> inputGradients > 0 ? overlapExposedSeconds(inputGradients,
                    frozenWeights ? 0 : compute.matmulSeconds() / 3, efficiency.overlap()) : 0;
            case FULL -> {
                double all = inputGradients + seconds.tensorCritical();
                yield all > 0 ? overlapExposedSeconds(all, compute.matmulSeconds() + compute.recomputationSeconds(),
                        efficiency.overlap()) - seconds.tensorCritical() : 0;
            }
        };
    }

    // a window of compute c with transfers x behind it lasts max(c, x) + (1 − overlap) × min(c, x); what exceeds c is
    // exposed
    static double overlapExposedSeconds(double transferSeconds, double computeSeconds, double overlap) {
        return Math.max(computeSeconds, transferSeconds) + (1 - overlap) * Math.min(computeSeconds, transferSeconds)
                - computeSeconds;
    }

    // MFU = model FLOPs per step / (step time · GPUs · dense peak) (Chowdhery et al. 2022, PaLM App. B)
    public static double mfu(double modelFlops, double stepSeconds, long gpus, double peakFlops) {
        return modelFlops / (stepSeconds * gpus * peakFlops);
    }
}
