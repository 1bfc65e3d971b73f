package dev.llmcalc.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.llmcalc.core.hardware.Cluster;
import dev.llmcalc.core.hardware.GpuPresets;
import dev.llmcalc.core.hardware.GpuSpec;
import dev.llmcalc.core.hardware.KernelEfficiency;
import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.model.MlpType;
import dev.llmcalc.core.model.ModelPresets;
import dev.llmcalc.core.model.MoeConfig;
import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.run.ActivationOptions;
import dev.llmcalc.core.run.AdapterActivations;
import dev.llmcalc.core.run.AttentionKernel;
import dev.llmcalc.core.run.BatchShape;
import dev.llmcalc.core.run.Optimizer;
import dev.llmcalc.core.run.Precision;
import dev.llmcalc.core.run.Recomputation;
import dev.llmcalc.core.run.RecomputeModule;
import dev.llmcalc.core.run.Training;
import dev.llmcalc.core.run.TrainingRun;
import dev.llmcalc.core.run.ZeroStage;
import dev.llmcalc.core.unit.DType;

/**
 * Selective recomputation's element-wise modules (Megatron-Core {@code --recompute-modules layernorm moe_act}) run
 * their kernels again in the step time, by hand on Llama-3-8B (h 4,096, f 14,336, 2 RMSNorms per layer, 32 layers) on
 * 8 × H100, data parallel, 128 micro-batches of 4,096 tokens per GPU.
 */
class RecomputedElementwiseTests {

    private static final Architecture LLAMA_3_8B = ModelPresets.find("llama-3-8b").orElseThrow().architecture();

    private static final GpuSpec H100 = GpuPresets.find("h100-sxm-80gb").orElseThrow();

    private static StepTime step(Set<RecomputeModule> modules) {
        return step(LLAMA_3_8B, modules);
    }

    private static StepTime step(Architecture model, Set<RecomputeModule> modules) {
        ActivationOptions options = new ActivationOptions(Recomputation.SELECTIVE, AttentionKernel.FLASH, false, false,
                false, true, DType.BF16, AdapterActivations.NONE, modules);
        TrainingRun run = TrainingRun.full(model, new BatchShape(1, 4096, 1024),
                new Training(Precision.MIXED_BF16, Optimizer.ADAMW, ZeroStage.ZERO_1), options,
                Parallelism.dataParallel(8));
        return StepTimeModel.step(run, Cluster.of(H100, 8, null), KernelEfficiency.HOPPER);
    }

    @Test
    void moeLayersShouldPriceTheirExpertsActivationsAndTheTokenPermutation() {
        // Mixtral 8x7B (h 4,096, experts of width 14,336, top-2, every layer MoE), bf16, no tensor parallelism: per
        // token each MoE layer's SwiGLU runs over the 2 experts it is routed to, 3 × 2 × 14,336 × 2 = 172,032 bytes
        // (not the dense intermediate size), and the dispatch and combine move (2 × 2 + 2) × 4,096 × 2 = 49,152
        Architecture mixtral = ModelPresets.find("mixtral-8x7b").orElseThrow().architecture();
        ActivationOptions bf16 = new ActivationOptions(Recomputation.NONE, AttentionKernel.FLASH, false, false, false,
                true, DType.BF16, AdapterActivations.NONE);
        assertThat(OperatorTime.ffnActivationBytesPerToken(mixtral, bf16, 1, true, true)).isEqualTo(172_032.0);
        assertThat(OperatorTime.moeDispatchBytesPerToken(mixtral, bf16, 1)).isEqualTo(49_152.0);
        // split 4 ways: the experts' width by tensor parallelism; the dispatch only with sequence parallelism
        assertThat(OperatorTime.ffnActivationBytesPerToken(mixtral, bf16, 4, true, true)).isEqualTo(43_008.0);
        assertThat(OperatorTime.moeDispatchBytesPerToken(mixtral, bf16, 4)).isEqualTo(49_152.0);
        // DeepSeek-V3's 3 dense layers (f 18,432) and 58 MoE layers (8 × 2,048 + one shared 2,048) average by layer
        Architecture v3 = ModelPresets.find("deepseek-v3").orElseThrow().architecture();
        assertThat(OperatorTime.ffnActivationBytesPerToken(v3, bf16, 1, true, true))
                .isCloseTo((3 * 6.0 * 18_432 + 58 * 6.0 * 18_432) / 61, within(1e-9));
        assertThat(OperatorTime.ffnActivationBytesPerToken(v3, bf16, 1, true, false))
                .isCloseTo(3 * 6.0 * 18_432 / 61, within(1e-9));
        assertThat(OperatorTime.moeDispatchBytesPerToken(v3, bf16, 1)).isCloseTo(18.0 * 7168 * 2 * 58 / 61,
                within(1e-9));
        // a dense model has no permutation
        assertThat(OperatorTime.moeDispatchBytesPerToken(LLAMA_3_8B, bf16, 1)).isZero();
        // widths that differ: 1 dense layer of f 4,096 and 3 MoE layers of top-2 experts of 512 plus a shared one of
        // 512 (1,536 wide in all), 6 bytes per element of width: (24,576 + 3 × 9,216) / 4, the dense part 24,576 / 4
        Architecture mixed = Architecture.builder().vocabSize(1000).hiddenSize(1024).numLayers(4).numAttentionHeads(8)
                .intermediateSize(4096).mlp(MlpType.GATED).moe(new MoeConfig(16, 2, 512, 1, 512, 1, false, false))
                .build();
        assertThat(OperatorTime.ffnActivationBytesPerToken(mixed, bf16, 1, true, true)).isEqualTo(13_056.0);
        assertThat(OperatorTime.ffnActivationBytesPerToken(mixed, bf16, 1, true, false)).isEqualTo(6144.0);
        assertThat(OperatorTime.ffnActivationBytesPerToken(mixed, bf16, 1, false, true)).isEqualTo(6912.0);
        assertThat(OperatorTime.moeDispatchBytesPerToken(mixed, bf16, 1)).isEqualTo(6.0 * 1024 * 2 * 3 / 4);
    }

    @Test
    void anMoeRecomputationShouldRunTheExpertsActivationAgain() {
        // Mixtral 8x7B on 8 × H100, data parallel: `moe_act` rebuilds the experts' SwiGLU, 172,032 bytes per token and
        // layer, 32 layers, 128 micro-batches of 4,096 tokens per GPU
        Architecture mixtral = ModelPresets.find("mixtral-8x7b").orElseThrow().architecture();
        double bandwidth = H100.memoryBandwidth() * KernelEfficiency.HOPPER.memoryBound();
        StepTime core = step(mixtral, Set.of(RecomputeModule.CORE_ATTN));
        StepTime act = step(mixtral, Set.of(RecomputeModule.CORE_ATTN, RecomputeModule.MOE_ACT));
        assertThat(act.kernels().recomputationSeconds() - core.kernels().recomputationSeconds())
                .isCloseTo(128 * 4096.0 * 32 * 172_032 / bandwidth, within(1e-9));
    }

    @Test
    void recomputedNormsAndActivationsShouldRunTheirKernelsAgain() {
        double tokens = 128 * 4096.0 * 32;
        double bandwidth = H100.memoryBandwidth() * KernelEfficiency.HOPPER.memoryBound();
        StepTime core = step(Set.of(RecomputeModule.CORE_ATTN));
        // the two norms read and write 4,096 bf16 elements each: 2 × 2 × 4,096 × 2 = 32,768 bytes per token and layer
        StepTime norms = step(Set.of(RecomputeModule.CORE_ATTN, RecomputeModule.LAYERNORM));
        assertThat(norms.kernels().recomputationSeconds() - core.kernels().recomputationSeconds())
                .isCloseTo(tokens * 32_768 / bandwidth, within(1e-9));
        // the SwiGLU reads gate and up and writes the product: 3 × 14,336 × 2 = 86,016 bytes; `moe_act` on a dense
        // model has no MoE layer to rebuild, so only `mlp` recomputes it here, with its GEMMs
        StepTime act = step(Set.of(RecomputeModule.CORE_ATTN, RecomputeModule.MLP));
        double mlpGemms = tokens * 2 * 3 * 4096.0 * 14_336 / (989e12 * 0.625) * 33 / 32;
        assertThat(act.kernels().recomputationSeconds() - core.kernels().recomputationSeconds())
                .isCloseTo(mlpGemms + tokens * 86_016 / bandwidth, within(1e-9));
        // `moe_act` on a dense model has no MoE activation to rebuild
        assertThat(step(Set.of(RecomputeModule.CORE_ATTN, RecomputeModule.MOE_ACT)).kernels().recomputationSeconds())
                .isEqualTo(core.kernels().recomputationSeconds());
        // nothing else changes: the passes are the same kernels
        assertThat(norms.kernels().memoryBoundSeconds()).isEqualTo(core.kernels().memoryBoundSeconds());
    }
}
