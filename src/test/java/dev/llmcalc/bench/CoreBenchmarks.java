package dev.llmcalc.bench;

import java.util.concurrent.TimeUnit;

import dev.llmcalc.core.activation.ActivationCalculator;
import dev.llmcalc.core.activation.ActivationEstimate;
import dev.llmcalc.core.compute.TrainingCompute;
import dev.llmcalc.core.memory.FrameworkAllowance;
import dev.llmcalc.core.memory.ModelStateCalculator;
import dev.llmcalc.core.memory.ModelStates;
import dev.llmcalc.core.memory.TrainingMemory;
import dev.llmcalc.core.memory.TrainingMemoryCalculator;
import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.model.ModelPresets;
import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.params.ParameterCount;
import dev.llmcalc.core.params.ParameterCounter;
import dev.llmcalc.core.run.ActivationOptions;
import dev.llmcalc.core.run.AttentionKernel;
import dev.llmcalc.core.run.BatchShape;
import dev.llmcalc.core.run.Optimizer;
import dev.llmcalc.core.run.Precision;
import dev.llmcalc.core.run.Recomputation;
import dev.llmcalc.core.run.Training;
import dev.llmcalc.core.run.ZeroStage;
import dev.llmcalc.core.unit.DType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Per-operation cost of each core calculator (ns/op). Run with {@code bench/jmh.sh}; not part of the tests.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CoreBenchmarks {

    private final Architecture llama = ModelPresets.find("llama-2-7b").orElseThrow().architecture();

    private final Architecture mixtral = ModelPresets.find("mixtral-8x7b").orElseThrow().architecture();

    private final Training training = new Training(Precision.MIXED_BF16, Optimizer.ADAMW, ZeroStage.ZERO_1);

    private final Parallelism parallelism = new Parallelism(8, 2, 4, 1, 1);

    private final BatchShape batch = new BatchShape(1, 4096, 1024);

    private final ActivationOptions options = new ActivationOptions(Recomputation.SELECTIVE, AttentionKernel.FLASH,
            true, false, false, true, DType.BF16);

    @Benchmark
    public ParameterCount parameters() {
        return ParameterCounter.count(this.mixtral);
    }

    @Benchmark
    public ModelStates modelStates() {
        return ModelStateCalculator.forModel(this.llama, this.training, this.parallelism);
    }

    @Benchmark
    public ActivationEstimate activations() {
        return ActivationCalculator.estimate(this.llama, this.batch, this.options, this.parallelism);
    }

    @Benchmark
    public TrainingMemory trainingMemory() {
        return TrainingMemoryCalculator.estimate(this.llama, this.batch, this.training, this.options,
                this.parallelism, FrameworkAllowance.DEFAULT, 0);
    }

    @Benchmark
    public TrainingMemory trainingMemoryWithFitSearch() {
        return TrainingMemoryCalculator.estimate(this.llama, this.batch, this.training, this.options,
                this.parallelism, FrameworkAllowance.DEFAULT, 85_899_345_920L);
    }

    private final dev.llmcalc.core.run.TrainingRun run = dev.llmcalc.core.run.TrainingRun.full(this.llama, this.batch,
            this.training, this.options, this.parallelism);

    private final dev.llmcalc.core.hardware.Cluster cluster = new dev.llmcalc.core.hardware.Cluster(
            dev.llmcalc.core.hardware.GpuPresets.find("h100-sxm-80gb").orElseThrow(), 64, 8);

    /** One /checks estimate in the core: memory, operator-level step time, communication, MFU. */
    @Benchmark
    public dev.llmcalc.core.plan.CapacityCheck.CheckResult capacityCheck() {
        return dev.llmcalc.core.plan.CapacityCheck.check(this.run, this.cluster, FrameworkAllowance.DEFAULT,
                dev.llmcalc.core.hardware.KernelEfficiency.HOPPER, dev.llmcalc.core.plan.Requirements.NONE);
    }

    private final dev.llmcalc.core.plan.PlanSearch search8 = PlanSearches.of("llama-2-7b", 8, 4096, 1024);

    private final dev.llmcalc.core.plan.PlanSearch search4096 = PlanSearches.of("llama-3.1-70b", 4096, 8192, 2048);

    @Benchmark
    public dev.llmcalc.core.plan.PlanResult planSearch8Gpus() {
        return dev.llmcalc.core.plan.Planner.search(this.search8);
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 5)
    @Measurement(iterations = 10)
    public dev.llmcalc.core.plan.PlanResult planSearch4096Gpus() {
        return dev.llmcalc.core.plan.Planner.search(this.search4096);
    }

    @Benchmark
    public double compute() {
        return TrainingCompute.forModel(this.mixtral, 1_000_000_000_000L, 4096, false, Recomputation.NONE)
                .hardwareTrainingFlops();
    }
}
