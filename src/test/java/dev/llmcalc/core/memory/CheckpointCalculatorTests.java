package dev.llmcalc.core.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.within;

import java.util.Set;

import org.junit.jupiter.api.Test;

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

class CheckpointCalculatorTests {

    // BigScience BLOOM-176B: 176,247,271,424 parameters, bf16 mixed precision with Adam, TP 4 × PP 12 × DP 8, ZeRO-1
    private static final long BLOOM = 176_247_271_424L;

    private static final Training BF16_ADAM_ZERO1 = new Training(Precision.MIXED_BF16, Optimizer.ADAM, ZeroStage.ZERO_1);

    private static final Parallelism BLOOM_LAYOUT = new Parallelism(8, 4, 12, 1, 1);

    @Test
    void bloomShouldGiveItsReportedWeightsAndFullCheckpoint() {
        Checkpoint c = CheckpointCalculator.estimate(null, BLOOM, BF16_ADAM_ZERO1, FineTuning.FULL, BLOOM_LAYOUT, 8,
                DType.BF16, CheckpointStorage.UNKNOWN, null);
        // bf16 weights 2Φ = 352,494,542,848 B = 328.3 GiB (the "329 GB" BigScience reported)
        assertThat(c.weightsBytes()).isEqualTo(352_494_542_848L);
        assertThat(c.exportBytes()).isEqualTo(352_494_542_848L);
        assertThat(c.exportGiB()).isCloseTo(328.28, within(0.01));
        // fp32 master 4Φ and Adam's two fp32 moments 8Φ: 2Φ + 12Φ = 2,467,461,799,936 B = 2.24 TiB ("≈ 2.3 TB")
        assertThat(c.masterWeightsBytes()).isEqualTo(4 * BLOOM);
        assertThat(c.optimizerStatesBytes()).isEqualTo(8 * BLOOM);
        assertThat(c.totalBytes()).isEqualTo(2_467_461_799_936L);
        assertThat(c.totalGiB() / 1024).isCloseTo(2.244, within(0.001));
        // no storage bandwidth: no save time
        assertThat(c.saveSeconds()).isNull();
        assertThat(c.savingFraction()).isNull();
    }

    @Test
    void bloomShardsShouldSplitWeightsOverTensorAndPipelineAndStatesOverData() {
        Checkpoint c = CheckpointCalculator.estimate(null, BLOOM, BF16_ADAM_ZERO1, FineTuning.FULL, BLOOM_LAYOUT, 8,
                DType.BF16, new CheckpointStorage(5e9, 1e11), 180.0);
        // Φ/(t·p) = ⌈176,247,271,424 / 48⌉ = 3,671,818,155 local parameters: 2 B each = 7,343,636,310;
        // ZeRO-1: 12 B × ⌈3,671,818,155 / 8⌉ = 12 × 458,977,270 = 5,507,727,240 of master and moments
        assertThat(c.ranks()).isEqualTo(384);
        assertThat(c.perRankBytes()).isEqualTo(7_343_636_310L + 5_507_727_240L);
        assertThat(c.perNodeBytes()).isEqualTo(8 * 12_851_363_550L);
        // node: 102,810,908,400 B / 5 GB/s = 20.56 s; aggregate: 2,467,461,799,936 B / 100 GB/s = 24.67 s: the slower
        assertThat(c.nodeWriteSeconds()).isCloseTo(20.5621816800, within(1e-9));
        assertThat(c.aggregateWriteSeconds()).isCloseTo(24.67461799936, within(1e-9));
        assertThat(c.saveSeconds()).isEqualTo(c.aggregateWriteSeconds());
        // every 3 hours: 24.67 / (10,800 + 24.67) = 0.228 % of the time
        assertThat(c.savingFraction()).isCloseTo(24.67461799936 / (10_800 + 24.67461799936), within(1e-15));
    }

    @Test
    void zeroThreeShouldShardTheWeightsTooAndFp32ShouldHaveNoMasterCopy() {
        Training fp32Zero3 = new Training(Precision.FP32, Optimizer.ADAMW, ZeroStage.ZERO_3);
        Checkpoint c = CheckpointCalculator.estimate(null, 1_000_000_000L, fp32Zero3, FineTuning.FULL,
                Parallelism.dataParallel(8), 8, DType.INT4, CheckpointStorage.UNKNOWN, null);
        // FP32 Adam: 4Φ weights + 8Φ moments = 12 GB, no master; each of 8 ranks writes 1/8: 1.5 GB
        assertThat(c.masterWeightsBytes()).isZero();
        assertThat(c.totalBytes()).isEqualTo(12_000_000_000L);
        assertThat(c.perRankBytes()).isEqualTo(1_500_000_000L);
        assertThat(c.perNodeBytes()).isEqualTo(12_000_000_000L);
        // INT4 export: half a byte per parameter
        assertThat(c.exportBytes()).isEqualTo(500_000_000L);
    }

    @Test
    void loraShouldSaveTheAdaptersStatesAndExportTheMergedModel() {
        FineTuning lora = new FineTuning(TrainingMethod.LORA, 8, 8, Set.of(TargetModule.Q, TargetModule.V), null);
        Checkpoint c = CheckpointCalculator.estimate(ModelPresets.find("llama-2-7b").orElseThrow().architecture(), 0,
                Training.DEFAULT, lora, Parallelism.NONE, 8, DType.BF16, CheckpointStorage.UNKNOWN, null);
        // 32 layers × 2 matrices × 8 × (4096 + 4096) = 4,194,304 adapter parameters × (2 + 4 + 8) B
        assertThat(c.trainedParameters()).isEqualTo(4_194_304L);
        assertThat(c.totalBytes()).isEqualTo(14 * 4_194_304L);
        assertThat(c.perRankBytes()).isEqualTo(14 * 4_194_304L);
        assertThat(c.exportBytes()).isEqualTo(2 * 6_738_415_616L);
    }

    @Test
    void intervalNotPositiveShouldNameTheField() {
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> CheckpointCalculator.estimate(null, BLOOM, BF16_ADAM_ZERO1, FineTuning.FULL,
                        BLOOM_LAYOUT, 8, DType.BF16, CheckpointStorage.UNKNOWN, 0.0))
                .satisfies((ex) -> assertThat(ex.field()).isEqualTo("checkpointEveryMinutes"));
    }
}
