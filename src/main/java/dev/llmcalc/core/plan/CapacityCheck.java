package dev.llmcalc.core.plan;

import java.util.ArrayList;
import java.util.List;

import dev.llmcalc.core.compute.EnergyOptions;
import dev.llmcalc.core.compute.RunEnergy;
import dev.llmcalc.core.compute.TrainingCompute;
import dev.llmcalc.core.compute.TrainingTime;
import dev.llmcalc.core.hardware.Cluster;
import dev.llmcalc.core.hardware.KernelEfficiency;
import dev.llmcalc.core.memory.FrameworkAllowance;
import dev.llmcalc.core.memory.OffloadedStates;
import dev.llmcalc.core.memory.TrainingMemory;
import dev.llmcalc.core.memory.TrainingMemoryCalculator;
import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.run.BatchShape;
import dev.llmcalc.core.run.OffloadDevice;
import dev.llmcalc.core.run.TrainingRun;
import dev.llmcalc.core.unit.InvalidInputException;
import dev.llmcalc.core.unit.Units;

/** A concrete plan checked against requirements: memory, step time, MFU and training days. */
public final class CapacityCheck {

    private CapacityCheck() {
    }

    /**
     * @param run the plan: model, method, batch (the global batch is required), what is kept, layout
     * @param efficiency the shares of the GPU's peaks the kernels reach
     */
    public static CheckResult check(TrainingRun run, Cluster cluster, FrameworkAllowance allowance,
            KernelEfficiency efficiency, Requirements requirements) {
        return check(run, cluster, allowance, efficiency, requirements, EnergyOptions.DEFAULT);
    }

    /**
     * The same, with the run's energy (reported when {@code requirements.tokens} gives the run's length).
     *
     * @param energy utilisation, PUE and grid intensity for the energy and emissions
     */
    public static CheckResult check(TrainingRun run, Cluster cluster, FrameworkAllowance allowance,
            KernelEfficiency efficiency, Requirements requirements, EnergyOptions energy) {
        BatchShape batch = run.batch();
        Parallelism parallelism = run.parallelism();
        InvalidInputException.require(batch.globalBatchSize() > 0, "batch.globalBatchSize",
                "is required to check a plan (it sets the micro-batches per step)");
        InvalidInputException.require(cluster.gpuCount() == parallelism.gpuCount(), "cluster.gpuCount",
                "is " + cluster.gpuCount() + " but the layout uses data × tensor × pipeline × context = "
                        + parallelism.gpuCount() + " GPUs");
        TrainingMemory memory = TrainingMemoryCalculator.estimate(run, allowance, cluster.gpu().memoryBytes());
        // MFU counts model FLOPs with the attention square whole (Megatron's and PaLM's convention); time counts what
        // the kernel runs: FlashAttention skips the masked half of a causal mask
        TrainingCompute flops = TrainingCompute.ofStep(run, false);
        long microBatches = batch.microBatchesPerStep(parallelism.data());
        double peak = cluster.gpu().peakFlops();
        StepTime step = StepTimeModel.step(run, cluster, efficiency);
        double mfu = StepTimeModel.mfu(flops.trainingFlops(), step.totalSeconds(), cluster.gpuCount(), peak);
        Double seconds = requirements.tokens() != null
                ? trainingSeconds(requirements.tokens(), flops.tokens(), step.totalSeconds()) : null;
        Double days = seconds != null ? seconds / Units.SECONDS_PER_DAY : null;
        Double gpuHours = seconds != null ? TrainingTime.gpuHours(seconds, cluster.gpuCount()) : null;
        RunEnergy runEnergy = gpuHours != null ? RunEnergy.of(gpuHours, cluster.gpu(), energy) : null;

        List<Violation> violations = new ArrayList<>();
        double fraction = memory.memoryFraction();
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
        OffloadedStates offloaded = TrainingMemoryCalculator.offloaded(run, memory);
        long hostBytes = offloaded.bytesPerNode(OffloadDevice.CPU, cluster.ranksPerNode());
        if (requirements.maxHostBytesPerNode() != null && hostBytes > requirements.maxHostBytesPerNode()) {
            violations.add(new Violation("maxHostBytesPerNode", requirements.maxHostBytesPerNode(), hostBytes));
        }
        // the nodes' own CPU memory, when known (cluster.hostMemoryBytesPerNode or the GPU's usual node)
        if (!cluster.hostHolds(hostBytes)) {
            violations.add(new Violation("hostMemoryBytesPerNode", cluster.hostMemoryBytesPerNode(), hostBytes));
        }
        long nvmeBytes = offloaded.bytesPerNode(OffloadDevice.NVME, cluster.ranksPerNode());
        if (requirements.maxNvmeBytesPerNode() != null && nvmeBytes > requirements.maxNvmeBytesPerNode()) {
            violations.add(new Violation("maxNvmeBytesPerNode", requirements.maxNvmeBytesPerNode(), nvmeBytes));
        }
        return new CheckResult(violations.isEmpty(), List.copyOf(violations), memory, offloaded, step, mfu,
                microBatches, days, gpuHours, runEnergy, run, efficiency);
    }

    // training time = steps × step time, steps = tokens ÷ tokens per step (global batch × sequence length)
    public static double trainingSeconds(long tokens, long tokensPerStep, double stepSeconds) {
        return tokens / (double) tokensPerStep * stepSeconds;
    }

    private static List<String> assumptions(TrainingRun run, TrainingMemory memory, KernelEfficiency efficiency,
            StepTime step, RunEnergy energy) {
        List<String> assumptions = new ArrayList<>(memory.assumptions());
        assumptions.add(StepTimeModel.describe(efficiency) + " "
                + StepTimeModel.attentionCounting(run.options().attention()));
        if (run.options().fp8().any()) {
            assumptions.add(OperatorTime.fp8Gemms(run.options().fp8()));
        }
        if (step.offload() != null) {
            assumptions.add(step.offload().describe());
        }
        if (run.isAdapter()) {
            assumptions.add(run.fineTuning().method() + ": model states of frozen weights and trained adapters, the "
                    + "adapters' r-wide activations, (2·F + S + 3·A) FLOPs per token (no weight gradients for frozen "
                    + "weights) and data-parallel traffic of the adapters only, as POST /api/v1/memory/training, "
                    + "/api/v1/compute and /api/v1/communication compute them.");
        }
        if (energy != null) {
            assumptions.add("gpuHours = GPUs × trainingDays × 24 for requirements.tokens. " + energy.assumption());
        }
        return List.copyOf(assumptions);
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
     * @param offloaded what the most-loaded GPU's rank keeps in host memory or on NVMe (training.offload)
     * @param step step time
     * @param mfu model FLOPs utilisation
     * @param microBatches micro-batches per step and data-parallel rank
     * @param trainingDays days to train on the requirements' token budget (null without one)
     * @param gpuHours GPUs × hours of that training (null without a token budget)
     * @param energy its energy and emissions (null without a token budget)
     * @param run the plan checked
     * @param efficiency the kernel shares its step time used
     */
    public record CheckResult(boolean pass, List<Violation> violations, TrainingMemory memory,
            OffloadedStates offloaded, StepTime step,
            double mfu, long microBatches, Double trainingDays, Double gpuHours, RunEnergy energy, TrainingRun run,
            KernelEfficiency efficiency) {

        /** What the figures assume, in words (built on demand: a check that only needs its numbers skips them). */
        public List<String> assumptions() {
            return CapacityCheck.assumptions(this.run, this.memory, this.efficiency, this.step, this.energy);
        }
    }
}
