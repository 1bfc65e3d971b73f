package dev.llmcalc.core.compute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.util.EnumSet;

import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.model.ModelPresets;
import dev.llmcalc.core.run.FineTuning;
import dev.llmcalc.core.run.Recomputation;
import dev.llmcalc.core.run.TargetModule;
import dev.llmcalc.core.run.TrainingMethod;
import dev.llmcalc.core.unit.InvalidInputException;
import org.junit.jupiter.api.Test;

/** LoRA training FLOPs: no weight gradients for frozen weights. */
class LoraFlopsTests {

    private static Architecture preset(String id) {
        return ModelPresets.find(id).orElseThrow().architecture();
    }

    private static FineTuning lora(int rank, TargetModule... targets) {
        return new FineTuning(TrainingMethod.LORA, rank, rank, EnumSet.of(targets[0], targets), null);
    }

    @Test
    void llama2QueryAndValueAdaptersShouldCostTwiceTheirParametersPerTokenForward() {
        // 4,194,304 adapter parameters (32 × 2 × 8 × (4096 + 4096)), all passed by every token: A = 8,388,608
        AdapterFlops adapters = AdapterFlops.forwardPerToken(preset("llama-2-7b"), lora(8, TargetModule.Q,
                TargetModule.V));
        assertThat(adapters).isEqualTo(new AdapterFlops(8_388_608L, 0));
    }

    @Test
    void loraTrainingShouldBeTwoForwardsPlusScoresPlusThreeAdapterForwards() {
        Architecture llama = preset("llama-2-7b");
        TrainingCompute full = TrainingCompute.forModel(llama, 1_000_000, 4096, false, Recomputation.NONE);
        TrainingCompute lora = TrainingCompute.forFineTuning(llama, 1_000_000, 4096, false, Recomputation.NONE,
                lora(8, TargetModule.Q, TargetModule.V));
        ForwardFlops f = full.forwardPerToken();
        // F by hand: projections 2 × 4 × 4096² × 32, MLP 2 × 3 × 4096 × 11,008 × 32, head 2 × 4096 × 32,000,
        // scores 2 × 4096 × 32 × 256 × 32 (non-causal)
        assertThat(f.attentionProjections()).isEqualTo(4_294_967_296L);
        assertThat(f.mlp()).isEqualTo(8_657_043_456L);
        assertThat(f.lmHead()).isEqualTo(262_144_000L);
        assertThat(f.attentionScores()).isEqualTo(2_147_483_648L);
        long forward = 4_294_967_296L + 8_657_043_456L + 262_144_000L + 2_147_483_648L;
        double expected = 2.0 * forward + 2_147_483_648L + 3.0 * 8_388_608L;
        assertThat(lora.flopsPerToken()).isEqualTo(expected);
        assertThat(lora.backwardFlopsPerToken()).isEqualTo((double) forward + 2_147_483_648L + 2.0 * 8_388_608L);
        assertThat(lora.fullTrainingFlopsPerToken()).isEqualTo(full.flopsPerToken()).isEqualTo(3.0 * forward);
        assertThat(lora.trainingFlops()).isEqualTo(expected * 1_000_000);
        // "about 2/3 of full training": 0.71 here, the attention scores keeping their full backward
        assertThat(lora.flopsPerToken() / full.flopsPerToken()).isBetween(0.70, 0.72);
        assertThat(lora.documentFormula().note()).contains("2/3");
    }

    @Test
    void fullRecomputationShouldRerunTheAdaptersInsideTheLayers() {
        Architecture llama = preset("llama-2-7b");
        FineTuning adapters = lora(8, TargetModule.Q, TargetModule.V, TargetModule.LM_HEAD);
        TrainingCompute none = TrainingCompute.forFineTuning(llama, 1000, 4096, false, Recomputation.NONE, adapters);
        TrainingCompute full = TrainingCompute.forFineTuning(llama, 1000, 4096, false, Recomputation.FULL, adapters);
        // lm_head adapter: 2 × 8 × (4096 + 32,000) = 577,536 per token, outside the layers: not recomputed
        assertThat(none.adapters()).isEqualTo(new AdapterFlops(8_388_608L, 577_536L));
        assertThat(full.hardwareTrainingFlops() - none.hardwareTrainingFlops())
                .isEqualTo((double) (none.forwardPerToken().layers() + 8_388_608L) * 1000);
    }

    @Test
    void fullMethodShouldLeaveFullTrainingUnchangedAndUnsupportedTargetsShouldBeRefused() {
        Architecture llama = preset("llama-2-7b");
        assertThat(TrainingCompute.forFineTuning(llama, 1000, 2048, true, Recomputation.NONE, FineTuning.FULL))
                .isEqualTo(TrainingCompute.forModel(llama, 1000, 2048, true, Recomputation.NONE));
        assertThatExceptionOfType(InvalidInputException.class).isThrownBy(() -> TrainingCompute.forFineTuning(
                preset("deepseek-v3"), 1000, 2048, true, Recomputation.NONE, lora(8, TargetModule.Q)))
                .satisfies((ex) -> assertThat(ex.field()).isEqualTo("lora.targetModules"));
    }
}
