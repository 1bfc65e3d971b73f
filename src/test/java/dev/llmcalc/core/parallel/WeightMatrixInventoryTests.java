package dev.llmcalc.core.parallel;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.llmcalc.core.model.ModelPreset;
import dev.llmcalc.core.model.ModelPresets;

/** The matrices a stage lists are its parameters but for vectors (norms, biases, sinks). */
class WeightMatrixInventoryTests {

    @Test
    void llama2MatricesShouldLeaveExactlyTheNormsOver() {
        LocalParameters whole = ParameterPlacement.stages(ModelPresets.find("llama-2-7b").orElseThrow().architecture(),
                Parallelism.NONE).get(0);
        long matrices = whole.matrices().stream().mapToLong(WeightMatrix::elements).sum();
        // Φ − (2 RMSNorms · 32 layers · 4,096 + final norm 4,096) = 6,738,415,616 − 266,240
        assertThat(matrices).isEqualTo(6_738_415_616L - 266_240L);
    }

    @Test
    void everyPresetShouldListMatricesThatFitItsCountAndLeaveOnlyVectors() {
        for (ModelPreset preset : ModelPresets.all()) {
            for (LocalParameters stage : ParameterPlacement.stages(preset.architecture(), Parallelism.NONE)) {
                long dense = stage.matrices().stream().filter(m -> !m.expert()).mapToLong(WeightMatrix::elements).sum();
                long expert = stage.matrices().stream().filter(WeightMatrix::expert).mapToLong(WeightMatrix::elements)
                        .sum();
                // vectors are well under 1 % of any real model's parameters
                assertThat(dense).as(preset.id()).isLessThanOrEqualTo(stage.dense())
                        .isGreaterThan(stage.dense() - stage.dense() / 100);
                assertThat(expert).as(preset.id()).isLessThanOrEqualTo(stage.expert())
                        .isGreaterThanOrEqualTo(stage.expert() - stage.expert() / 100);
            }
        }
    }
}
