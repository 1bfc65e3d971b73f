package dev.llmcalc.core.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;

import dev.llmcalc.core.Seeds;
import dev.llmcalc.core.activation.ActivationCalculator;
import dev.llmcalc.core.memory.FrameworkAllowance;
import dev.llmcalc.core.memory.ModelStateBytes;
import dev.llmcalc.core.memory.ModelStateCalculator;
import dev.llmcalc.core.memory.TrainingMemoryCalculator;
import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.model.MlpType;
import dev.llmcalc.core.model.ModelPreset;
import dev.llmcalc.core.model.ModelPresets;
import dev.llmcalc.core.parallel.LocalParameters;
import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.parallel.ParameterPlacement;
import dev.llmcalc.core.run.ActivationOptions;
import dev.llmcalc.core.run.AdapterCount;
import dev.llmcalc.core.run.AdapterCounter;
import dev.llmcalc.core.run.AttentionKernel;
import dev.llmcalc.core.run.BaseWeightFormat;
import dev.llmcalc.core.run.BatchShape;
import dev.llmcalc.core.run.FineTuning;
import dev.llmcalc.core.run.Optimizer;
import dev.llmcalc.core.run.Precision;
import dev.llmcalc.core.run.Quantization;
import dev.llmcalc.core.run.Recomputation;
import dev.llmcalc.core.run.TargetModule;
import dev.llmcalc.core.run.Training;
import dev.llmcalc.core.run.TrainingMethod;
import dev.llmcalc.core.run.ZeroStage;
import org.junit.jupiter.api.Test;

/** Seeded properties of fine-tuning model states over the preset catalog (seed printed on failure). */
class FineTuningPropertyTests {

    /** Precisions and optimizers sized per parameter: what a raw count and LoRA adapters can take (no FP8, Adafactor or Muon). */
    private static final Precision[] PER_PARAMETER_PRECISIONS = java.util.Arrays.stream(Precision.values())
            .filter(precision -> !precision.fp8().any()).toArray(Precision[]::new);

    private static final Optimizer[] PER_PARAMETER_OPTIMIZERS = java.util.Arrays.stream(Optimizer.values())
            .filter(optimizer -> !optimizer.dependsOnShapes()).toArray(Optimizer[]::new);

    private static final List<Architecture> MODELS = ModelPresets.all().stream().map(ModelPreset::architecture).toList();

    /**
     * Ranks up to 256, small enough that the adapters' T parameters stay within Φ/(2(D + 1)). The property needs a
     * bound: with w, g, o the weight, gradient and optimizer bytes per parameter, under ZeRO-2 over D ranks full
     * training keeps wΦ + (g + o)Φ/D and LoRA wΦ + wT + (g + o)T/D, so LoRA ≤ full only while
     * T ≤ (g + o)Φ/(wD + g + o), which is at least Φ/(D + 1) because g + o ≥ w for every precision (ZeRO-0, 1 and 3
     * allow far larger adapters). Real runs train 0.1–1% of Φ; the factor 2 absorbs ZeRO's rounding up.
     */
    private static int rank(SplittableRandom random, Architecture model, EnumSet<TargetModule> targets, long ranks) {
        long total = dev.llmcalc.core.params.ParameterCounter.count(model).totalParameters();
        long perRank = AdapterCounter.count(model, new FineTuning(TrainingMethod.LORA, 1, 1, targets, null))
                .trainableParameters();
        long largest = Math.min(256, total / (2 * (ranks + 1)) / perRank);
        return largest < 1 ? 0 : (int) random.nextLong(1, largest + 1);
    }

    private static EnumSet<TargetModule> targets(SplittableRandom random, Architecture model) {
        EnumSet<TargetModule> targets = EnumSet.noneOf(TargetModule.class);
        for (TargetModule module : TargetModule.values()) {
            boolean allowed = !(module.isAttention() && model.hasMla())
                    && !(module == TargetModule.GATE && model.mlp() != MlpType.GATED);
            if (allowed && random.nextBoolean()) {
                targets.add(module);
            }
        }
        if (targets.isEmpty()) {
            targets.add(TargetModule.UP);
        }
        return targets;
    }

    /** A LoRA or QLoRA run; with {@code rank} null the rank is bounded for {@code ranks} ZeRO ranks (null if none fits). */
    private static FineTuning random(SplittableRandom random, Architecture model, Integer rank, long ranks) {
        EnumSet<TargetModule> targets = targets(random, model);
        int r = rank != null ? rank : rank(random, model, targets, ranks);
        if (r == 0) {
            return null;
        }
        TrainingMethod method = random.nextBoolean() ? TrainingMethod.LORA : TrainingMethod.QLORA;
        Quantization quantization = method == TrainingMethod.QLORA
                ? new Quantization(BaseWeightFormat.values()[random.nextInt(BaseWeightFormat.values().length)],
                        1 << random.nextInt(5, 13), random.nextBoolean())
                : null;
        return new FineTuning(method, r, 16, targets, quantization);
    }

    private static Training training(SplittableRandom random) {
        return new Training(PER_PARAMETER_PRECISIONS[random.nextInt(PER_PARAMETER_PRECISIONS.length)],
                PER_PARAMETER_OPTIMIZERS[random.nextInt(PER_PARAMETER_OPTIMIZERS.length)], ZeroStage.of(random.nextInt(4)));
    }

    @Test
    void adapterStatesShouldNeverExceedFullTrainingOfTheSameModelAndLayout() {
        SplittableRandom random = Seeds.random();
        int checked = 0;
        for (int i = 0; i < Seeds.cases(); i++) {
            Architecture model = MODELS.get(random.nextInt(MODELS.size()));
            Training training = training(random);
            int data = random.nextInt(1, 65);
            int context = random.nextInt(1, 3);
            int expert = 1;
            if (model.isMoe()) {
                // the largest power of two up to 8 that divides both the experts and data × context
                for (int e = 8; e > 1; e /= 2) {
                    if (model.moe().numExperts() % e == 0 && (data * context) % e == 0 && random.nextBoolean()) {
                        expert = e;
                        break;
                    }
                }
            }
            Parallelism layout = new Parallelism(data, 1 << random.nextInt(4),
                    random.nextInt(1, Math.min(model.numLayers(), 8) + 1), expert, context);
            try {
                layout.requireFits(model);
            }
            catch (dev.llmcalc.core.unit.InvalidInputException ex) {
                layout = new Parallelism(layout.data(), 1, layout.pipeline(), layout.expert(), layout.context());
            }
            FineTuning tuning = random(random, model, null, layout.denseShardingDegree());
            if (tuning == null) {
                continue;
            }
            checked++;
            long full = ModelStateCalculator.forModel(model, training, layout).perGpu().totalBytes();
            FineTuningStates states = FineTuningStateCalculator.perGpu(model, training, tuning, layout);
            // QLoRA's dequantization buffer is a per-layer working buffer, never partitioned; full training's
            // counterpart (ZeRO-3's all-gathered layer) is not in its model states either, so under ZeRO-3 over many
            // ranks the buffer alone can exceed 16Φ/D for small models: compare the persistent states
            long adapted = states.totalBytes() - states.dequantizationBufferBytes();
            assertThat(adapted).as("seed %d case %d: %s %s %s", Seeds.seed(), i, tuning, training, layout)
                    .isLessThanOrEqualTo(full);
        }
        assertThat(checked).as("seed %d: cases with an adapter small enough for the bound", Seeds.seed())
                .isGreaterThan(Seeds.cases() / 2);
    }

    @Test
    void statesShouldGrowWithTheRank() {
        SplittableRandom random = Seeds.random();
        for (int i = 0; i < Seeds.cases(); i++) {
            Architecture model = MODELS.get(random.nextInt(MODELS.size()));
            Training training = training(random);
            Parallelism layout = Parallelism.dataParallel(random.nextInt(1, 65));
            FineTuning small = random(random, model, random.nextInt(1, 512), 1);
            FineTuning larger = new FineTuning(small.method(), small.rank() + random.nextInt(1, 512), small.alpha(),
                    small.targetModules(), small.quantization());
            long before = FineTuningStateCalculator.perGpu(model, training, small, layout).totalBytes();
            long after = FineTuningStateCalculator.perGpu(model, training, larger, layout).totalBytes();
            assertThat(after).as("seed %d case %d: %s → rank %d", Seeds.seed(), i, small, larger.rank())
                    .isGreaterThanOrEqualTo(before);
            assertThat(AdapterCounter.count(model, larger).trainableParameters())
                    .isGreaterThan(AdapterCounter.count(model, small).trainableParameters());
        }
    }

    @Test
    void pipelineStagesShouldAddUpToTheWholeModelsAdaptersAndQuantizedMatrices() {
        SplittableRandom random = Seeds.random();
        for (int i = 0; i < Seeds.cases(); i++) {
            Architecture model = MODELS.get(random.nextInt(MODELS.size()));
            FineTuning tuning = random(random, model, random.nextInt(1, 128), 1);
            Parallelism layout = new Parallelism(1, 1, random.nextInt(1, Math.min(model.numLayers(), 16) + 1), 1, 1);
            AdapterCount count = AdapterCounter.count(model, tuning);
            long adapters = AdapterCounter.stages(model, tuning, layout).stream().mapToLong(LocalParameters::total).sum();
            assertThat(adapters).as("seed %d case %d: %s %s", Seeds.seed(), i, tuning, layout)
                    .isEqualTo(count.trainableParameters());
            long matrices = ParameterPlacement.stageLayerMatrices(model, layout).stream()
                    .mapToLong(LocalParameters::total).sum();
            assertThat(matrices).as("seed %d case %d: %s", Seeds.seed(), i, layout)
                    .isEqualTo(AdapterCounter.quantizableWeights(model));
            if (layout.pipeline() == 1) {
                assertThat(FineTuningStateCalculator.perGpu(model, Training.DEFAULT, tuning, layout).local().total())
                        .isEqualTo(count.frozenParameters() + count.trainableParameters());
            }
        }
    }

    @Test
    void trainingMemoryShouldGrowWithTheRankAndKeepTheFrozenModelsActivations() {
        SplittableRandom random = Seeds.random();
        for (int i = 0; i < Seeds.cases() / 5; i++) {
            Architecture model = MODELS.get(random.nextInt(MODELS.size()));
            Training training = training(random);
            Parallelism layout = new Parallelism(random.nextInt(1, 9), 1,
                    random.nextInt(1, Math.min(model.numLayers(), 4) + 1), 1, 1);
            BatchShape batch = new BatchShape(random.nextInt(1, 5), 128L * random.nextInt(1, 33), 0);
            ActivationOptions options = new ActivationOptions(
                    Recomputation.values()[random.nextInt(Recomputation.values().length)], AttentionKernel.FLASH,
                    false, false, false, true, training.precision().activations());
            FineTuning small = random(random, model, random.nextInt(1, 256), 1);
            FineTuning larger = new FineTuning(small.method(), small.rank() + random.nextInt(1, 256), small.alpha(),
                    small.targetModules(), small.quantization());
            long before = total(model, batch, options, layout, training, small);
            long after = total(model, batch, options, layout, training, larger);
            assertThat(after).as("seed %d case %d: %s → rank %d", Seeds.seed(), i, small, larger.rank())
                    .isGreaterThanOrEqualTo(before);
            long plain = ActivationCalculator.estimate(model, batch, options, layout).totalBytes();
            long adapted = ActivationCalculator.estimate(model, batch, options.withAdapters(small.adapterActivations()),
                    layout).totalBytes();
            assertThat(adapted).as("seed %d case %d: activations keep at least the frozen model's", Seeds.seed(), i)
                    .isGreaterThanOrEqualTo(plain);
        }
    }

    private static long total(Architecture model, BatchShape batch, ActivationOptions options, Parallelism layout,
            Training training, FineTuning tuning) {
        List<ModelStateBytes> states = FineTuningStateCalculator.stages(model, training, tuning, layout).stream()
                .map(FineTuningStates::asModelStateBytes).toList();
        return TrainingMemoryCalculator.estimate(model, batch, options.withAdapters(tuning.adapterActivations()),
                layout, FrameworkAllowance.DEFAULT, 0, states).totalBytes();
    }
}
