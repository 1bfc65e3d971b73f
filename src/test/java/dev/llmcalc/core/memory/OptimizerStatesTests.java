package dev.llmcalc.core.memory;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.model.ModelPresets;
import dev.llmcalc.core.parallel.Parallelism;
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
}
