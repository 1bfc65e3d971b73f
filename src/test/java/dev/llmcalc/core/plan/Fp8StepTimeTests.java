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
import dev.llmcalc.core.model.ModelPresets;
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

/** Issue 16: the linear layers' GEMMs of an FP8 run at the GPU's FP8 peak, the rest at BF16. */
class Fp8StepTimeTests {

    private static final Architecture LLAMA_3_8B = ModelPresets.find("llama-3-8b").orElseThrow().architecture();

    private static final GpuSpec H100 = GpuPresets.find("h100-sxm-80gb").orElseThrow();

    private static final Cluster EIGHT_H100 = Cluster.of(H100, 8, null);

    private static TrainingRun run(Precision precision, Recomputation mode, Set<RecomputeModule> modules) {
        ActivationOptions options = new ActivationOptions(mode, AttentionKernel.FLASH, false, false, false, true,
                precision.activations(), AdapterActivations.NONE, modules, precision.fp8());
        return TrainingRun.full(LLAMA_3_8B, new BatchShape(1, 4096, 1024),
                new Training(precision, Optimizer.ADAMW, ZeroStage.ZERO_1), options, Parallelism.dataParallel(8));
    }

    private static StepTime step(Precision precision) {
        return StepTimeModel.step(run(precision, Recomputation.NONE, Set.of()), EIGHT_H100, KernelEfficiency.HOPPER);
    }

    @Test
    void fp8LinearGemmsShouldRunAtTheFp8PeakAndTheHeadAtBf16() {
        // Llama-3-8B (Transformer Engine recipe) on 8 × H100, ZeRO-1, b = 1, s = 4,096, global batch 1,024: 128
        // micro-batches of 4,096 tokens per GPU. Per token and layer the linear GEMMs are Q, O 2·4,096² each, K, V
        // 2·4,096·1,024 each (8 KV heads of 128) = 83,886,080 FLOPs and gate, up, down 2·3·4,096·14,336 = 352,321,536:
        // 436,207,616 FLOPs; × 32 layers, × 3 (forward, input and weight gradients), at 0.625 × the H100's dense FP8
        // 1,979 TFLOP/s. The LM head 2·4,096·128,256 = 1,050,673,152 FLOPs per token stays at 0.625 × BF16 989 TFLOP/s.
        // Wave quantization on the H100's 132 SMs: every output of these GEMMs has a multiple of 256 × 128 tiles that
        // fills 32 of each 33 slots (512 of 528 for 4,096 × 4,096), so they run at 32/33 of the share
        double tokens = 128 * 4096.0;
        double waves = 32.0 / 33;
        double linearFp8 = tokens * 32 * 3 * 436_207_616.0 / (1979e12 * 0.625) / waves;
        double linearBf16 = tokens * 32 * 3 * 436_207_616.0 / (989e12 * 0.625) / waves;
        double head = tokens * 3 * 1_050_673_152.0 / (989e12 * 0.625);
        StepTime fp8 = step(Precision.MIXED_FP8);
        StepTime bf16 = step(Precision.MIXED_BF16_FP32_GRADS);

        assertThat(fp8.kernels().matmulSeconds()).isCloseTo(linearFp8 + head, within(1e-9));
        assertThat(bf16.kernels().matmulSeconds()).isCloseTo(linearBf16 + head, within(1e-9));
        // the linear part shrinks by exactly the ratio of the peaks, 989 / 1,979 (not quite one half)
        assertThat((fp8.kernels().matmulSeconds() - head) / (bf16.kernels().matmulSeconds() - head))
                .isCloseTo(989.0 / 1979.0, within(1e-12));
        // the attention core and the optimizer step are the same kernels in both runs; the element-wise ones gain
        // Transformer Engine's quantize + transpose kernels: per token and layer, forward the QKV and gate/up inputs'
        // transposes after the fused norms (2 B × 4,096 each) and the output-projection and down inputs cast whole
        // (4 B × 4,096 and 4 B × 14,336) = 90,112 B; backward every output gradient cast whole, 4 B × (QKV 6,144 +
        // O 4,096 + gate/up 28,672 + down 4,096) = 172,032 B: 262,144 B, at 0.70 of the H100's HBM bandwidth
        assertThat(fp8.kernels().attentionSeconds()).isEqualTo(bf16.kernels().attentionSeconds());
        assertThat(OperatorTime.fp8CastBytesPerToken(LLAMA_3_8B, 1, true)).isEqualTo(90_112.0);
        assertThat(OperatorTime.fp8CastBytesPerToken(LLAMA_3_8B, 1, false)).isEqualTo(172_032.0);
        assertThat(fp8.kernels().memoryBoundSeconds() - bf16.kernels().memoryBoundSeconds())
                .isCloseTo(tokens * 32 * 262_144 / (H100.memoryBandwidth() * 0.70), within(1e-9));
        // split over 4 tensor-parallel ranks the widths that are split shrink: forward 2 × 2 × 4,096 + 4 × (1,024 +
        // 3,584), backward 4 × (1,536 + 4,096 + 7,168 + 4,096)
        assertThat(OperatorTime.fp8CastBytesPerToken(LLAMA_3_8B, 4, true)).isEqualTo(16_384.0 + 18_432);
        assertThat(OperatorTime.fp8CastBytesPerToken(LLAMA_3_8B, 4, false)).isEqualTo(4.0 * 16_896);
        assertThat(fp8.kernels().optimizerSeconds()).isEqualTo(bf16.kernels().optimizerSeconds());
        assertThat(fp8.totalSeconds()).isLessThan(bf16.totalSeconds());
    }

    @Test
    void deepSeekBlockwiseFp8ShouldPriceTheSameGemmsInFp8() {
        // DeepSeek-V3 §3.3.1 runs the same linear GEMMs in FP8 (Fprop, Dgrad, Wgrad) and keeps embedding, head,
        // gating and attention in BF16: the same time as Transformer Engine's recipe
        assertThat(step(Precision.MIXED_FP8_BLOCKWISE).kernels().matmulSeconds())
                .isEqualTo(step(Precision.MIXED_FP8).kernels().matmulSeconds());
    }

    @Test
    void mlaAndMoeLayersShouldCastWhatTheirProjectionsRead() {
        // DeepSeek-V3 (h 7,168, 128 heads, latents 1,536 and 512, head widths 128 + 64 and 128; 3 dense layers with
        // f 18,432, 58 MoE layers of top-8 of 2,048-wide experts and one shared expert), no tensor parallelism
        Architecture v3 = ModelPresets.find("deepseek-v3").orElseThrow().architecture();
        // attention forward: the normed input's and both normed latents' transposes, 2 × (7,168 + 1,536 + 512), and
        // the output projection's input cast whole, 4 × 128 × 128; backward every projection's output gradient,
        // 4 × (1,536 + 512 + 64 + 128 × 192 + 128 × 256 + 7,168)
        double attentionForward = 2 * 9216 + 4 * 16_384;
        double attentionBackward = 4 * 66_624;
        // dense FFN: 2 × 7,168 + 4 × 18,432 forward, 4 × (2 × 18,432 + 7,168) backward; MoE: the routed input cast
        // once (3 × 7,168) and its 8 copies transposed (8 × 2 × 7,168), 8 down inputs (8 × 4 × 2,048), the shared
        // expert as a norm-fed FFN (2 × 7,168 + 4 × 2,048); backward 8 × 4 × (4,096 + 7,168) + 4 × (4,096 + 7,168)
        double denseForward = 14_336 + 73_728;
        double denseBackward = 4 * 44_032;
        double moeForward = 19 * 7168 + 65_536 + 14_336 + 8192;
        double moeBackward = 32 * 11_264 + 4 * 11_264;
        assertThat(OperatorTime.fp8CastBytesPerToken(v3, 1, true))
                .isCloseTo(attentionForward + (3 * denseForward + 58 * moeForward) / 61, within(1e-9));
        assertThat(OperatorTime.fp8CastBytesPerToken(v3, 1, false))
                .isCloseTo(attentionBackward + (3 * denseBackward + 58 * moeBackward) / 61, within(1e-9));
    }

    @Test
    void recomputedFp8LayersShouldCastTheirInputsAgain() {
        // recomputing the MLP under FP8 rebuilds its GEMMs and casts their inputs again: the forward casts in the
        // share of the FP8 GEMM work rebuilt (the MLP's 352,321,536 of 436,207,616 FLOPs per token and layer)
        Set<RecomputeModule> modules = Set.of(RecomputeModule.CORE_ATTN, RecomputeModule.MLP);
        StepTime withMlp = StepTimeModel.step(run(Precision.MIXED_FP8, Recomputation.SELECTIVE, modules), EIGHT_H100,
                KernelEfficiency.HOPPER);
        StepTime bf16 = StepTimeModel.step(run(Precision.MIXED_BF16_FP32_GRADS, Recomputation.SELECTIVE, modules),
                EIGHT_H100, KernelEfficiency.HOPPER);
        double tokens = 128 * 4096.0;
        double casts = tokens * 32 * 90_112 / (H100.memoryBandwidth() * 0.70) * 352_321_536.0 / 436_207_616.0;
        double gemms = tokens * 32 * 352_321_536.0 * 33 / 32 * (1 / (1979e12 * 0.625) - 1 / (989e12 * 0.625));
        assertThat(withMlp.kernels().recomputationSeconds() - bf16.kernels().recomputationSeconds())
                .isCloseTo(casts + gemms, within(1e-9));
    }

    @Test
    void recomputedMlpGemmsShouldRunInFp8Too() {
        // recomputing the MLP runs its forward GEMMs again, in FP8 under the recipe: 352,321,536 FLOPs per token and
        // layer at 0.625 × 1,979 TFLOP/s, at the layer's wave quantization (32/33 on the H100's 132 SMs); the
        // attention core (recomputed too) stays at BF16
        Set<RecomputeModule> modules = Set.of(RecomputeModule.CORE_ATTN, RecomputeModule.MLP);
        StepTime withMlp = StepTimeModel.step(run(Precision.MIXED_FP8, Recomputation.SELECTIVE, modules), EIGHT_H100,
                KernelEfficiency.HOPPER);
        StepTime coreOnly = StepTimeModel.step(run(Precision.MIXED_FP8, Recomputation.SELECTIVE, Set.of()),
                EIGHT_H100, KernelEfficiency.HOPPER);
        double mlp = 128 * 4096.0 * 32 * 352_321_536.0 / (1979e12 * 0.625) * 33 / 32;
        // and its inputs' FP8 casts again, in the MLP's share of the FP8 GEMM work
        double casts = 128 * 4096.0 * 32 * 90_112 / (H100.memoryBandwidth() * 0.70) * 352_321_536.0 / 436_207_616.0;
        // and the SwiGLU kernel (3 × 14,336 × 2 bytes per token and layer)
        double activation = 128 * 4096.0 * 32 * 86_016 / (H100.memoryBandwidth() * 0.70);
        assertThat(withMlp.kernels().recomputationSeconds() - coreOnly.kernels().recomputationSeconds())
                .isCloseTo(mlp + casts + activation, within(1e-9));
    }

    @Test
    void withoutARecipeTheGemmsShouldBePricedExactlyAsBefore() {
        // one formula for both: no FP8 FLOPs is tokens · FLOPs / rate, bit for bit
        assertThat(OperatorTime.matmulSeconds(4096, 1e9, 0, 1e14, 0)).isEqualTo(4096 * 1e9 / 1e14);
        assertThat(OperatorTime.matmulSeconds(4096, 1e9, 6e8, 1e14, 2e14))
                .isCloseTo(4096 * 6e8 / 2e14 + 4096 * 4e8 / 1e14, within(1e-18));
    }
}
