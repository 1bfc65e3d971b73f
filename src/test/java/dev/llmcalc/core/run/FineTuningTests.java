package dev.llmcalc.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.util.Set;

import dev.llmcalc.core.unit.InvalidInputException;
import org.junit.jupiter.api.Test;

class FineTuningTests {

    @Test
    void rankWhenZeroShouldBeRejected() {
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> new FineTuning(TrainingMethod.LORA, 0, 16, Set.of(TargetModule.Q), null))
                .satisfies((ex) -> assertThat(ex.field()).isEqualTo("lora.rank"));
    }

    @Test
    void quantizationWhenLoraShouldBeRejected() {
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> new FineTuning(TrainingMethod.LORA, 8, 16, Set.of(TargetModule.Q), Quantization.DEFAULT))
                .satisfies((ex) -> assertThat(ex.field()).isEqualTo("lora.quantization"));
    }

    @Test
    void targetsWhenEmptyShouldBeRejected() {
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> new FineTuning(TrainingMethod.QLORA, 8, 16, Set.of(), Quantization.DEFAULT))
                .satisfies((ex) -> assertThat(ex.field()).isEqualTo("lora.targetModules"));
    }

    @Test
    void targetsShouldKeepTheModuleOrderAndScaleByAlphaOverRank() {
        FineTuning tuning = new FineTuning(TrainingMethod.LORA, 8, 16,
                Set.of(TargetModule.DOWN, TargetModule.Q, TargetModule.V), null);
        assertThat(tuning.targetModules()).containsExactly(TargetModule.Q, TargetModule.V, TargetModule.DOWN);
        assertThat(tuning.scaling()).isEqualTo(2.0);
    }
}
