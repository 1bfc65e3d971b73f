package dev.llmcalc.core.comms;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;

import dev.llmcalc.core.comms.Collective;
import dev.llmcalc.core.comms.CommunicationCalculator;
import dev.llmcalc.core.comms.CommunicationEstimate;
import dev.llmcalc.core.comms.ParallelismKind;
import dev.llmcalc.core.comms.RankOrder;
import dev.llmcalc.core.comms.Transfer;
import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.model.ModelPresets;
import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.run.ActivationOptions;
import dev.llmcalc.core.run.AttentionKernel;
import dev.llmcalc.core.run.BatchShape;
import dev.llmcalc.core.run.FineTuning;
import dev.llmcalc.core.run.Optimizer;
import dev.llmcalc.core.run.Precision;
import dev.llmcalc.core.run.Recomputation;
import dev.llmcalc.core.run.TargetModule;
import dev.llmcalc.core.run.Training;
import dev.llmcalc.core.run.TrainingMethod;
import dev.llmcalc.core.run.TrainingRun;
import dev.llmcalc.core.run.ZeroStage;
import dev.llmcalc.core.unit.DType;
import org.junit.jupiter.api.Test;

/** Data-parallel traffic of LoRA runs: adapters reduced, frozen weights gathered under ZeRO-3 only. */
class LoraCommunicationTests {

    private static final Architecture LLAMA_2_7B = ModelPresets.find("llama-2-7b").orElseThrow().architecture();

    private static final FineTuning QV = new FineTuning(TrainingMethod.LORA, 8, 16, Set.of(TargetModule.Q,
            TargetModule.V), null);

    private static final ActivationOptions FLASH = new ActivationOptions(Recomputation.NONE, AttentionKernel.FLASH,
            false, false, false, true, DType.BF16);

    private static Training training(ZeroStage zero) {
        return new Training(Precision.MIXED_BF16, Optimizer.ADAMW, zero);
    }

    private static List<Transfer> dataTransfers(ZeroStage zero, FineTuning tuning, Parallelism par,
            BatchShape batch) {
        TrainingRun run = TrainingRun.of(LLAMA_2_7B, training(zero), tuning == null ? FineTuning.FULL : tuning, batch,
                FLASH, par);
        CommunicationEstimate estimate = CommunicationCalculator.estimate(run, RankOrder.MEGATRON, null);
        return estimate.busiest().transfers().stream().filter((t) -> t.parallelism() == ParallelismKind.DATA).toList();
    }

    @Test
    void dataParallelShouldAllReduceTheAdapterGradientsOnly() {
        // 4,194,304 adapters × 2 B = 8,388,608 B; ring all-reduce over 8 ranks sends 2 · 7/8 of it: 14,680,064 B
        List<Transfer> lora = dataTransfers(ZeroStage.ZERO_0, QV, Parallelism.dataParallel(8),
                new BatchShape(1, 4096, 64));
        assertThat(lora).singleElement().satisfies((t) -> {
            assertThat(t.collective()).isEqualTo(Collective.ALL_REDUCE);
            assertThat(t.messageBytes()).isEqualTo(8_388_608L);
            assertThat(t.bytes()).isEqualTo(14_680_064L);
            assertThat(t.source()).contains("adapters");
        });
        List<Transfer> full = dataTransfers(ZeroStage.ZERO_0, null, Parallelism.dataParallel(8),
                new BatchShape(1, 4096, 64));
        assertThat(full.get(0).messageBytes()).isEqualTo(2 * 6_738_415_616L);
    }

    @Test
    void zero3ShouldStillGatherTheFrozenWeightsTwicePerMicroBatchButNeverReduceThem() {
        // m = 64 / (1 × 8) = 8 micro-batches; frozen bf16 weights 13,476,831,232 B gathered 2 × 8 times, layer by
        // layer: 2 × 8 × 32 calls of 421,150,976 B, each sending 7/8 of it, 16 × 11,792,227,328 B in all
        List<Transfer> lora = dataTransfers(ZeroStage.ZERO_3, QV, Parallelism.dataParallel(8),
                new BatchShape(1, 4096, 64));
        assertThat(lora).extracting(Transfer::source).anySatisfy((s) -> assertThat(s).contains("frozen dense weights"));
        Transfer frozen = lora.stream().filter((t) -> t.source().contains("frozen")).findFirst().orElseThrow();
        assertThat(frozen.collective()).isEqualTo(Collective.ALL_GATHER);
        assertThat(frozen.count()).isEqualTo(16 * 32);
        assertThat(frozen.messageBytes()).isEqualTo(13_476_831_232L / 32);
        assertThat(frozen.bytes()).isEqualTo(16 * 11_792_227_328L);
        // the adapters' gradients reduce-scattered layer by layer too: 8,388,608 B over 32 layers, 8 micro-batches
        assertThat(lora.stream().filter((t) -> t.collective() == Collective.REDUCE_SCATTER)).singleElement()
                .satisfies((t) -> {
                    assertThat(t.messageBytes()).isEqualTo(8_388_608L / 32);
                    assertThat(t.count()).isEqualTo(8 * 32);
                });
    }

    @Test
    void tensorAndPipelineTrafficShouldBeThoseOfFullTraining() {
        Parallelism par = new Parallelism(2, 2, 2, 1, 1);
        BatchShape batch = new BatchShape(1, 4096, 16);
        CommunicationEstimate lora = CommunicationCalculator.estimate(
                TrainingRun.of(LLAMA_2_7B, training(ZeroStage.ZERO_1), QV, batch, FLASH, par), RankOrder.MEGATRON, null);
        CommunicationEstimate full = CommunicationCalculator.estimate(
                TrainingRun.full(LLAMA_2_7B, batch, training(ZeroStage.ZERO_1), FLASH, par), RankOrder.MEGATRON, null);
        for (int k = 0; k < 2; k++) {
            assertThat(lora.stages().get(k).transfers().stream().filter((t) -> t.parallelism() != ParallelismKind.DATA))
                    .containsExactlyElementsOf(full.stages().get(k).transfers().stream()
                            .filter((t) -> t.parallelism() != ParallelismKind.DATA).toList());
        }
        assertThat(lora.assumptions()).anySatisfy((line) -> assertThat(line).contains("only the adapters"));
    }
}
