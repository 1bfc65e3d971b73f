package dev.llmcalc.core.activation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Map;
import java.util.stream.Collectors;

import dev.llmcalc.core.activation.ActivationCalculator;
import dev.llmcalc.core.activation.ActivationEstimate;
import dev.llmcalc.core.activation.ActivationProfile;
import dev.llmcalc.core.activation.LedgerEntry;
import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.model.ModelPresets;
import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.run.ActivationOptions;
import dev.llmcalc.core.run.AdapterActivations;
import dev.llmcalc.core.run.AttentionKernel;
import dev.llmcalc.core.run.BatchShape;
import dev.llmcalc.core.run.FineTuning;
import dev.llmcalc.core.run.Recomputation;
import dev.llmcalc.core.run.TargetModule;
import dev.llmcalc.core.run.TrainingMethod;
import dev.llmcalc.core.unit.DType;
import org.junit.jupiter.api.Test;

/** What LoRA adds to the activation ledger: one r-wide intermediate per adapted matrix a token passes. */
class LoraActivationsTests {

    private static final String INTERMEDIATES = "LoRA intermediates (x·A, r wide)";

    private static Architecture preset(String id) {
        return ModelPresets.find(id).orElseThrow().architecture();
    }

    private static ActivationOptions options(Recomputation mode) {
        return new ActivationOptions(mode, AttentionKernel.FLASH, false, false, false, true, DType.BF16);
    }

    private static FineTuning lora(int rank, TargetModule... targets) {
        return new FineTuning(TrainingMethod.LORA, rank, rank, EnumSet.of(targets[0], targets), null);
    }

    private static Map<String, Long> layer(ActivationEstimate estimate) {
        return (estimate.moeLayer().isEmpty() ? estimate.denseLayer() : estimate.moeLayer()).stream()
                .collect(Collectors.toMap(LedgerEntry::tensor, LedgerEntry::bytes));
    }

    @Test
    void llama2QueryAndValueAdaptersShouldAddTwoRWideIntermediatesPerLayer() {
        // b 1, s 4096, r 8, q and v: 2 × 8 × 4096 tokens × 2 bytes = 131,072 bytes per layer, × 32 = 4,194,304
        Architecture llama = preset("llama-2-7b");
        BatchShape batch = new BatchShape(1, 4096, 0);
        ActivationOptions full = options(Recomputation.NONE);
        FineTuning qv = lora(8, TargetModule.Q, TargetModule.V);
        assertThat(qv.adapterActivations()).isEqualTo(new AdapterActivations(8, 2, 0, false, false));
        ActivationEstimate base = ActivationCalculator.estimate(llama, batch, full, Parallelism.NONE);
        ActivationEstimate adapted = ActivationCalculator.estimate(llama, batch,
                full.withAdapters(qv.adapterActivations()), Parallelism.NONE);
        assertThat(layer(adapted).get(INTERMEDIATES)).isEqualTo(131_072L);
        assertThat(adapted.perLayerBytes() - base.perLayerBytes()).isEqualTo(131_072L);
        assertThat(adapted.totalBytes() - base.totalBytes()).isEqualTo(4_194_304L);
        assertThat(adapted.assumptions()).anySatisfy((line) -> assertThat(line).contains("r-wide intermediate x·A")
                .contains("upper bound"));
        assertThat(base.assumptions()).noneSatisfy((line) -> assertThat(line).contains("LoRA"));
    }

    @Test
    void fullRecomputationShouldKeepLayerInputsOnlyAndRebuildTheAdaptersWithTheLayer() {
        Architecture llama = preset("llama-2-7b");
        BatchShape batch = new BatchShape(2, 2048, 0);
        AdapterActivations all = lora(16, TargetModule.Q, TargetModule.K, TargetModule.V, TargetModule.O,
                TargetModule.GATE, TargetModule.UP, TargetModule.DOWN).adapterActivations();
        ActivationEstimate base = ActivationCalculator.estimate(llama, batch, options(Recomputation.FULL),
                Parallelism.NONE);
        ActivationEstimate adapted = ActivationCalculator.estimate(llama, batch,
                options(Recomputation.FULL).withAdapters(all), Parallelism.NONE);
        assertThat(adapted.totalBytes()).isEqualTo(base.totalBytes());
        // the rebuilt layer holds 7 intermediates: 7 × 16 × 4096 tokens × 2 bytes = 917,504 more (the logits, not
        // the rebuilt layer, are this run's largest transient)
        ActivationProfile before = ActivationCalculator.profile(llama, batch, options(Recomputation.FULL),
                Parallelism.NONE);
        ActivationProfile after = ActivationCalculator.profile(llama, batch,
                options(Recomputation.FULL).withAdapters(all), Parallelism.NONE);
        assertThat(after.rebuiltDenseBytes() - before.rebuiltDenseBytes()).isEqualTo(917_504L);
        assertThat(after.denseLayerBytes()).isEqualTo(before.denseLayerBytes());
    }

    @Test
    void expertAdaptersShouldCountEveryExpertPassOfAToken() {
        // Mixtral: k = 2 routed experts, no shared expert; gate, up, down at r 16: 3 × 16 × (4096 × 2) × 2 = 786,432
        Architecture mixtral = preset("mixtral-8x7b");
        BatchShape batch = new BatchShape(1, 4096, 0);
        ActivationEstimate adapted = ActivationCalculator.estimate(mixtral, batch, options(Recomputation.NONE)
                .withAdapters(lora(16, TargetModule.GATE, TargetModule.UP, TargetModule.DOWN).adapterActivations()),
                Parallelism.NONE);
        assertThat(layer(adapted).get(INTERMEDIATES)).isEqualTo(786_432L);
    }

    @Test
    void embeddingAndLmHeadAdaptersShouldLiveOnTheFirstAndLastStage() {
        // r 8 over 4096 tokens at 2 bytes: 65,536 bytes each, outside the layers
        Architecture llama = preset("llama-2-7b");
        BatchShape batch = new BatchShape(1, 4096, 0);
        ActivationEstimate adapted = ActivationCalculator.estimate(llama, batch, options(Recomputation.NONE)
                .withAdapters(lora(8, TargetModule.EMBEDDING, TargetModule.LM_HEAD).adapterActivations()),
                new Parallelism(1, 1, 2, 1, 1));
        assertThat(adapted.firstStage()).contains(new LedgerEntry(INTERMEDIATES, 65_536L));
        assertThat(adapted.lastStage()).contains(new LedgerEntry(INTERMEDIATES, 65_536L));
        assertThat(layer(adapted)).doesNotContainKey(INTERMEDIATES);
    }
}
