package dev.llmcalc.core.params;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import dev.llmcalc.core.RandomArchitectures;
import dev.llmcalc.core.Seeds;
import dev.llmcalc.core.model.Architecture;

/** Seeded properties of the parameter count (seed printed on failure; -Dproperty.seed overrides it). */
class ParameterCounterPropertyTests {

    @Test
    void documentFormulaShouldEqualDetailedCountForEveryLlamaShapedModel() {
        SplittableRandom random = Seeds.random();
        for (int i = 0; i < Seeds.cases(); i++) {
            Architecture model = RandomArchitectures.llamaShaped(random);
            ParameterCount count = ParameterCounter.count(model);
            assertThat(count.documentFormula().exact()).as("seed %d case %d: %s", Seeds.seed(), i, model).isTrue();
            assertThat(count.documentFormula().value()).as("seed %d case %d", Seeds.seed(), i)
                    .isEqualTo((double) count.totalParameters());
        }
    }

    @Test
    void parametersShouldGrowWithLayers() {
        SplittableRandom random = Seeds.random();
        for (int i = 0; i < Seeds.cases(); i++) {
            Architecture model = RandomArchitectures.any(random);
            long fewer = ParameterCounter.count(model).totalParameters();
            long more = ParameterCounter.count(model.withNumLayers(model.numLayers() + 1)).totalParameters();
            assertThat(more).as("seed %d case %d: %s", Seeds.seed(), i, model).isGreaterThan(fewer);
        }
    }

    @Test
    void activeAndNonEmbeddingShouldNeverExceedTotal() {
        SplittableRandom random = Seeds.random();
        for (int i = 0; i < Seeds.cases(); i++) {
            Architecture model = RandomArchitectures.any(random);
            ParameterCount count = ParameterCounter.count(model);
            assertThat(count.activeParametersPerToken()).as("seed %d case %d", Seeds.seed(), i)
                    .isPositive().isLessThanOrEqualTo(count.totalParameters());
            assertThat(count.nonEmbeddingParameters()).as("seed %d case %d", Seeds.seed(), i)
                    .isPositive().isLessThan(count.totalParameters());
            if (!model.isMoe()) {
                assertThat(count.activeParametersPerToken()).isEqualTo(count.totalParameters());
            }
        }
    }
}
