package dev.llmcalc.core.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.model.ModelPresets;
import dev.llmcalc.core.parallel.LocalParameters;
import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.parallel.ParameterPlacement;
import dev.llmcalc.core.parallel.WeightMatrix;
import dev.llmcalc.core.unit.InvalidInputException;
import dev.llmcalc.core.run.Optimizer;
import dev.llmcalc.core.run.Precision;
import dev.llmcalc.core.run.Training;
import dev.llmcalc.core.run.ZeroStage;

/** Issue 16's optimizers by hand, Llama-2-7B (Φ = 6,738,415,616 = 2,048 × 3,290,242) on one GPU, mixed bf16. */
class OptimizerStatesTests {

    private static final Architecture LLAMA_2_7B = ModelPresets.find("llama-2-7b").orElseThrow().architecture();

    private static final long PHI = 6_738_415_616L;

    private static long optimizerStates(Optimizer optimizer) {
        return ModelStateCalculator.forModel(LLAMA_2_7B, new Training(Precision.MIXED_BF16, optimizer, ZeroStage.ZERO_0),
                Parallelism.NONE).perGpu().optimizerStatesBytes();
    }

    @Test
    void eightBitAdamShouldCountItsBlockConstants() {
        // 2 one-byte states + 2 fp32 absmax per block of 2,048 (3,290,242 blocks) + the 4-byte fp32 master copy
        assertThat(optimizerStates(Optimizer.ADAMW_8BIT)).isEqualTo(2 * PHI + 2 * 4 * 3_290_242L + 4 * PHI);
        assertThat(Optimizer.ADAMW_8BIT.stateBytes("q", 2049)).isEqualTo(2 * 2049 + 2 * 4 * 2);
    }

    @Test
    void lionAndBf16MomentsShouldKeepFourBytesOfStateBesideTheMasterCopy() {
        assertThat(optimizerStates(Optimizer.LION)).isEqualTo(8 * PHI);
        assertThat(optimizerStates(Optimizer.ADAMW_BF16_MOMENTS)).isEqualTo(8 * PHI);
        assertThat(optimizerStates(Optimizer.ADAMW)).isEqualTo(12 * PHI);
    }

    /*
     * Llama-2-7B by hand (h = 4,096, f = 11,008, V = 32,000, L = 32), every matrix factored into rows + columns:
     *   q, k, v, o: 4 · 32 · (4,096 + 4,096)          = 1,048,576
     *   gate, up, down: 3 · 32 · (11,008 + 4,096)     = 1,450,080
     *   embedding and LM head: 2 · (32,000 + 4,096)   =    72,192   → 2,570,752 factored values
     *   vectors: 2 RMSNorms · 32 · 4,096 + final 4,096 =   266,240
     *   second moment: 4 B × 2,836,992                 = 11,347,968 bytes
     */
    private static final long ADAFACTOR_STATES = 11_347_968L;

    @Test
    void adafactorShouldKeepRowsPlusColumnsForAMatrix() {
        // issue 16: a 4,096 × 11,008 matrix keeps 4,096 + 11,008 fp32 second-moment values, not 45,088,768
        WeightMatrix up = new WeightMatrix("up_proj", WeightMatrix.Role.LINEAR, false, 1, 11_008, 4_096);
        assertThat(ShapedOptimizerStates.factoredSecondMoment(List.of(up), false)).isEqualTo(4_096 + 11_008);
        assertThat(up.elements()).isEqualTo(45_088_768L);
        // alone on a "GPU" of exactly that matrix: 15,104 values × 4 B, no first moment
        LocalParameters local = new LocalParameters(45_088_768L, 0, 0, 1, List.of(up));
        assertThat(ShapedOptimizerStates.bytes(local, Optimizer.ADAFACTOR).total()).isEqualTo(15_104L * 4);
    }

    @Test
    void adafactorOnLlama2ShouldFactorEveryMatrixAndKeepVectorsWhole() {
        LocalParameters whole = ParameterPlacement.stages(LLAMA_2_7B, Parallelism.NONE).get(0);
        assertThat(ShapedOptimizerStates.factoredSecondMoment(whole.matrices(), false)).isEqualTo(2_570_752L);
        assertThat(ShapedOptimizerStates.vectorParameters(whole.matrices(), false, whole.dense())).isEqualTo(266_240L);
        // + the 4-byte fp32 master copy of mixed precision
        assertThat(optimizerStates(Optimizer.ADAFACTOR)).isEqualTo(ADAFACTOR_STATES + 4 * PHI);
        // beta1 set: + a full fp32 first moment
        assertThat(optimizerStates(Optimizer.ADAFACTOR_MOMENTUM)).isEqualTo(ADAFACTOR_STATES + 8 * PHI);
    }

    @Test
    void adafactorStatesShouldBePartitionedUnderZeroLikeTheOthers() {
        // ZeRO-1 over 8: ⌈11,347,968 / 8⌉ = 1,418,496 + master 4 × Φ/8 = 3,369,207,808
        assertThat(ModelStateCalculator.forModel(LLAMA_2_7B, new Training(Precision.MIXED_BF16, Optimizer.ADAFACTOR,
                ZeroStage.ZERO_1), new Parallelism(8, 1, 1, 1, 1)).perGpu().optimizerStatesBytes())
                .isEqualTo(3_370_626_304L);
    }

    @Test
    void adafactorShouldFactorTheTensorParallelSlices() {
        // t = 2: q [2,048 × 4,096], k/v [2,048 × 4,096], o [4,096 × 2,048] → 32 · 4 · 6,144 = 786,432;
        // gate/up [5,504 × 4,096], down [4,096 × 5,504] → 32 · 3 · 9,600 = 921,600; embedding and head
        // [16,000 × 4,096] → 2 · 20,096 = 40,192; vectors replicated: 266,240 (the vocabulary slice splits evenly)
        long values = 786_432L + 921_600L + 40_192L + 266_240L;
        assertThat(ModelStateCalculator.forModel(LLAMA_2_7B, new Training(Precision.FP32, Optimizer.ADAFACTOR,
                ZeroStage.ZERO_0), new Parallelism(1, 2, 1, 1, 1)).perGpu().optimizerStatesBytes()).isEqualTo(4 * values);
    }

    @Test
    void muonShouldKeepOneMomentumOnHiddenMatricesAndAdamWElsewhere() {
        // Muon: attention 32 · 4 · 4,096² + MLP 32 · 3 · 4,096 · 11,008 = 6,476,005,376 parameters × 4 B;
        // AdamW: embedding + LM head 262,144,000 + vectors 266,240 = 262,410,240 × 8 B; + master 4Φ
        assertThat(optimizerStates(Optimizer.MUON))
                .isEqualTo(4 * 6_476_005_376L + 8 * 262_410_240L + 4 * PHI)
                .isEqualTo(54_956_965_888L);
    }

    @Test
    void muonNewtonSchulzFlopsShouldFollowTheReferenceIteration() {
        // 5 · (4m²n + 2m³), m ≤ n: a 4,096² matrix 30 · 4,096³ = 2,061,584,302,080; 4,096 × 11,008:
        // 5 · (4 · 4,096² · 11,008 + 2 · 4,096³) = 4,380,866,641,920
        assertThat(ShapedOptimizerStates.newtonSchulzFlops(4_096, 4_096)).isEqualTo(2_061_584_302_080L);
        assertThat(ShapedOptimizerStates.newtonSchulzFlops(11_008, 4_096)).isEqualTo(4_380_866_641_920L);
        // whole model: 128 square + 96 FFN matrices
        assertThat(ShapedOptimizerStates.newtonSchulzFlopsPerStep(LLAMA_2_7B))
                .isEqualTo(128 * 2_061_584_302_080L + 96 * 4_380_866_641_920L).isEqualTo(684_445_988_290_560L);
    }

    @Test
    void shapedOptimizersWithARawCountShouldNameTheOptimizer() {
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> ModelStateCalculator.forParameterCount(PHI, new Training(Precision.MIXED_BF16,
                        Optimizer.MUON, ZeroStage.ZERO_1), new Parallelism(8, 1, 1, 1, 1)))
                .satisfies(ex -> assertThat(ex.field()).isEqualTo("training.optimizer"));
    }
}
