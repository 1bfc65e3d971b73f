package dev.llmcalc.core.compute;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;

import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.model.MlaConfig;
import dev.llmcalc.core.model.MlpType;
import dev.llmcalc.core.model.MoeConfig;
import dev.llmcalc.core.run.Recomputation;
import org.junit.jupiter.api.Test;

/**
 * Properties over random shapes. The seed is fixed so runs repeat; override it with
 * {@code -Dproperty.seed=N} (and the case count with {@code -Dproperty.cases=N}). Every failure names it.
 */
class ComputePropertyTests {

    private static final long SEED = Long.getLong("property.seed", 20_261_129L);

    private static final int CASES = Integer.getInteger("property.cases", 500);

    @Test
    void detailedFlopsShouldGrowWithLayersAndSequenceLength() {
        SplittableRandom random = new SplittableRandom(SEED);
        for (int i = 0; i < CASES; i++) {
            Architecture model = randomArchitecture(random);
            int s = random.nextInt(1, 32_769);
            String seen = "seed " + SEED + ", case " + i + ": " + model + ", s = " + s;
            long forward = TrainingFlops.forwardPerToken(model, s, false).total();
            assertThat(TrainingFlops.forwardPerToken(model.withNumLayers(model.numLayers() + 1), s, false).total())
                    .as(seen).isGreaterThan(forward);
            assertThat(TrainingFlops.forwardPerToken(model, s + 1, false).total()).as(seen).isGreaterThan(forward);
        }
    }

    @Test
    void causalShouldHalveOnlyTheAttentionScores() {
        SplittableRandom random = new SplittableRandom(SEED);
        for (int i = 0; i < CASES; i++) {
            Architecture model = randomArchitecture(random);
            int s = random.nextInt(1, 32_769);
            String seen = "seed " + SEED + ", case " + i + ": " + model + ", s = " + s;
            ForwardFlops full = TrainingFlops.forwardPerToken(model, s, false);
            ForwardFlops causal = TrainingFlops.forwardPerToken(model, s, true);
            assertThat(causal.total()).as(seen).isLessThan(full.total());
            assertThat(2 * causal.attentionScores()).as(seen).isEqualTo(full.attentionScores());
            assertThat(causal.total() - causal.attentionScores()).as(seen)
                    .isEqualTo(full.total() - full.attentionScores());
        }
    }

    @Test
    void recomputationShouldOnlyAddWork() {
        SplittableRandom random = new SplittableRandom(SEED);
        for (int i = 0; i < CASES; i++) {
            Architecture model = randomArchitecture(random);
            int s = random.nextInt(1, 32_769);
            long tokens = random.nextLong(1, 1L << 40);
            boolean causal = random.nextBoolean();
            String seen = "seed " + SEED + ", case " + i + ": " + model + ", s = " + s + ", causal = " + causal;
            double none = TrainingCompute.forModel(model, tokens, s, causal, Recomputation.NONE).hardwareTrainingFlops();
            TrainingCompute selective = TrainingCompute.forModel(model, tokens, s, causal, Recomputation.SELECTIVE);
            TrainingCompute full = TrainingCompute.forModel(model, tokens, s, causal, Recomputation.FULL);
            assertThat(selective.trainingFlops()).as(seen).isEqualTo(none);
            assertThat(selective.hardwareTrainingFlops()).as(seen).isGreaterThan(none);
            assertThat(full.hardwareTrainingFlops()).as(seen).isGreaterThan(selective.hardwareTrainingFlops())
                    // the LM head is never recomputed: at most 4/3 of the model FLOPs
                    .isLessThan(none * 4.0 / 3.0);
        }
    }

    @Test
    void computeOptimalSplitShouldHaveTheLowestLossOnItsBudget() {
        SplittableRandom random = new SplittableRandom(SEED);
        ChinchillaFit fit = ChinchillaFit.APPROACH_3;
        for (int i = 0; i < CASES; i++) {
            double budget = Math.pow(10, random.nextDouble(18, 27));
            double parameters = Math.pow(10, random.nextDouble(6, 13));
            double tokens = budget / (6 * parameters);
            if (tokens < 1) {
                continue;
            }
            ScalingLawEstimate optimum = ScalingLawEstimate.forBudget(fit, budget);
            assertThat(fit.loss(parameters, tokens)).as("seed %d, case %d: C = %s, N = %s", SEED, i, budget, parameters)
                    .isGreaterThanOrEqualTo(optimum.loss() - 1e-12);
        }
    }

    /** Dense or MoE, MHA/GQA or MLA, gated or standard MLP, small enough that nothing overflows. */
    private static Architecture randomArchitecture(SplittableRandom random) {
        int kvHeads = 1 << random.nextInt(0, 4);
        int heads = kvHeads * random.nextInt(1, 9);
        int headDim = 8 * random.nextInt(1, 33);
        Architecture.Builder builder = Architecture.builder().vocabSize(random.nextInt(1, 262_145))
                .hiddenSize(heads * headDim).numLayers(random.nextInt(4, 129)).numAttentionHeads(heads)
                .intermediateSize(random.nextInt(1, 65_537))
                .mlp(random.nextBoolean() ? MlpType.GATED : MlpType.STANDARD)
                .tiedEmbeddings(random.nextBoolean());
        if (random.nextInt(4) == 0) {
            builder.mla(new MlaConfig(random.nextInt(0, 1025), random.nextInt(1, 1025), random.nextInt(1, 129),
                    random.nextInt(0, 65), random.nextInt(1, 129)));
        }
        else {
            builder.numKeyValueHeads(kvHeads);
        }
        if (random.nextInt(3) == 0) {
            int experts = random.nextInt(1, 257);
            int shared = random.nextInt(0, 3);
            builder.moe(new MoeConfig(experts, random.nextInt(1, Math.min(experts, 8) + 1), random.nextInt(1, 8193),
                    shared, shared > 0 ? random.nextInt(1, 8193) : 0, random.nextInt(0, 4), false));
        }
        return builder.build();
    }
}
