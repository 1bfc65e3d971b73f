package dev.llmcalc.core.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;

import dev.llmcalc.core.RandomArchitectures;
import dev.llmcalc.core.Seeds;
import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.parallel.LocalParameters;
import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.parallel.ParameterPlacement;
import dev.llmcalc.core.params.ParameterCounter;
import dev.llmcalc.core.run.Optimizer;
import dev.llmcalc.core.run.Precision;
import dev.llmcalc.core.run.Training;
import dev.llmcalc.core.run.ZeroStage;
import org.junit.jupiter.api.Test;

/** Seeded properties of model-state memory (seed printed on failure; -Dproperty.seed overrides it). */
class ModelStatePropertyTests {

    /** Precisions and optimizers sized per parameter: what a raw count and LoRA adapters can take (no FP8, Adafactor or Muon). */
    private static final Precision[] PER_PARAMETER_PRECISIONS = java.util.Arrays.stream(Precision.values())
            .filter(precision -> !precision.fp8().any()).toArray(Precision[]::new);

    private static final Optimizer[] PER_PARAMETER_OPTIMIZERS = java.util.Arrays.stream(Optimizer.values())
            .filter(optimizer -> !optimizer.dependsOnShapes()).toArray(Optimizer[]::new);

    private static Training randomTraining(SplittableRandom random, ZeroStage stage) {
        return new Training(PER_PARAMETER_PRECISIONS[random.nextInt(PER_PARAMETER_PRECISIONS.length)],
                PER_PARAMETER_OPTIMIZERS[random.nextInt(PER_PARAMETER_OPTIMIZERS.length)], stage);
    }

    @Test
    void perGpuBytesShouldNeverGrowWithTheZeroStage() {
        SplittableRandom random = Seeds.random();
        for (int i = 0; i < Seeds.cases(); i++) {
            Architecture model = RandomArchitectures.any(random);
            Parallelism par = new Parallelism(random.nextInt(1, 300), 1, 1, 1, random.nextInt(1, 4));
            Training base = randomTraining(random, ZeroStage.ZERO_0);
            long previous = Long.MAX_VALUE;
            for (ZeroStage stage : ZeroStage.values()) {
                long bytes = ModelStateCalculator.forModel(model, new Training(base.precision(), base.optimizer(), stage),
                        par).perGpu().totalBytes();
                assertThat(bytes).as("seed %d case %d stage %s: %s", Seeds.seed(), i, stage, model)
                        .isLessThanOrEqualTo(previous);
                previous = bytes;
            }
        }
    }

    @Test
    void perGpuBytesShouldNeverGrowWithTheDataParallelDegree() {
        SplittableRandom random = Seeds.random();
        for (int i = 0; i < Seeds.cases(); i++) {
            long parameters = random.nextLong(1, 2_000_000_000_000L);
            Training training = randomTraining(random, ZeroStage.of(random.nextInt(4)));
            int data = random.nextInt(1, 5000);
            long fewer = ModelStateCalculator.forParameterCount(parameters, training, Parallelism.dataParallel(data))
                    .perGpu().totalBytes();
            long more = ModelStateCalculator.forParameterCount(parameters, training,
                    Parallelism.dataParallel(data + random.nextInt(1, 100))).perGpu().totalBytes();
            assertThat(more).as("seed %d case %d: Φ=%d %s d=%d", Seeds.seed(), i, parameters, training, data)
                    .isLessThanOrEqualTo(fewer);
        }
    }

    @Test
    void pipelineStagesShouldHoldEveryParameterOnce() {
        // without tensor or expert parallelism the stages partition the model; a tied embedding is held twice
        SplittableRandom random = Seeds.random();
        for (int i = 0; i < Seeds.cases(); i++) {
            Architecture model = RandomArchitectures.any(random);
            int p = random.nextInt(1, model.numLayers() + 1);
            List<LocalParameters> stages = ParameterPlacement.stages(model, new Parallelism(1, 1, p, 1, 1));
            long held = stages.stream().mapToLong(LocalParameters::total).sum();
            long duplicate = model.tiedEmbeddings() && p > 1 ? ParameterCounter.embedding(model) : 0;
            assertThat(held).as("seed %d case %d p=%d: %s", Seeds.seed(), i, p, model)
                    .isEqualTo(ParameterCounter.count(model).totalParameters() + duplicate);
            assertThat(stages.stream().mapToInt(LocalParameters::layers).sum()).isEqualTo(model.numLayers());
        }
    }
}
