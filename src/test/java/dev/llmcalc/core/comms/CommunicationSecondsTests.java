package dev.llmcalc.core.comms;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

import dev.llmcalc.core.RandomArchitectures;
import dev.llmcalc.core.RandomLayouts;
import dev.llmcalc.core.Seeds;
import dev.llmcalc.core.hardware.Cluster;
import dev.llmcalc.core.hardware.GpuPresets;
import dev.llmcalc.core.hardware.GpuSpec;
import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.model.ModelPresets;
import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.run.ActivationOptions;
import dev.llmcalc.core.run.AttentionKernel;
import dev.llmcalc.core.run.BatchShape;
import dev.llmcalc.core.run.Optimizer;
import dev.llmcalc.core.run.Precision;
import dev.llmcalc.core.run.Recomputation;
import dev.llmcalc.core.run.Training;
import dev.llmcalc.core.run.TrainingRun;
import dev.llmcalc.core.run.ZeroStage;
import dev.llmcalc.core.unit.DType;
import org.junit.jupiter.api.Test;

/**
 * {@link CommunicationSeconds} must give every stage's seconds bit for bit as the ledger does. The seed is fixed
 * ({@code -Dproperty.seed=N} changes it, {@code -Dproperty.cases=N} the case count).
 */
class CommunicationSecondsTests {

    private static final long SEED = Seeds.seed();

    @Test
    void everyStageShouldCostExactlyWhatItsLedgerCostsOnRandomModelsAndLayouts() {
        SplittableRandom random = Seeds.random();
        for (int i = 0; i < Seeds.cases() / 2; i++) {
            Architecture model = RandomArchitectures.any(random);
            Parallelism par = RandomLayouts.fitting(random, model, 24);
            long s = (long) par.context() * par.tensor() * random.nextInt(1, 257);
            long b = random.nextInt(1, 5);
            long global = random.nextBoolean() ? 0 : b * par.data() * random.nextInt(1, 40);
            ActivationOptions options = new ActivationOptions(Recomputation.values()[random.nextInt(3)],
                    AttentionKernel.FLASH, random.nextBoolean(), false, false, true, DType.BF16);
            Training training = new Training(Precision.values()[random.nextInt(Precision.values().length)],
                    Optimizer.ADAMW, ZeroStage.of(random.nextInt(4)));
            int gpus = (int) par.gpuCount();
            int perNode = random.nextBoolean() ? gpus : 1 << random.nextInt(0, 4);
            GpuSpec gpu = GpuSpec.custom(80L << 30, random.nextDouble(1e13, 2e15), random.nextDouble(1e10, 1e12),
                    random.nextDouble(1e9, 1e11));
            Network network = new Network(new Cluster(gpu, gpus, perNode), random.nextDouble(0, 1e-5),
                    random.nextDouble(0, 3e-5), random.nextDouble(0.05, 1));
            String seen = "seed " + SEED + ", case " + i + ": " + model + ", " + par + ", b = " + b + ", s = " + s
                    + ", global " + global + ", " + options + ", " + training + ", " + network;
            assertSameSeconds(model, new BatchShape(b, s, global), training, options, par, network, seen);
        }
    }

    @Test
    void presetsOnH100NodesShouldCostExactlyWhatTheirLedgersCost() {
        GpuSpec h100 = GpuPresets.find("h100-sxm-80gb").orElseThrow();
        for (String name : List.of("llama-2-7b", "llama-3.1-70b", "mixtral-8x7b", "qwen3-30b-a3b", "gemma-2b")) {
            Architecture model = ModelPresets.find(name).orElseThrow().architecture();
            for (Parallelism par : List.of(new Parallelism(8, 8, 16, 1, 4), new Parallelism(2, 2, 7, 2, 2),
                    new Parallelism(4, 1, 1, 1, 2), new Parallelism(1, 2, 3, 1, 1))) {
                if (model.numAttentionHeads() % par.tensor() != 0 || model.numKeyValueHeads() % par.tensor() != 0
                        || (!model.isMoe() && par.expert() > 1)) {
                    continue;
                }
                Network network = Network.of(new Cluster(h100, (int) par.gpuCount(), 8));
                for (ZeroStage zero : ZeroStage.values()) {
                    for (Recomputation mode : Recomputation.values()) {
                        for (boolean sp : new boolean[] { false, true }) {
                            ActivationOptions options = new ActivationOptions(mode, AttentionKernel.FLASH,
                                    sp && par.tensor() > 1, false, false, true, DType.BF16);
                            assertSameSeconds(model, new BatchShape(2, 8192, 2L * par.data() * 16),
                                    new Training(Precision.MIXED_BF16, Optimizer.ADAMW, zero), options, par, network,
                                    name + " " + par + " " + zero + " " + mode + " sp " + sp);
                        }
                    }
                }
            }
        }
    }

    private static void assertSameSeconds(Architecture model, BatchShape batch, Training training,
            ActivationOptions options, Parallelism par, Network network, String seen) {
        List<StageTraffic> ledger = CommunicationCalculator.estimate(
                TrainingRun.full(model, batch, training, options, par), RankOrder.MEGATRON, network).stages();
        CommunicationSeconds seconds = CommunicationSeconds.of(model, par, RankOrder.MEGATRON, network);
        StageSeconds[] fastStages = seconds.stages(batch, training, options);
        int n = fastStages.length;
        assertThat(n).as(seen).isEqualTo(seconds.distinctStages());
        Set<List<Long>> fast = new HashSet<>();
        for (StageSeconds stage : fastStages) {
            fast.add(bits(stage));
        }
        Set<List<Long>> full = new HashSet<>();
        for (StageTraffic stage : ledger) {
            full.add(bits(stage.seconds()));
        }
        assertThat(fast).as(seen).isEqualTo(full);
        assertThat(n).as(seen).isLessThanOrEqualTo(ledger.size());
    }

    private static List<Long> bits(StageSeconds s) {
        return List.of(Double.doubleToRawLongBits(s.total()), Double.doubleToRawLongBits(s.exposed()),
                Double.doubleToRawLongBits(s.layerByLayer()), Double.doubleToRawLongBits(s.lastBackward()),
                Double.doubleToRawLongBits(s.eachBackward()), Double.doubleToRawLongBits(s.weightGradient()),
                Double.doubleToRawLongBits(s.tensorCritical()), Double.doubleToRawLongBits(s.parameterGather()),
                Double.doubleToRawLongBits(s.expert()), Double.doubleToRawLongBits(s.layerByLayerLatency()),
                Double.doubleToRawLongBits(s.pipeline()), Double.doubleToRawLongBits(s.context()),
                Double.doubleToRawLongBits(s.contextExposed()));
    }
}
