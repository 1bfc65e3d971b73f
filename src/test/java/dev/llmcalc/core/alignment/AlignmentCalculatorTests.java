package dev.llmcalc.core.alignment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.within;

import java.util.EnumSet;

import org.junit.jupiter.api.Test;

import dev.llmcalc.core.alignment.AlignmentEstimate.Generation;
import dev.llmcalc.core.alignment.AlignmentEstimate.RoleStates;
import dev.llmcalc.core.hardware.GpuPresets;
import dev.llmcalc.core.hardware.GpuSpec;
import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.model.ModelPresets;
import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.run.FineTuning;
import dev.llmcalc.core.run.Optimizer;
import dev.llmcalc.core.run.Precision;
import dev.llmcalc.core.run.TargetModule;
import dev.llmcalc.core.run.Training;
import dev.llmcalc.core.run.TrainingMethod;
import dev.llmcalc.core.run.ZeroStage;
import dev.llmcalc.core.unit.DType;
import dev.llmcalc.core.unit.InvalidInputException;

/** Issue 17's hand-derived numbers (Φ = 6,738,415,616 for Llama-2-7B). */
class AlignmentCalculatorTests {

    private static final Architecture LLAMA_2_7B = ModelPresets.find("llama-2-7b").orElseThrow().architecture();

    private static final long PHI = 6_738_415_616L;

    private static final FineTuning LORA_Q_V = new FineTuning(TrainingMethod.LORA, 8, 16,
            EnumSet.of(TargetModule.Q, TargetModule.V), null);

    private static Training training(ZeroStage zero) {
        return new Training(Precision.MIXED_BF16, Optimizer.ADAMW, zero);
    }

    private static AlignmentEstimate estimate(Algorithm algorithm, FineTuning method, ZeroStage zero, Parallelism par,
            Rollout rollout, GpuSpec gpu) {
        return AlignmentCalculator.estimate(new AlignmentRun(algorithm, LLAMA_2_7B, training(zero), method, par,
                DType.BF16, false, rollout), gpu);
    }

    @Test
    void dpoShouldKeepThePolicysSixteenBytesAndTheReferencesTwo() {
        // 16Φ + 2Φ = 18 · 6,738,415,616
        AlignmentEstimate full = estimate(Algorithm.DPO, FineTuning.FULL, ZeroStage.ZERO_0, Parallelism.NONE, null,
                null);
        assertThat(full.modelStatesBytes()).isEqualTo(121_291_481_088L).isEqualTo(18 * PHI);
        assertThat(full.roles()).extracting(RoleStates::role).containsExactly(Role.POLICY, Role.REFERENCE);
        assertThat(full.roles().get(1).bytesPerGpu()).isEqualTo(2 * PHI);
    }

    @Test
    void dpoWithLoraShouldUseThePolicysFrozenBaseAsItsReference() {
        // frozen base 2Φ = 13,476,831,232 + 4,194,304 adapters (32 layers × 2 × 8 × (4,096 + 4,096)) × 16 B
        AlignmentEstimate lora = estimate(Algorithm.DPO, LORA_Q_V, ZeroStage.ZERO_0, Parallelism.NONE, null, null);
        assertThat(lora.modelStatesBytes()).isEqualTo(13_543_940_096L).isEqualTo(2 * PHI + 16 * 4_194_304L);
        assertThat(lora.roles().get(1).bytesPerGpu()).isZero();
    }

    @Test
    void scalarHeadsShouldReplaceTheLmHead() {
        // 6,738,415,616 − 32,000 · 4,096 + 4,096
        assertThat(dev.llmcalc.core.params.ParameterCounter.count(LLAMA_2_7B.withScalarHead()).totalParameters())
                .isEqualTo(6_607_347_712L);
    }

    @Test
    void ppoOnEightZero3GpusShouldPartitionAllFourModels() {
        // (16Φ + 2Φ + 16Φc + 2Φc) / 8 with Φc = 6,607,347,712
        AlignmentEstimate ppo = estimate(Algorithm.PPO, FineTuning.FULL, ZeroStage.ZERO_3, Parallelism.dataParallel(8),
                null, null);
        assertThat(ppo.modelStatesBytes()).isEqualTo(30_027_967_488L);
        assertThat(ppo.roles()).extracting(RoleStates::role)
                .containsExactly(Role.POLICY, Role.REFERENCE, Role.REWARD, Role.CRITIC);
        assertThat(ppo.roles()).extracting(RoleStates::trained).containsExactly(true, false, false, true);
        // GRPO has no critic: (18Φ + 2Φc) / 8
        AlignmentEstimate grpo = estimate(Algorithm.GRPO, FineTuning.FULL, ZeroStage.ZERO_3,
                Parallelism.dataParallel(8), null, null);
        assertThat(grpo.modelStatesBytes()).isEqualTo(16_813_272_064L);
    }

    @Test
    void theKvCacheShouldHoldKeysAndValuesOfEveryLayer() {
        // 2 · 32 layers · 32 heads · 128 · 2 B = 524,288 B per token; 16 × (1,024 + 1,024) tokens
        Generation generation = estimate(Algorithm.GRPO, FineTuning.FULL, ZeroStage.ZERO_0, Parallelism.NONE,
                new Rollout(2, 1024, 1024, 8, Rollout.DEFAULT_CACHE_MEMORY_FRACTION), null).generation();
        assertThat(generation.kvCacheBytesPerToken()).isEqualTo(524_288L);
        assertThat(generation.sequencesPerEngine()).isEqualTo(16);
        assertThat(generation.kvCacheBytes()).isEqualTo(17_179_869_184L);
        assertThat(generation.weightReadSeconds()).isNull();
    }

    @Test
    void decodingOnOneH100ShouldBeBoundedByReadingTheWeightsForEveryToken() {
        GpuSpec h100 = GpuPresets.find("h100-sxm-80gb").orElseThrow();
        Generation generation = estimate(Algorithm.PPO, FineTuning.FULL, ZeroStage.ZERO_0, Parallelism.NONE,
                new Rollout(1, 128, 1024, 1, Rollout.DEFAULT_CACHE_MEMORY_FRACTION), h100).generation();
        // 1,024 × 2Φ / 3.35 TB/s ≈ 4.12 s
        assertThat(generation.weightReadSeconds()).isCloseTo(1024 * 2.0 * PHI / 3.35e12, within(1e-9))
                .isCloseTo(4.12, within(0.01));
        // Σ over 1,024 tokens of (128 + i) × 524,288 B = (1,024·128 + 1,024·1,023/2) × 524,288 B
        assertThat(generation.cacheReadSeconds())
                .isCloseTo((1024.0 * 128 + 1024.0 * 1023 / 2) * 524_288 / 3.35e12, within(1e-12));
        assertThat(generation.waves()).isEqualTo(1);
        // 0.9 × 80 GiB − 2Φ leaves room for floor(63,832,580,096 / (1,152 × 524,288)) sequences
        assertThat(generation.maxSequencesInCache()).isEqualTo(105);
        // one sequence: floor(63,832,580,096 / 524,288) = 121,750 tokens of cache, less the 128-token prompt
        assertThat(generation.maxResponseLength()).isEqualTo(121_750 - 128);
    }

    @Test
    void badCombinationsShouldNameTheField() {
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> estimate(Algorithm.PPO, FineTuning.FULL, ZeroStage.ZERO_0, Parallelism.NONE,
                        new Rollout(1, 128, 128, 4, 0.9), null))
                .satisfies((ex) -> assertThat(ex.field()).isEqualTo("rollout.samplesPerPrompt"));
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> estimate(Algorithm.DPO, FineTuning.FULL, ZeroStage.ZERO_0, Parallelism.NONE,
                        new Rollout(1, 128, 128, 1, 0.9), null))
                .satisfies((ex) -> assertThat(ex.field()).isEqualTo("rollout"));
    }

    /** The README's comparison: 512 trained sequences of 512 + 1,024 tokens per step on 8 × H100, ZeRO-3. */
    static AlignmentEstimate readmeComparison(Algorithm algorithm, FineTuning method) {
        Architecture llama3 = ModelPresets.find("llama-3-8b").orElseThrow().architecture();
        Rollout rollout = algorithm.generates()
                ? new Rollout(algorithm == Algorithm.GRPO ? 64 : 512, 512, 1024, algorithm == Algorithm.GRPO ? 8 : 1,
                        Rollout.DEFAULT_CACHE_MEMORY_FRACTION) : null;
        dev.llmcalc.core.run.BatchShape batch = new dev.llmcalc.core.run.BatchShape(1, 1536,
                algorithm == Algorithm.DPO ? 256 : 128);
        dev.llmcalc.core.run.ActivationOptions options = new dev.llmcalc.core.run.ActivationOptions(
                dev.llmcalc.core.run.Recomputation.FULL, dev.llmcalc.core.run.AttentionKernel.FLASH, false, false, false,
                true, DType.BF16);
        return AlignmentCalculator.estimate(new AlignmentRun(algorithm, llama3, training(ZeroStage.ZERO_3), method,
                Parallelism.dataParallel(8), DType.BF16, false, rollout, batch, options, 1),
                GpuPresets.find("h100-sxm-80gb").orElseThrow());
    }

    @Test
    void dpoShouldNeedFewerResourcesThanPpoAsTheSeedSays() {
        // seed §4: DPO所需要的训练资源比PPO少
        AlignmentEstimate dpo = readmeComparison(Algorithm.DPO, FineTuning.FULL);
        AlignmentEstimate ppo = readmeComparison(Algorithm.PPO, FineTuning.FULL);
        // Φ = 8,030,261,248: DPO keeps (16Φ + 2Φ)/8, PPO adds the scalar-head reward (2Φc/8) and critic (16Φc/8)
        long phi = 8_030_261_248L;
        long phiC = phi - 128_256L * 4096 + 4096;
        assertThat(dpo.modelStatesBytes()).isEqualTo(18 * phi / 8);
        assertThat(ppo.modelStatesBytes()).isEqualTo(18 * phi / 8 + 18 * phiC / 8);
        assertThat(dpo.trainingPeakBytes()).isLessThan(ppo.trainingPeakBytes());
        assertThat(dpo.stepSeconds()).isLessThan(ppo.stepSeconds() / 2);
        // the same 512 trained sequences per step: 2 PPO roles train them, DPO's one policy trains 256 pairs
        assertThat(dpo.training()).hasSize(1);
        assertThat(ppo.training()).hasSize(2);
    }

    @Test
    void pposPeakShouldBeItsRolloutBesideEveryResidentModel() {
        AlignmentEstimate ppo = readmeComparison(Algorithm.PPO, FineTuning.FULL);
        Generation generation = ppo.generation();
        // 512 responses over 8 engines: 64 sequences of 1,536 tokens × 131,072 B (Llama-3-8B: 2·32·8·128·2) in one wave
        assertThat(generation.kvCacheBytesPerToken()).isEqualTo(131_072L);
        assertThat(generation.waves()).isEqualTo(1);
        long expected = ppo.modelStatesBytes() + generation.weightsBytesPerGpu() + 64L * 1536 * 131_072L;
        assertThat(ppo.peak()).isEqualTo(new AlignmentEstimate.Peak(AlignmentEstimate.Phase.GENERATION, Role.POLICY,
                expected));
        assertThat(ppo.peak().bytes()).isGreaterThan(ppo.trainingPeakBytes());
        // DPO generates nothing: its peak is the policy's training
        assertThat(readmeComparison(Algorithm.DPO, FineTuning.FULL).peak().phase())
                .isEqualTo(AlignmentEstimate.Phase.TRAINING);
    }
}
