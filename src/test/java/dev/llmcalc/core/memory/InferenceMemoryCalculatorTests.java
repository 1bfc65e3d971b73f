package dev.llmcalc.core.memory;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.model.MlaConfig;
import dev.llmcalc.core.model.ModelPresets;
import dev.llmcalc.core.unit.DType;

class InferenceMemoryCalculatorTests {

    private static final long PHI = 6_738_415_616L;

    @Test
    void weightsShouldFollowTheDocumentsTable() {
        // seed §3: FP32 4Φ, FP16/BF16 2Φ, INT8 1Φ, INT4 < 1Φ (0.5Φ)
        assertThat(InferenceMemoryCalculator.weights(PHI, InferencePrecision.FP32)).isEqualTo(4 * PHI);
        assertThat(InferenceMemoryCalculator.weights(PHI, InferencePrecision.BF16)).isEqualTo(2 * PHI);
        assertThat(InferenceMemoryCalculator.weights(PHI, InferencePrecision.FP16)).isEqualTo(2 * PHI);
        assertThat(InferenceMemoryCalculator.weights(PHI, InferencePrecision.INT8)).isEqualTo(PHI);
        assertThat(InferenceMemoryCalculator.weights(PHI, InferencePrecision.INT4)).isEqualTo(PHI / 2);
    }

    @Test
    void int4WhenOddCountShouldRoundUpNeverToZero() {
        assertThat(InferenceMemoryCalculator.weights(1, InferencePrecision.INT4)).isEqualTo(1);
        assertThat(InferenceMemoryCalculator.weights(3, InferencePrecision.INT4)).isEqualTo(2);
    }

    @Test
    void kvCacheShouldCountKeysAndValuesOfKvHeads() {
        // Llama-2-7B, bf16: 2 · 32 layers · 32 heads · 128 · 2 bytes = 524,288 bytes per token
        Architecture llama = ModelPresets.find("llama-2-7b").orElseThrow().architecture();
        InferenceMemory memory = InferenceMemoryCalculator.estimate(PHI, llama, InferencePrecision.BF16,
                new KvCache(8, 4096, DType.BF16));
        assertThat(memory.kvCacheBytesPerToken()).isEqualTo(524_288L);
        assertThat(memory.kvCacheBytes()).isEqualTo(524_288L * 8 * 4096);
        assertThat(memory.totalBytes()).isEqualTo(2 * PHI + 524_288L * 8 * 4096);
        // GQA (Mistral-7B, 8 kv heads): a quarter of that
        Architecture mistral = ModelPresets.find("mistral-7b").orElseThrow().architecture();
        assertThat(InferenceMemoryCalculator.kvCacheBytesPerToken(mistral, DType.BF16)).isEqualTo(131_072L);
    }

    @Test
    void mlaCacheShouldHoldTheLatentOnly() {
        // DeepSeek-V3: (512 + 64) · 61 layers · 2 bytes = 70,272 bytes per token
        Architecture deepseek = Architecture.builder().vocabSize(129_280).hiddenSize(7168).numLayers(61)
                .numAttentionHeads(128).intermediateSize(18_432).mla(new MlaConfig(1536, 512, 128, 64, 128)).build();
        assertThat(InferenceMemoryCalculator.kvCacheBytesPerToken(deepseek, DType.BF16)).isEqualTo(70_272L);
    }
}
