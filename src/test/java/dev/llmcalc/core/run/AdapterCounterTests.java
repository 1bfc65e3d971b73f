package dev.llmcalc.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.util.EnumSet;
import java.util.Set;

import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.model.ModelPresets;
import dev.llmcalc.core.unit.InvalidInputException;
import org.junit.jupiter.api.Test;

class AdapterCounterTests {

    private static Architecture preset(String id) {
        return ModelPresets.find(id).orElseThrow().architecture();
    }

    private static FineTuning lora(int rank, TargetModule... modules) {
        return new FineTuning(TrainingMethod.LORA, rank, 16, EnumSet.of(modules[0], modules), null);
    }

    @Test
    void llama2When8OnQueryAndValueShouldTrain4194304() {
        // issue 9: 32 layers × 2 matrices × 8 × (4096 + 4096) = 4,194,304 (PEFT prints the same)
        AdapterCount count = AdapterCounter.count(preset("llama-2-7b"), lora(8, TargetModule.Q, TargetModule.V));
        assertThat(count.trainableParameters()).isEqualTo(4_194_304L);
        assertThat(count.frozenParameters()).isEqualTo(6_738_415_616L);
        assertThat(count.byModule()).containsEntry(TargetModule.Q, 2_097_152L).containsEntry(TargetModule.V, 2_097_152L);
        assertThat(count.trainableRatio()).isCloseTo(4_194_304.0 / (6_738_415_616L + 4_194_304L),
                org.assertj.core.data.Offset.offset(1e-15));
    }

    @Test
    void llama2When16OnAllSevenProjectionsShouldTrainByHand() {
        // per layer, r = 16:
        //   q, k, v, o: 4 × 16 × (4096 + 4096)        = 524,288 (Llama-2-7B is MHA: g·d = 4096)
        //   gate, up:   2 × 16 × (4096 + 11008)       = 483,328
        //   down:       1 × 16 × (11008 + 4096)       = 241,664
        //   layer                                     = 1,249,280;  × 32 layers = 39,976,960
        AdapterCount count = AdapterCounter.count(preset("llama-2-7b"), lora(16, TargetModule.Q, TargetModule.K,
                TargetModule.V, TargetModule.O, TargetModule.GATE, TargetModule.UP, TargetModule.DOWN));
        assertThat(count.trainableParameters()).isEqualTo(39_976_960L);
        assertThat(count.byModule().get(TargetModule.DOWN)).isEqualTo(32L * 241_664);
    }

    @Test
    void llama3WhenGroupedQueryAttentionShouldUseKeyValueWidthForKAndV() {
        // Llama-3-8B: a = 32, g = 8, d = 128, so k and v map 4096 → 1024
        // q, o: 8 × (4096 + 4096) = 65,536; k, v: 8 × (4096 + 1024) = 40,960; layer 212,992 × 32 = 6,815,744
        Architecture model = preset("llama-3-8b");
        AdapterCount count = AdapterCounter.count(model, new FineTuning(TrainingMethod.LORA, 8, 16,
                FineTuning.DEFAULT_TARGETS, null));
        assertThat(count.byModule()).containsEntry(TargetModule.K, 32L * 40_960).containsEntry(TargetModule.Q, 32L * 65_536);
        assertThat(count.trainableParameters()).isEqualTo(6_815_744L);
        // q and v only: 32 × (65,536 + 40,960) = 3,407,872, PEFT's widely quoted count for Llama-3-8B r = 8
        assertThat(AdapterCounter.count(model, lora(8, TargetModule.Q, TargetModule.V)).trainableParameters())
                .isEqualTo(3_407_872L);
    }

    @Test
    void mixtralWhenExpertsTargetedShouldAdaptEveryExpert() {
        // Mixtral-8x7B: 32 layers × 8 experts × r·(4096 + 14336); r = 4 → 32 × 8 × 73,728 = 18,874,368
        AdapterCount count = AdapterCounter.count(preset("mixtral-8x7b"), lora(4, TargetModule.UP));
        assertThat(count.trainableParameters()).isEqualTo(18_874_368L);
    }

    @Test
    void embeddingAndLmHeadShouldCountVocabularyPlusHidden() {
        // Llama-2-7B, r = 4: 4 × (32000 + 4096) = 144,384 each
        AdapterCount count = AdapterCounter.count(preset("llama-2-7b"),
                lora(4, TargetModule.EMBEDDING, TargetModule.LM_HEAD));
        assertThat(count.trainableParameters()).isEqualTo(2L * 144_384);
    }

    @Test
    void qloraShouldQuantizeOnlyTheLayersLinearMatrices() {
        // Llama-2-7B: 32 × (4·4096² + 3·4096·11008) = 6,476,005,376; embedding, LM head and norms stay 16-bit
        AdapterCount count = AdapterCounter.count(preset("llama-2-7b"),
                new FineTuning(TrainingMethod.QLORA, 8, 16, Set.of(TargetModule.Q), Quantization.DEFAULT));
        assertThat(count.quantizedParameters()).isEqualTo(6_476_005_376L);
        // largest matrix in a layer: 4096 × 11008
        assertThat(count.largestLayerMatrix()).isEqualTo(45_088_768L);
    }

    @Test
    void fullShouldTrainEverything() {
        AdapterCount count = AdapterCounter.count(preset("llama-2-7b"), FineTuning.FULL);
        assertThat(count.trainableParameters()).isEqualTo(6_738_415_616L);
        assertThat(count.frozenParameters()).isZero();
    }

    @Test
    void gateWhenStandardMlpShouldBeRejected() {
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> AdapterCounter.count(preset("gpt2"), lora(8, TargetModule.GATE)))
                .satisfies((ex) -> assertThat(ex.field()).isEqualTo("lora.targetModules"));
    }

    @Test
    void attentionWhenMlaShouldBeRejected() {
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> AdapterCounter.count(preset("deepseek-v3"), lora(8, TargetModule.Q)))
                .satisfies((ex) -> assertThat(ex.field()).isEqualTo("lora.targetModules"));
    }
}
