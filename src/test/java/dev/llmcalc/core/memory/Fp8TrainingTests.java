package dev.llmcalc.core.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.tuple;

import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.llmcalc.core.activation.ActivationCalculator;
import dev.llmcalc.core.activation.ActivationEstimate;
import dev.llmcalc.core.activation.LedgerEntry;
import dev.llmcalc.core.hardware.GpuPresets;
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
import dev.llmcalc.core.unit.InvalidInputException;

/**
 * Issue 16's FP8 acceptance by hand: Llama-3-8B (Φ = 8,030,261,248; h = 4,096, a = 32, g = 8, d = 128,
 * f = 14,336, V = 128,256, L = 32) on 8 × H100, ZeRO-1.
 */
class Fp8TrainingTests {

    private static final Architecture LLAMA_3_8B = ModelPresets.find("llama-3-8b").orElseThrow().architecture();

    private static final long PHI = 8_030_261_248L;

    private static final Parallelism DATA_8 = new Parallelism(8, 1, 1, 1, 1);

    /** Linear weights per layer: q, o 4,096² each, k, v 1,024 × 4,096 each, gate, up, down 14,336 × 4,096 each. */
    private static final long LINEAR_PER_LAYER = 2 * 16_777_216L + 2 * 4_194_304L + 3 * 58_720_256L;

    private static ActivationOptions options(Fp8Recipe fp8) {
        return new ActivationOptions(Recomputation.NONE, AttentionKernel.FLASH, false, false, false, true, DType.BF16,
                AdapterActivations.NONE, Set.of(), fp8);
    }

    @Test
    void transformerEngineRecipeShouldItemiseModelStatesPerWidth() {
        Training fp8 = new Training(Precision.MIXED_FP8, Optimizer.ADAMW, ZeroStage.ZERO_1);
        ModelStates states = ModelStateCalculator.forModel(LLAMA_3_8B, fp8, DATA_8);
        long linear = 32 * LINEAR_PER_LAYER;
        assertThat(linear).isEqualTo(6_979_321_856L);
        // 7 linear layers × 32 = 224 GEMMs, each 5 FP8 tensors × (amax history 1,024 + scale + scale_inv) × 4 B
        long scaling = 224L * 5 * 1026 * 4;
        assertThat(scaling).isEqualTo(4_596_480L);
        assertThat(states.items()).extracting(ModelStateItem::format, ModelStateItem::bytes).containsExactly(
                tuple("bf16", 2 * PHI),
                tuple("fp8", linear),
                tuple("fp8", linear),
                tuple("fp32", scaling),
                tuple("fp32", 4 * PHI),
                tuple("fp32", 4 * PHI / 8),
                tuple("fp32 momentum + variance", 8 * PHI / 8));
        // weights 16,060,522,496 + 2 × 6,979,321,856 + 4,596,480; gradients 4Φ; optimizer 12Φ/8
        assertThat(states.perGpu().weightsBytes()).isEqualTo(30_023_762_688L);
        assertThat(states.perGpu().totalBytes()).isEqualTo(74_190_199_552L);
        assertThat(states.items().stream().mapToLong(ModelStateItem::bytes).sum())
                .isEqualTo(states.perGpu().totalBytes());
    }

    @Test
    void blockwiseRecipeShouldKeepOneCopyAndAScalePerBlock() {
        Training fp8 = new Training(Precision.MIXED_FP8_BLOCKWISE, Optimizer.ADAMW_BF16_MOMENTS, ZeroStage.ZERO_1);
        ModelStates states = ModelStateCalculator.forModel(LLAMA_3_8B, fp8, DATA_8);
        // 128 × 128 blocks per layer: q, o 32 · 32; k, v 8 · 32; gate, up 112 · 32; down 32 · 112 = 13,312; × 32 × 4 B
        long scales = 13_312L * 32 * 4;
        assertThat(scales).isEqualTo(1_703_936L);
        assertThat(states.perGpu().weightsBytes()).isEqualTo(2 * PHI + 32 * LINEAR_PER_LAYER + scales);
        // bf16 moments 4 B + fp32 master 4 B, over 8 ranks
        assertThat(states.perGpu().optimizerStatesBytes()).isEqualTo(8 * PHI / 8);
        assertThat(states.perGpu().gradientsBytes()).isEqualTo(4 * PHI);
    }

    @Test
    void fp8ActivationsShouldHalveTheLinearInputsOnly() {
        BatchShape batch = new BatchShape(1, 4096, 0);
        ActivationEstimate bf16 = ActivationCalculator.estimate(LLAMA_3_8B, batch, options(Fp8Recipe.NONE), DATA_8);
        ActivationEstimate fp8 = ActivationCalculator.estimate(LLAMA_3_8B, batch, options(Fp8Recipe.TENSORWISE), DATA_8);
        // per layer (r = b·s = 4,096 tokens) the QKV input r·h, output-projection input r·a·d = r·h, MLP input r·h and
        // down input r·f go from 2 bytes to 1: r · (3h + f) = 4,096 · 26,624 = 109,051,904 bytes less
        assertThat(bf16.perLayerBytes()).isEqualTo(688_422_912L);
        assertThat(fp8.perLayerBytes()).isEqualTo(688_422_912L - 109_051_904L);
        assertThat(bf16.totalBytes() - fp8.totalBytes()).isEqualTo(32 * 109_051_904L);
        assertThat(fp8.denseLayer()).extracting(LedgerEntry::tensor, LedgerEntry::bytes).contains(
                tuple("attention input (norm output) [fp8]", 16_777_216L),
                tuple("attention output (output-projection input) [fp8]", 16_777_216L),
                tuple("MLP input (norm output) [fp8]", 16_777_216L),
                tuple("MLP activation output", 117_440_512L),
                tuple("MLP product (down input) [fp8]", 58_720_256L));
        // blockwise adds an fp32 scale per 128 elements of those inputs: 4 · r · (3h + f) / 128
        ActivationEstimate blockwise = ActivationCalculator.estimate(LLAMA_3_8B, batch, options(Fp8Recipe.BLOCKWISE),
                DATA_8);
        assertThat(blockwise.perLayerBytes() - fp8.perLayerBytes()).isEqualTo(4 * 109_051_904L / 128);
    }

    @Test
    void fp8OnAGpuWithoutAnFp8PeakShouldNameThePrecision() {
        Training fp8 = new Training(Precision.MIXED_FP8, Optimizer.ADAMW, ZeroStage.ZERO_1);
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> fp8.requireRunsOn(GpuPresets.find("a100-sxm-80gb").orElseThrow()))
                .satisfies(ex -> assertThat(ex.field()).isEqualTo("training.precision"));
        fp8.requireRunsOn(GpuPresets.find("h100-sxm-80gb").orElseThrow());
    }

    @Test
    void fp8WithARawCountShouldNameThePrecision() {
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> ModelStateCalculator.forParameterCount(PHI, new Training(Precision.MIXED_FP8,
                        Optimizer.ADAMW, ZeroStage.ZERO_1), DATA_8))
                .satisfies(ex -> assertThat(ex.field()).isEqualTo("training.precision"));
    }
}
