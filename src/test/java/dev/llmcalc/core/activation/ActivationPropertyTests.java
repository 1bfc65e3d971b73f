package dev.llmcalc.core.activation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import dev.llmcalc.core.RandomArchitectures;
import dev.llmcalc.core.Seeds;
import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.run.ActivationOptions;
import dev.llmcalc.core.run.AttentionKernel;
import dev.llmcalc.core.run.BatchShape;
import dev.llmcalc.core.run.Recomputation;
import dev.llmcalc.core.unit.DType;
import org.junit.jupiter.api.Test;

/** Seeded properties of activation memory (seed printed on failure; -Dproperty.seed overrides it). */
class ActivationPropertyTests {

    private static ActivationOptions options(SplittableRandom random, Recomputation mode, AttentionKernel kernel) {
        return new ActivationOptions(mode, kernel, random.nextBoolean(), random.nextBoolean(), random.nextBoolean(),
                random.nextBoolean(), random.nextBoolean() ? DType.BF16 : DType.FP32);
    }

    private static long kept(Architecture m, BatchShape batch, ActivationOptions o, Parallelism par) {
        return ActivationCalculator.estimate(m, batch, o, par).totalBytes();
    }

    private static List<Integer> tensorDegrees(Architecture m) {
        List<Integer> degrees = new ArrayList<>();
        for (int t = 1; t <= Math.min(8, m.numKeyValueHeads()); t++) {
            if (m.numKeyValueHeads() % t == 0 && m.numAttentionHeads() % t == 0) {
                degrees.add(t);
            }
        }
        return degrees;
    }

    @Test
    void memoryShouldNeverRiseAsTensorParallelismGrows() {
        SplittableRandom random = Seeds.random();
        for (int i = 0; i < Seeds.cases(); i++) {
            Architecture m = RandomArchitectures.any(random);
            ActivationOptions o = options(random, Recomputation.values()[random.nextInt(3)],
                    AttentionKernel.values()[random.nextInt(2)]);
            // 840 is divisible by every tensor degree up to 8, as sequence parallelism needs
            BatchShape batch = new BatchShape(random.nextInt(1, 5), 840L * random.nextInt(1, 5), 0);
            long previous = Long.MAX_VALUE;
            for (int t : tensorDegrees(m)) {
                long bytes = kept(m, batch, o, new Parallelism(1, t, 1, 1, 1));
                assertThat(bytes).as("seed %d case %d t=%d: %s %s", Seeds.seed(), i, t, m, o).isLessThanOrEqualTo(previous);
                previous = bytes;
            }
        }
    }

    @Test
    void recomputationAndFlashShouldNeverKeepMore() {
        SplittableRandom random = Seeds.random();
        for (int i = 0; i < Seeds.cases(); i++) {
            Architecture m = RandomArchitectures.any(random);
            BatchShape batch = new BatchShape(random.nextInt(1, 5), random.nextInt(1, 3000), 0);
            ActivationOptions base = options(random, Recomputation.NONE, AttentionKernel.EAGER);
            Parallelism par = Parallelism.NONE;
            long none = kept(m, batch, base, par);
            long selective = kept(m, batch, base.withRecomputation(Recomputation.SELECTIVE), par);
            long full = kept(m, batch, base.withRecomputation(Recomputation.FULL), par);
            ActivationOptions flash = new ActivationOptions(Recomputation.NONE, AttentionKernel.FLASH,
                    base.sequenceParallel(), base.dropout(), base.residualDropout(), base.lossInFp32(),
                    base.activationType());
            String context = "seed " + Seeds.seed() + " case " + i + ": " + m + " " + base;
            assertThat(selective).as(context).isLessThanOrEqualTo(none);
            assertThat(full).as(context).isLessThanOrEqualTo(selective);
            assertThat(kept(m, batch, flash, par)).as(context).isLessThanOrEqualTo(none);
        }
    }

    @Test
    void memoryShouldBeLinearInTheMicroBatch() {
        SplittableRandom random = Seeds.random();
        for (int i = 0; i < Seeds.cases(); i++) {
            Architecture m = RandomArchitectures.any(random);
            ActivationOptions o = options(random, Recomputation.values()[random.nextInt(3)],
                    AttentionKernel.values()[random.nextInt(2)]);
            BatchShape one = new BatchShape(1, random.nextInt(1, 4000), 0);
            int k = random.nextInt(2, 9);
            ActivationEstimate single = ActivationCalculator.estimate(m, one, o, Parallelism.NONE);
            ActivationEstimate many = ActivationCalculator.estimate(m, one.withMicroBatchSize(k), o, Parallelism.NONE);
            String context = "seed " + Seeds.seed() + " case " + i + " k=" + k + ": " + m + " " + o;
            assertThat(many.totalBytes()).as(context).isEqualTo(k * single.totalBytes());
            assertThat(many.peakBytes()).as(context).isEqualTo(k * single.peakBytes());
        }
    }

    @Test
    void mostLoadedStageShouldNeverBeBelowAnyOther() {
        SplittableRandom random = Seeds.random();
        for (int i = 0; i < Seeds.cases(); i++) {
            Architecture m = RandomArchitectures.any(random);
            int p = random.nextInt(1, Math.min(m.numLayers(), 16) + 1);
            ActivationOptions o = options(random, Recomputation.values()[random.nextInt(3)],
                    AttentionKernel.values()[random.nextInt(2)]);
            int v = p > 1 && m.numLayers() % (2 * p) == 0 && random.nextBoolean() ? 2 : 1;
            ActivationEstimate estimate = ActivationCalculator.estimate(m, new BatchShape(1, random.nextInt(1, 2048), 0),
                    o, new Parallelism(1, 1, p, 1, 1, v));
            assertThat(estimate.breakdown().stream().mapToLong(LedgerEntry::bytes).sum())
                    .as("seed %d case %d: breakdown sums to the kept bytes", Seeds.seed(), i)
                    .isEqualTo(estimate.totalBytes());
            for (StageActivations stage : estimate.stages()) {
                assertThat(estimate.peakBytes()).as("seed %d case %d p=%d stage %d", Seeds.seed(), i, p,
                        stage.pipelineStage()).isGreaterThanOrEqualTo(stage.peakBytes());
            }
        }
    }
}
