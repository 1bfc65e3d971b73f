package dev.llmcalc.core.memory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongUnaryOperator;

import dev.llmcalc.core.activation.ActivationCalculator;
import dev.llmcalc.core.activation.ActivationEstimate;
import dev.llmcalc.core.activation.StageActivations;
import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.run.OffloadDevice;
import dev.llmcalc.core.params.ParameterCounter;
import dev.llmcalc.core.DocumentFormula;
import dev.llmcalc.core.parallel.LocalParameters;
import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.parallel.ParameterPlacement;
import dev.llmcalc.core.run.ActivationOptions;
import dev.llmcalc.core.run.BatchShape;
import dev.llmcalc.core.run.Training;
import dev.llmcalc.core.run.TrainingRun;
import dev.llmcalc.core.unit.Exact;
import dev.llmcalc.core.unit.OverflowException;

/**
 * Total training memory per GPU: model states + activations + transient peaks + framework allowance,
 * evaluated for every pipeline stage (model states and activations peak on different stages) and
 * reported for the stage whose total is highest.
 */
public final class TrainingMemoryCalculator {

    private static final String Q = "perGpu.totalBytes";

    /** Upper bound of the micro-batch and sequence searches. */
    private static final long SEARCH_LIMIT = 1L << 31;

    private TrainingMemoryCalculator() {
    }

    /**
     * The total of any run: full training's model states (weights, gradients, optimizer states under ZeRO), or for
     * LoRA / QLoRA the frozen weights, the adapters' states and QLoRA's dequantization buffer, per pipeline stage.
     *
     * @param gpuMemoryBytes the GPU's memory, or 0 when unknown (then no fit or search is reported)
     */
    public static TrainingMemory estimate(TrainingRun run, FrameworkAllowance allowance, long gpuMemoryBytes) {
        if (!run.isAdapter()) {
            return estimate(run.model(), run.batch(), run.training(), run.options(), run.parallelism(), allowance,
                    gpuMemoryBytes);
        }
        run.parallelism().requireFits(run.model());
        List<FineTuningStates> stages = FineTuningStateCalculator.stages(run.model(), run.training(), run.fineTuning(),
                run.parallelism());
        TrainingMemory memory = estimate(run.model(), run.batch(), run.options(), run.parallelism(), allowance,
                gpuMemoryBytes, stages.stream().map(FineTuningStates::asModelStateBytes).toList());
        return memory.withAdapterStates(stages.get(memory.pipelineStage()));
    }

    /**
     * What a run's total assumes, in words: the allowance and searches, the model states (full or LoRA / QLoRA), the
     * activations.
     */
    public static List<String> assumptions(TrainingRun run, TrainingMemory memory) {
        List<String> list = new ArrayList<>(memory.assumptions());
        list.addAll(run.isAdapter()
                ? FineTuningStateCalculator.assumptions(run.training(), run.fineTuning(), run.parallelism())
                : ModelStateCalculator.assumptions(run.training(), run.parallelism(), run.model()));
        list.addAll(memory.activations().assumptions());
        return List.copyOf(list);
    }

    /**
     * Full training's total.
     *
     * @param gpuMemoryBytes the GPU's memory, or 0 when unknown (then no fit or search is reported)
     */
    public static TrainingMemory estimate(Architecture model, BatchShape batch, Training training,
            ActivationOptions options, Parallelism parallelism, FrameworkAllowance allowance, long gpuMemoryBytes) {
        return estimate(model, batch, options, parallelism, allowance, gpuMemoryBytes,
                stageStates(model, training, parallelism));
    }

    /**
     * The same total with the model states of each pipeline stage given by the caller (LoRA and QLoRA compute
     * their own: frozen weights, adapters, dequantization buffer).
     *
     * @param states model-state bytes of one GPU of each pipeline stage, first stage first
     */
    public static TrainingMemory estimate(Architecture model, BatchShape batch, ActivationOptions options,
            Parallelism parallelism, FrameworkAllowance allowance, long gpuMemoryBytes, List<ModelStateBytes> states) {
        if (states.size() != parallelism.pipeline()) {
            throw new IllegalArgumentException("one model-state entry per pipeline stage is needed");
        }
        ActivationEstimate activations = ActivationCalculator.estimate(model, batch, options, parallelism);
        FrameworkAllowance.Fragmentation fragmentation = allowance.fragmentation();
        int busiest = 0;
        long busiestTotal = -1;
        for (int k = 0; k < states.size(); k++) {
            long total = total(states.get(k), activations.stages().get(k), allowance, fragmentation);
            if (total > busiestTotal) {
                busiest = k;
                busiestTotal = total;
            }
        }
        ModelStateBytes modelStates = states.get(busiest);
        StageActivations stage = activations.stages().get(busiest);
        long framework = framework(modelStates, stage, allowance, fragmentation);
        Long maxMicroBatch = null;
        Long maxSequence = null;
        if (gpuMemoryBytes > 0) {
            maxMicroBatch = largestMicroBatch(model, batch, options, parallelism, allowance, states, gpuMemoryBytes);
            maxSequence = longestSequence(model, batch, options, parallelism, allowance, states, gpuMemoryBytes);
        }
        return new TrainingMemory(busiest, modelStates, stage.keptBytes(), stage.transientBytes(), framework,
                busiestTotal, activations, gpuMemoryBytes, maxMicroBatch, maxSequence, allowance, null);
    }

    private static List<ModelStateBytes> stageStates(Architecture model, Training training, Parallelism parallelism) {
        long working = ModelStateCalculator.workingLayer(model, training, parallelism);
        List<ModelStateBytes> states = new ArrayList<>();
        for (LocalParameters local : ParameterPlacement.stages(model, parallelism)) {
            states.add(ModelStateCalculator.perGpu(local, training, parallelism, working));
        }
        return states;
    }

    /** DeepSpeed's estimate of the run's model states beside this total's (ZeRO-2 and ZeRO-3; else null). */
    public static DocumentFormula deepSpeedFormula(TrainingRun run, TrainingMemory memory, OffloadedStates offloaded,
            int gpusPerNode) {
        long phi = ParameterCounter.count(run.model()).totalParameters();
        return ModelStateCalculator.deepSpeedFormula(phi, ModelStateCalculator.largestLayer(run.model(),
                run.parallelism()), run.training(), run.parallelism(), gpusPerNode, memory.modelStates().totalBytes(),
                offloaded.bytesPerNode(OffloadDevice.CPU, gpusPerNode));
    }

    /** The most-loaded GPU's model states buffer by buffer, with their widths (full training only; else null). */
    public static List<ModelStateItem> modelStateItems(TrainingRun run, TrainingMemory memory) {
        if (run.isAdapter()) {
            return null;
        }
        LocalParameters local = ParameterPlacement.stages(run.model(), run.parallelism()).get(memory.pipelineStage());
        return ModelStateCalculator.items(local, run.training(), run.parallelism(),
                ModelStateCalculator.workingLayer(run.model(), run.training(), run.parallelism()));
    }

    /** What the most-loaded GPU's rank keeps off the GPU (ZeRO-Offload / ZeRO-Infinity). */
    public static OffloadedStates offloaded(TrainingRun run, TrainingMemory memory) {
        if (!run.training().offload().any()) {
            return OffloadedStates.NONE;
        }
        LocalParameters local = ParameterPlacement.stages(run.model(), run.parallelism()).get(memory.pipelineStage());
        OffloadedStates states = ModelStateCalculator.offloaded(local, run.training(), run.parallelism());
        long checkpoints = memory.activations().stages().get(memory.pipelineStage()).hostBytes();
        if (checkpoints == 0) {
            return states;
        }
        // training.offload.activations: the stage's layer checkpoints in host memory (DeepSpeed cpu_checkpointing)
        List<OffloadedStates.Buffer> buffers = new ArrayList<>(states.buffers());
        buffers.add(new OffloadedStates.Buffer("activation checkpoints (the layers' inputs, full recomputation)",
                OffloadDevice.CPU, checkpoints));
        return new OffloadedStates(buffers);
    }

    private static long total(ModelStateBytes states, StageActivations stage, FrameworkAllowance allowance,
            FrameworkAllowance.Fragmentation fragmentation) {
        return stageTotal(states.totalBytes(), stage.peakBytes(), allowance, fragmentation);
    }

    private static long framework(ModelStateBytes states, StageActivations stage, FrameworkAllowance allowance,
            FrameworkAllowance.Fragmentation fragmentation) {
        return frameworkBytes(Exact.add(Q, states.totalBytes(), stage.peakBytes()), allowance, fragmentation);
    }

    // model states + kept activations + the largest transient + CUDA context + communication buffers + fragmentation
    public static long stageTotal(long modelStateBytes, long activationPeakBytes, FrameworkAllowance allowance,
            FrameworkAllowance.Fragmentation fragmentation) {
        long base = Exact.add(Q, modelStateBytes, activationPeakBytes);
        return Exact.add(Q, base, frameworkBytes(base, allowance, fragmentation));
    }

    // the allowance on top of model states + activations: CUDA context + communication buffers + fragmentation
    static long frameworkBytes(long base, FrameworkAllowance allowance, FrameworkAllowance.Fragmentation fragmentation) {
        return Exact.sum("perGpu.frameworkBytes", allowance.cudaContextBytes(), allowance.communicationBufferBytes(),
                fragmentation.of(base));
    }

    /** The highest per-stage total for another batch shape, or Long.MAX_VALUE when it cannot be represented. */
    private static long busiestTotal(Architecture model, BatchShape batch, ActivationOptions options,
            Parallelism parallelism, FrameworkAllowance allowance, List<ModelStateBytes> states) {
        try {
            ActivationEstimate activations = ActivationCalculator.estimate(model, batch, options, parallelism);
            FrameworkAllowance.Fragmentation fragmentation = allowance.fragmentation();
            long max = 0;
            for (int k = 0; k < states.size(); k++) {
                max = Math.max(max, total(states.get(k), activations.stages().get(k), allowance, fragmentation));
            }
            return max;
        }
        catch (OverflowException ex) {
            return Long.MAX_VALUE;
        }
    }

    // inverse question: the largest b with the rest unchanged that fits (activations grow linearly in b);
    // the global batch is left out (in-flight micro-batches = p − k), which can only overstate memory
    static long largestMicroBatch(Architecture model, BatchShape batch, ActivationOptions options,
            Parallelism parallelism, FrameworkAllowance allowance, List<ModelStateBytes> states, long memory) {
        BatchShape shape = new BatchShape(1, batch.sequenceLength(), 0);
        return largestFitting((b) -> busiestTotal(model, shape.withMicroBatchSize(b), options, parallelism,
                allowance, states), memory);
    }

    // inverse question: the longest s (a multiple of what context and sequence parallelism need) that fits
    static long longestSequence(Architecture model, BatchShape batch, ActivationOptions options,
            Parallelism parallelism, FrameworkAllowance allowance, List<ModelStateBytes> states, long memory) {
        long unit = (long) parallelism.context() * (options.sequenceParallel() ? parallelism.tensor() : 1);
        BatchShape shape = new BatchShape(batch.microBatchSize(), unit, 0);
        return unit * largestFitting((k) -> busiestTotal(model, shape.withSequenceLength(k * unit), options,
                parallelism, allowance, states), memory);
    }

    /**
     * The largest n in [1, 2^31] with total(n) ≤ memory, for a non-decreasing total; 0 when even n = 1 does not fit.
     * Secant steps (memory is linear in the micro-batch and at most quadratic in the sequence) find the boundary in
     * about 5 evaluations for a micro-batch and 15 for a sequence, where doubling then halving needs 10 and 25: the
     * secant through the last two fitting points brackets the boundary, then the Illinois variant of regula falsi
     * closes the bracket, bisecting whenever a step fails to halve it twice running (the worst case stays logarithmic).
     */
    static long largestFitting(LongUnaryOperator total, long memory) {
        long good = 1;
        long fGood = total.applyAsLong(1);
        if (fGood > memory) {
            return 0;
        }
        long previous = 0;
        long fPrevious = 0;
        boolean crawling = false;
        long bad;
        long fBad;
        while (true) {
            long next;
            if (previous == 0) {
                next = 2;
            }
            else if (crawling) {
                next = 2 * good;
            }
            else {
                next = Math.max(secant(previous, fPrevious, good, fGood, memory), good + 1);
            }
            next = Math.min(SEARCH_LIMIT, next);
            crawling = previous != 0 && next == good + 1;
            long fNext = total.applyAsLong(next);
            if (fNext > memory) {
                bad = next;
                fBad = fNext;
                break;
            }
            if (next == SEARCH_LIMIT) {
                return SEARCH_LIMIT;
            }
            previous = good;
            fPrevious = fGood;
            good = next;
            fGood = fNext;
        }
        double goodValue = fGood;
        double badValue = fBad;
        int kept = 0;
        int slow = 0;
        while (bad - good > 1) {
            long width = bad - good;
            long next = slow >= 2 ? good + width / 2
                    : (long) Math.floor(good + (memory - goodValue) * width / (badValue - goodValue));
            next = Math.max(good + 1, Math.min(bad - 1, next));
            long fNext = total.applyAsLong(next);
            if (fNext <= memory) {
                good = next;
                goodValue = fNext;
                // Illinois: the bad end kept twice running has its excess over memory halved
                badValue = kept > 0 ? memory + (badValue - memory) / 2 : badValue;
                kept = kept > 0 ? kept + 1 : 1;
            }
            else {
                bad = next;
                badValue = fNext;
                goodValue = kept < 0 ? memory - (memory - goodValue) / 2 : goodValue;
                kept = kept < 0 ? kept - 1 : -1;
            }
            slow = (bad - good) * 2 > width ? slow + 1 : 0;
        }
        return good;
    }

    /** Where the line through (a, fa) and (b, fb), a < b, reaches memory; twice b when the line is flat. */
    private static long secant(long a, long fa, long b, long fb, long memory) {
        if (fb <= fa) {
            return 2 * b;
        }
        double n = b + (double) (memory - fb) * (b - a) / ((double) fb - fa);
        return n >= SEARCH_LIMIT ? SEARCH_LIMIT : (long) Math.floor(n);
    }

    static List<String> assumptions(FrameworkAllowance allowance, long gpuMemoryBytes) {
        List<String> list = new ArrayList<>();
        list.add("Total = model states + activations kept at the fullest moment + the largest transient (the layer "
                + "rebuilt under full recomputation, or the logits) + framework allowance, for the pipeline stage whose "
                + "total is highest.");
        list.add("Framework allowance: CUDA context and workspaces " + allowance.cudaContextBytes()
                + " bytes, communication buffers " + allowance.communicationBufferBytes() + " bytes, fragmentation "
                + allowance.fragmentationFraction() + " × (model states + activations); set them in 'allowance' "
                + "(zeros remove it).");
        if (gpuMemoryBytes > 0) {
            list.add("maxMicroBatchSize and maxSequenceLength change one quantity with the rest of the request fixed; "
                    + "they ignore the global batch (every stage assumed to hold p − k micro-batches), which can only "
                    + "overstate memory; sequence lengths step by what context and sequence parallelism need.");
        }
        return List.copyOf(list);
    }
}
