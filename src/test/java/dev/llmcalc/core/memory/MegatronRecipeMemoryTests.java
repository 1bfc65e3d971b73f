package dev.llmcalc.core.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.llmcalc.core.activation.ActivationCalculator;
import dev.llmcalc.core.activation.ActivationEstimate;
import dev.llmcalc.core.activation.LedgerEntry;
import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.model.ModelPresets;
import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.run.ActivationOptions;
import dev.llmcalc.core.run.AdapterActivations;
import dev.llmcalc.core.run.AttentionKernel;
import dev.llmcalc.core.run.BatchShape;
import dev.llmcalc.core.run.Fp8Recipe;
import dev.llmcalc.core.run.Optimizer;
import dev.llmcalc.core.run.Precision;
import dev.llmcalc.core.run.Recomputation;
import dev.llmcalc.core.run.Training;
import dev.llmcalc.core.run.ZeroStage;
import dev.llmcalc.core.unit.DType;

/**
 * What Megatron-LM / NeMo recipes keep that PyTorch autograd does not, by hand on Llama-3-8B (h = 4,096, f = 14,336,
 * Φ = 8,030,261,248): the fused gated activation (Megatron-Core {@code fusions/fused_bias_swiglu.py} saves only its
 * input) and FP8 training with bf16 gradients (NeMo's {@code grad_reduce_in_fp32: false}).
 */
class MegatronRecipeMemoryTests {

    private static final Architecture LLAMA_3_8B = ModelPresets.find("llama-3-8b").orElseThrow().architecture();

    private static final long PHI = 8_030_261_248L;

    private static final BatchShape ONE_8K = new BatchShape(1, 8192, 128);

    private static ActivationOptions options(Fp8Recipe fp8, boolean fused) {
        return new ActivationOptions(Recomputation.NONE, AttentionKernel.FLASH, false, false, false, true, DType.BF16,
                AdapterActivations.NONE, Set.of(), fp8, false, fused);
    }

    @Test
    void aFusedGatedActivationShouldNotKeepTheActivationsOutput() {
        Parallelism one = new Parallelism(1, 1, 1, 1, 1);
        ActivationEstimate autograd = ActivationCalculator.estimate(LLAMA_3_8B, ONE_8K, options(Fp8Recipe.NONE, false),
                one);
        ActivationEstimate fused = ActivationCalculator.estimate(LLAMA_3_8B, ONE_8K, options(Fp8Recipe.NONE, true),
                one);
        // one f-wide bf16 tensor per layer: 8,192 tokens × 14,336 × 2 B
        assertThat(autograd.perLayerBytes() - fused.perLayerBytes()).isEqualTo(8192L * 14_336 * 2);
        assertThat(fused.denseLayer()).extracting(LedgerEntry::tensor).contains("MLP gate and up outputs",
                "MLP product (down input)").doesNotContain("MLP activation output and product (down input)");
        // under FP8 the product stays in FP8 (the down projection's input) and the bf16 activation output goes
        ActivationEstimate fp8 = ActivationCalculator.estimate(LLAMA_3_8B, ONE_8K, options(Fp8Recipe.TENSORWISE, false),
                one);
        ActivationEstimate fp8Fused = ActivationCalculator.estimate(LLAMA_3_8B, ONE_8K,
                options(Fp8Recipe.TENSORWISE, true), one);
        assertThat(fp8.perLayerBytes() - fp8Fused.perLayerBytes()).isEqualTo(8192L * 14_336 * 2);
        assertThat(fp8Fused.denseLayer()).filteredOn((entry) -> entry.tensor().startsWith("MLP product"))
                .extracting(LedgerEntry::bytes).containsExactly(8192L * 14_336);
        // split over 4 tensor-parallel ranks, the saving is a quarter
        Parallelism tp4 = new Parallelism(1, 4, 1, 1, 1);
        assertThat(ActivationCalculator.estimate(LLAMA_3_8B, ONE_8K, options(Fp8Recipe.NONE, false), tp4)
                .perLayerBytes() - ActivationCalculator.estimate(LLAMA_3_8B, ONE_8K, options(Fp8Recipe.NONE, true),
                        tp4).perLayerBytes()).isEqualTo(8192L * 14_336 * 2 / 4);
    }

    @Test
    void nvidiasLlama3Of70bRecipeShouldFitWithTheSettingsItRuns() {
        // Megatron-Bridge's H100 FP8 preset for Llama 3 70B: 64 GPUs, t 4 · p 8 · v 5, sequence parallelism, no
        // recomputation, micro-batch 1 of 8,192 tokens, global batch 128, distributed optimizer (ZeRO-1 over d = 2)
        Architecture llama70 = ModelPresets.find("llama-3.1-70b").orElseThrow().architecture();
        Parallelism layout = new Parallelism(2, 4, 8, 1, 1, 5);
        BatchShape batch = new BatchShape(1, 8192, 128);
        long gpu = 80L << 30;
        ActivationOptions autograd = new ActivationOptions(Recomputation.NONE, AttentionKernel.FLASH, true, false,
                false, true, DType.BF16, AdapterActivations.NONE, Set.of(), Fp8Recipe.TENSORWISE, false, false);
        TrainingMemory before = TrainingMemoryCalculator.estimate(dev.llmcalc.core.run.TrainingRun.full(llama70, batch,
                new Training(Precision.MIXED_FP8, Optimizer.ADAMW, ZeroStage.ZERO_1), autograd, layout),
                FrameworkAllowance.DEFAULT, gpu);
        TrainingMemory recipe = TrainingMemoryCalculator.estimate(dev.llmcalc.core.run.TrainingRun.full(llama70, batch,
                new Training(Precision.MIXED_FP8_BF16_GRADS, Optimizer.ADAMW, ZeroStage.ZERO_1),
                autograd.withFusedGatedActivation(true), layout), FrameworkAllowance.DEFAULT, gpu);
        // fp32 gradients and autograd's SwiGLU output: 86.4 GiB, above the 80 GB NVIDIA runs it on
        assertThat(before.totalBytes()).isEqualTo(92_723_399_139L).isGreaterThan(gpu);
        // bf16 gradients (2 B less per local parameter) and the fused activation: 70.9 GiB, which fits
        assertThat(recipe.modelStates().totalBytes()).isEqualTo(28_298_898_160L);
        assertThat(recipe.activationsBytes()).isEqualTo(42_631_921_664L);
        assertThat(recipe.totalBytes()).isEqualTo(76_087_973_552L).isLessThan(gpu);
    }

    @Test
    void aStandardMlpShouldNotChangeWithTheFlag() {
        Architecture gpt2 = ModelPresets.find("gpt2").orElseThrow().architecture();
        Parallelism one = new Parallelism(1, 1, 1, 1, 1);
        BatchShape batch = new BatchShape(4, 1024, 4);
        assertThat(ActivationCalculator.estimate(gpt2, batch, options(Fp8Recipe.NONE, true), one).perLayerBytes())
                .isEqualTo(ActivationCalculator.estimate(gpt2, batch, options(Fp8Recipe.NONE, false), one)
                        .perLayerBytes());
    }

    @Test
    void fp8WithBf16GradientsShouldKeepTwoBytesOfGradientPerParameter() {
        Parallelism data8 = new Parallelism(8, 1, 1, 1, 1);
        ModelStates fp32Grads = ModelStateCalculator.forModel(LLAMA_3_8B,
                new Training(Precision.MIXED_FP8, Optimizer.ADAMW, ZeroStage.ZERO_1), data8);
        ModelStates bf16Grads = ModelStateCalculator.forModel(LLAMA_3_8B,
                new Training(Precision.MIXED_FP8_BF16_GRADS, Optimizer.ADAMW, ZeroStage.ZERO_1), data8);
        assertThat(bf16Grads.perGpu().gradientsBytes()).isEqualTo(2 * PHI);
        assertThat(fp32Grads.perGpu().gradientsBytes() - bf16Grads.perGpu().gradientsBytes()).isEqualTo(2 * PHI);
        // everything else as MIXED_FP8: weights and their FP8 copies, the fp32 master and moments sharded 8 ways
        assertThat(bf16Grads.perGpu().weightsBytes()).isEqualTo(fp32Grads.perGpu().weightsBytes());
        assertThat(bf16Grads.perGpu().optimizerStatesBytes()).isEqualTo(fp32Grads.perGpu().optimizerStatesBytes());
        assertThat(bf16Grads.items()).extracting(ModelStateItem::tensor, ModelStateItem::format)
                .contains(tuple("gradients", "bf16"));
        assertThat(ModelStateCalculator.assumptions(
                new Training(Precision.MIXED_FP8_BF16_GRADS, Optimizer.ADAMW, ZeroStage.ZERO_1), data8, LLAMA_3_8B))
                .anyMatch((line) -> line.contains("bf16 gradients (2 B, reduced in bf16"));
    }
}
