package dev.llmcalc.core.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.model.ModelPresets;
import dev.llmcalc.core.parallel.LocalParameters;
import dev.llmcalc.core.parallel.ParameterPlacement;
import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.run.ActivationOptions;
import dev.llmcalc.core.run.AttentionKernel;
import dev.llmcalc.core.run.BatchShape;
import dev.llmcalc.core.run.Offload;
import dev.llmcalc.core.run.OffloadDevice;
import dev.llmcalc.core.run.Optimizer;
import dev.llmcalc.core.run.Precision;
import dev.llmcalc.core.run.Recomputation;
import dev.llmcalc.core.run.Training;
import dev.llmcalc.core.run.TrainingRun;
import dev.llmcalc.core.run.ZeroStage;
import dev.llmcalc.core.unit.DType;
import dev.llmcalc.core.unit.InvalidInputException;
import org.junit.jupiter.api.Test;

/**
 * Hybrid sharding (PyTorch FSDP HYBRID_SHARD; ZeRO++ hpZ's in-group sharding, arXiv:2306.10209 §3.2): what the ZeRO
 * stage partitions is partitioned over a shard group of g ranks instead of all data × context ranks.
 */
class HybridShardingTests {

    /** Llama-2-70B: Φ = 68,976,648,192 (HF safetensors metadata), divisible by 64. */
    private static final long PHI_70B = 68_976_648_192L;

    private static Architecture preset(String id) {
        return ModelPresets.find(id).orElseThrow().architecture();
    }

    private static Training hybrid(ZeroStage zero, int shardGroupSize) {
        return new Training(Precision.MIXED_BF16, Optimizer.ADAMW, zero, Offload.NONE, shardGroupSize);
    }

    @Test
    void seventyBOver64GpusWithShardGroupsOf8ShouldKeepAnEighthOfEveryStatePerGpu() {
        // issue 16 item 4: ZeRO-3, mixed bf16 AdamW, d = 64, g = 8 → Φ/8 = 8,622,081,024 parameters per GPU:
        // weights 2·Φ/8 = 17,244,162,048 B, gradients 2·Φ/8 = 17,244,162,048 B, optimizer 12·Φ/8 = 103,464,972,288 B
        // (fp32 master 4 + momentum 4 + variance 4), total 16·Φ/8 = 2Φ = 137,953,296,384 B
        ModelStates states = ModelStateCalculator.forModel(preset("llama-2-70b"), hybrid(ZeroStage.ZERO_3, 8),
                Parallelism.dataParallel(64));
        assertThat(states.totalParameters()).isEqualTo(PHI_70B);
        assertThat(states.perGpu()).isEqualTo(new ModelStateBytes(17_244_162_048L, 17_244_162_048L, 103_464_972_288L));
        assertThat(states.perGpu().totalBytes()).isEqualTo(2 * PHI_70B);
        assertThat(states.zeroShards()).isEqualTo(8);
        // sharded over all 64: 16·Φ/64 = 17,244,162,048 B, 8 times less
        ModelStates full = ModelStateCalculator.forModel(preset("llama-2-70b"),
                new Training(Precision.MIXED_BF16, Optimizer.ADAMW, ZeroStage.ZERO_3), Parallelism.dataParallel(64));
        assertThat(full.perGpu().totalBytes()).isEqualTo(17_244_162_048L);
        assertThat(states.assumptions()).anySatisfy((a) -> assertThat(a).contains("shard groups of 8 GPUs")
                .contains("replicated across data × context / 8 = 8 groups"));
    }

    @Test
    void eachStageShouldShardOverTheGroupOnlyWhatItShards() {
        // ZeRO-1: 2Φ + 2Φ + 12Φ/8; ZeRO-2: 2Φ + 2Φ/8 + 12Φ/8 (Φ/8 = 8,622,081,024)
        long eighth = PHI_70B / 8;
        Parallelism par = Parallelism.dataParallel(64);
        assertThat(ModelStateCalculator.forModel(preset("llama-2-70b"), hybrid(ZeroStage.ZERO_1, 8), par).perGpu())
                .isEqualTo(new ModelStateBytes(2 * PHI_70B, 2 * PHI_70B, 12 * eighth));
        assertThat(ModelStateCalculator.forModel(preset("llama-2-70b"), hybrid(ZeroStage.ZERO_2, 8), par).perGpu())
                .isEqualTo(new ModelStateBytes(2 * PHI_70B, 2 * eighth, 12 * eighth));
    }

    @Test
    void aShardGroupOfEveryDataRankShouldBePlainZero() {
        Parallelism par = new Parallelism(16, 2, 2, 1, 2);
        for (ZeroStage zero : new ZeroStage[] { ZeroStage.ZERO_1, ZeroStage.ZERO_2, ZeroStage.ZERO_3 }) {
            assertThat(ModelStateCalculator.forModel(preset("llama-2-7b"), hybrid(zero, 32), par).perGpu())
                    .isEqualTo(ModelStateCalculator.forModel(preset("llama-2-7b"),
                            new Training(Precision.MIXED_BF16, Optimizer.ADAMW, zero), par).perGpu());
        }
    }

    @Test
    void expertsShouldBeShardedOverTheShardGroupDividedByExpert() {
        // d = 16, e = 4, g = 8: dense states over 8 ranks, experts' over 8 / 4 = 2 (both replicated across 16 / 8 = 2)
        Parallelism par = new Parallelism(16, 1, 1, 4, 1);
        Training training = hybrid(ZeroStage.ZERO_3, 8);
        assertThat(training.denseShardingDegree(par)).isEqualTo(8);
        assertThat(training.expertShardingDegree(par)).isEqualTo(2);
        assertThat(training.replicaGroups(par)).isEqualTo(2);
        Architecture mixtral = preset("mixtral-8x7b");
        LocalParameters local = ParameterPlacement.stages(mixtral, par).get(0);
        long shard = -Math.floorDiv(-local.dense(), 8) - Math.floorDiv(-local.expert(), 2);
        assertThat(ModelStateCalculator.forModel(mixtral, training, par).perGpu())
                .isEqualTo(new ModelStateBytes(2 * shard, 2 * shard, 12 * shard));
    }

    @Test
    void offloadShouldMoveTheShardGroupsPartition() {
        // ZeRO-3 + CPU optimizer offload, d = 64, g = 8: the host keeps 12·Φ/8 of fp32 master and moments per GPU
        Training training = new Training(Precision.MIXED_BF16, Optimizer.ADAMW, ZeroStage.ZERO_3,
                new Offload(OffloadDevice.CPU, OffloadDevice.NONE), 8);
        LocalParameters local = ParameterPlacement.stages(preset("llama-2-70b"), Parallelism.dataParallel(64)).get(0);
        OffloadedStates offloaded = ModelStateCalculator.offloaded(local, training, Parallelism.dataParallel(64));
        assertThat(offloaded.buffers().get(0).bytesPerGpu()).isEqualTo(12 * (PHI_70B / 8));
    }

    @Test
    void aShardGroupThatDoesNotDivideDataTimesContextShouldNameTheField() {
        Training training = hybrid(ZeroStage.ZERO_3, 24);
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> ModelStateCalculator.forModel(preset("llama-2-70b"), training,
                        Parallelism.dataParallel(64)))
                .satisfies((ex) -> assertThat(ex.field()).isEqualTo("training.shardGroupSize"))
                .withMessageContaining("must divide data × context (64)");
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> TrainingRun.full(preset("llama-2-70b"), new BatchShape(1, 4096, 0), training,
                        new ActivationOptions(Recomputation.NONE, AttentionKernel.FLASH, false, false, false,
                        true, DType.BF16), Parallelism.dataParallel(64)))
                .satisfies((ex) -> assertThat(ex.field()).isEqualTo("training.shardGroupSize"));
    }

    @Test
    void aShardGroupThatSplitsAnExpertParallelGroupShouldNameTheField() {
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> hybrid(ZeroStage.ZERO_3, 2).requireShardGroupFits(new Parallelism(16, 1, 1, 4, 1)))
                .satisfies((ex) -> assertThat(ex.field()).isEqualTo("training.shardGroupSize"))
                .withMessageContaining("must be a multiple of parallelism.expert (4)");
    }

    @Test
    void zeroStage0HasNothingToShard() {
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> hybrid(ZeroStage.ZERO_0, 8))
                .satisfies((ex) -> assertThat(ex.field()).isEqualTo("training.shardGroupSize"))
                .withMessageContaining("needs ZeRO-1, 2 or 3");
        assertThatExceptionOfType(InvalidInputException.class).isThrownBy(() -> hybrid(ZeroStage.ZERO_3, -1))
                .satisfies((ex) -> assertThat(ex.field()).isEqualTo("training.shardGroupSize"));
    }
}
