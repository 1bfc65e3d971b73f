package dev.llmcalc.core.activation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.model.ModelPresets;
import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.run.ActivationOptions;
import dev.llmcalc.core.run.AdapterActivations;
import dev.llmcalc.core.run.AttentionKernel;
import dev.llmcalc.core.run.BatchShape;
import dev.llmcalc.core.run.RecomputeModule;
import dev.llmcalc.core.run.Recomputation;
import dev.llmcalc.core.unit.DType;
import dev.llmcalc.core.unit.InvalidInputException;

/** Megatron-Core's recompute_modules (issue 16 item 5): each drops exactly the tensors its module keeps. */
class RecomputeModulesTests {

    private static ActivationOptions selective(RecomputeModule... modules) {
        return new ActivationOptions(Recomputation.SELECTIVE, AttentionKernel.FLASH, false, false, false, true,
                DType.BF16, AdapterActivations.NONE,
                modules.length == 0 ? Set.of() : EnumSet.of(modules[0], modules));
    }

    private static Map<String, Long> byTensor(List<LedgerEntry> entries) {
        return entries.stream().collect(Collectors.toMap(LedgerEntry::tensor, LedgerEntry::bytes, Long::sum));
    }

    @Test
    void coreAttnAloneShouldBeTodaysSelectiveRecomputationExactly() {
        Architecture llama = ModelPresets.find("llama-2-7b").orElseThrow().architecture();
        BatchShape batch = new BatchShape(1, 4096, 0);
        ActivationEstimate selective = ActivationCalculator.estimate(llama, batch, selective(), Parallelism.NONE);
        ActivationEstimate coreAttn = ActivationCalculator.estimate(llama, batch, selective(RecomputeModule.CORE_ATTN),
                Parallelism.NONE);
        assertThat(coreAttn.denseLayer()).isEqualTo(selective.denseLayer());
        assertThat(coreAttn.mostLoaded().keptBytes()).isEqualTo(selective.mostLoaded().keptBytes());
    }

    @Test
    void layernormAndMlaUpProjOnDeepSeekV3ShouldDropExactlyThoseTensors() {
        Architecture deepSeek = ModelPresets.find("deepseek-v3").orElseThrow().architecture();
        BatchShape batch = new BatchShape(1, 4096, 0);
        Map<String, Long> attn = byTensor(ActivationCalculator.estimate(deepSeek, batch,
                selective(RecomputeModule.CORE_ATTN), Parallelism.NONE).moeLayer());
        Map<String, Long> more = byTensor(ActivationCalculator.estimate(deepSeek, batch, selective(
                RecomputeModule.CORE_ATTN, RecomputeModule.LAYERNORM, RecomputeModule.MLA_UP_PROJ), Parallelism.NONE)
                .moeLayer());
        // the two norms' outputs and fp32 statistics (the layer's only two norms: none are left), MLA's per-head
        // queries, keys and values
        assertThat(attn.keySet()).containsAll(more.keySet());
        assertThat(attn.keySet().stream().filter((t) -> !more.containsKey(t)).toList()).containsExactlyInAnyOrder(
                "attention input (norm output)", "MLP input (norm output)", "queries", "keys and values",
                LayerLedgers.NORM_STATISTICS);
        // 4,096 tokens × 7,168 × 2 B for each norm output; rstd 4 B per token for each of the 2 norms
        assertThat(attn.get("attention input (norm output)")).isEqualTo(4096L * 7168 * 2);
        assertThat(attn.get(LayerLedgers.NORM_STATISTICS)).isEqualTo(2 * 4096L * 4);
        // 128 heads: queries 4,096 × 128 × 192, keys and values 4,096 × 128 × (192 + 128), at 2 B
        assertThat(attn.get("queries")).isEqualTo(4096L * 128 * 192 * 2);
        assertThat(attn.get("keys and values")).isEqualTo(4096L * 128 * (192 + 128) * 2);
        // everything else is kept as it was
        more.forEach((tensor, bytes) -> assertThat(bytes).as(tensor).isEqualTo(attn.get(tensor)));
    }

    @Test
    void modulesOutsideSelectiveRecomputationShouldBeRefused() {
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> new ActivationOptions(Recomputation.FULL, AttentionKernel.FLASH, false, false, false,
                        true, DType.BF16, AdapterActivations.NONE, Set.of(RecomputeModule.MLP)))
                .satisfies((ex) -> assertThat(ex.field()).isEqualTo("activations.recomputeModules"));
    }
}
