package dev.llmcalc.core.plan;

import java.util.ArrayList;
import java.util.List;

import dev.llmcalc.core.compute.TrainingCompute;
import dev.llmcalc.core.hardware.Cluster;
import dev.llmcalc.core.memory.FineTuningStateCalculator;
import dev.llmcalc.core.memory.FineTuningStates;
import dev.llmcalc.core.memory.FrameworkAllowance;
import dev.llmcalc.core.memory.TrainingMemory;
import dev.llmcalc.core.memory.TrainingMemoryCalculator;
import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.run.ActivationOptions;
import dev.llmcalc.core.run.BatchShape;
import dev.llmcalc.core.run.FineTuning;
import dev.llmcalc.core.run.Training;
import dev.llmcalc.core.unit.Exact;
import dev.llmcalc.core.unit.InvalidInputException;
import dev.llmcalc.core.unit.Units;

/** A concrete plan checked against requirements: memory, step time, MFU and training days. */
public final class CapacityCheck {

    private CapacityCheck() {
    }

    /**
     * @param model the architecture
     * @param batch micro-batch, sequence and global batch (required)
     * @param efficiency fraction of the dense peak the compute kernels reach
     */
    public static CheckResult check(Architecture model, BatchShape batch, Training training, ActivationOptions options,
            Parallelism parallelism, Cluster cluster, FrameworkAllowance allowance, double efficiency,
            Requirements requirements) {
        return check(model, batch, training, FineTuning.FULL, options, parallelism, cluster, allowance, efficiency,
                requirements);
    }

    /**
     * @param fineTuning FULL, or LORA / QLORA: model states, activations (the options carry the adapters), FLOPs and
     *        data-parallel traffic of the adapters over frozen weights
     */
    public static CheckResult check(Architecture model, BatchShape batch, Training training, FineTuning fineTuning,
            ActivationOptions options, Parallelism parallelism, Cluster cluster, FrameworkAllowance allowance,
            double efficiency, Requirements requirements) {
        InvalidInputException.require(batch.globalBatchSize() > 0, "batch.globalBatchSize",
                "is required to check a plan (it sets the micro-batches per step)");
        InvalidInputException.require(cluster.gpuCount() == parallelism.gpuCount(), "cluster.gpuCount",
                "is " + cluster.gpuCount() + " but the layout uses data × tensor × pipeline × context = "
                        + parallelism.gpuCount() + " GPUs");
        InvalidInputException.require(efficiency > 0 && efficiency <= 1, "efficiency",
                "must be greater than 0 and at most 1");
        boolean adapters = fineTuning.isAdapter();
        TrainingMemory memory = !adapters
                ? TrainingMemoryCalculator.estimate(model, batch, training, options, parallelism, allowance,
                        cluster.gpu().memoryBytes())
                : TrainingMemoryCalculator.estimate(model, batch, options, parallelism, allowance,
                        cluster.gpu().memoryBytes(), FineTuningStateCalculator.stages(model, training, fineTuning,
                                parallelism).stream().map(FineTuningStates::asModelStateBytes).toList());
        long tokensPerStep = Exact.multiply("tokens", batch.globalBatchSize(), batch.sequenceLength());
        TrainingCompute flops = TrainingCompute.forFineTuning(model, tokensPerStep,
                Math.toIntExact(Math.min(batch.sequenceLength(), Integer.MAX_VALUE)), false, options.recomputation(),
                fineTuning);
        long microBatches = batch.globalBatchSize() / (batch.microBatchSize() * parallelism.data());
        double peak = cluster.gpu().peakFlops();
        double compute = StepTimeModel.computeSeconds(flops.hardwareTrainingFlops(), cluster.gpuCount(), peak,
                efficiency);
        double bubble = StepTimeModel.bubbleSeconds(compute, parallelism.pipeline(), microBatches,
                parallelism.virtualPipeline());
        double communication = StepTimeModel.exposedCommunicationSeconds(model, batch, training, options, parallelism,
                cluster, compute, adapters ? FineTuningStateCalculator.frozenBase(model, training, fineTuning,
                        parallelism) : null);
        StepTime step = StepTime.of(compute, bubble, communication);
        double mfu = StepTimeModel.mfu(flops.trainingFlops(), step.totalSeconds(), cluster.gpuCount(), peak);
        Double days = requirements.tokens() != null
                ? requirements.tokens() / (double) tokensPerStep * step.totalSeconds() / Units.SECONDS_PER_DAY : null;

        List<Violation> violations = new ArrayList<>();
        long gpuMemory = cluster.gpu().memoryBytes();
        double fraction = memory.totalBytes() / (double) gpuMemory;
        double maxFraction = requirements.maxMemoryFraction() != null ? requirements.maxMemoryFraction() : 1.0;
        if (fraction > maxFraction) {
            violations.add(new Violation("maxMemoryFraction", maxFraction, fraction));
        }
        if (requirements.minHeadroomBytes() != null && memory.headroomBytes() < requirements.minHeadroomBytes()) {
            violations.add(new Violation("minHeadroomBytes", requirements.minHeadroomBytes(), memory.headroomBytes()));
        }
        if (requirements.maxStepSeconds() != null && step.totalSeconds() > requirements.maxStepSeconds()) {
            violations.add(new Violation("maxStepSeconds", requirements.maxStepSeconds(), step.totalSeconds()));
        }
        if (requirements.maxTrainingDays() != null && days > requirements.maxTrainingDays()) {
            violations.add(new Violation("maxTrainingDays", requirements.maxTrainingDays(), days));
        }
        if (requirements.minMfu() != null && mfu < requirements.minMfu()) {
            violations.add(new Violation("minMfu", requirements.minMfu(), mfu));
        }
        return new CheckResult(violations.isEmpty(), List.copyOf(violations), memory, step, mfu, microBatches, days);
    }

    /**
     * @param requirement the requirement's field name
     * @param limit its limit
     * @param actual the plan's value
     */
    public record Violation(String requirement, double limit, double actual) {
    }

    /**
     * @param pass no requirement violated (memory always checked: total ≤ maxMemoryFraction [1] × GPU memory)
     * @param violations each violated requirement with its limit and the actual value
     * @param memory the training-memory estimate
     * @param step step time
     * @param mfu model FLOPs utilisation
     * @param microBatches micro-batches per step and data-parallel rank
     * @param trainingDays days to train on the requirements' token budget (null without one)
     */
    public record CheckResult(boolean pass, List<Violation> violations, TrainingMemory memory, StepTime step,
            double mfu, long microBatches, Double trainingDays) {
    }
}
