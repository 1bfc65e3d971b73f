package dev.llmcalc.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import dev.llmcalc.core.hardware.Cluster;
import dev.llmcalc.core.hardware.KernelEfficiency;
import dev.llmcalc.core.hardware.GpuPresets;
import dev.llmcalc.core.compute.TrainingFlops;
import dev.llmcalc.core.memory.FrameworkAllowance;
import dev.llmcalc.core.memory.TrainingMemoryCalculator;
import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.model.ModelPresets;
import dev.llmcalc.core.run.ActivationOptions;
import dev.llmcalc.core.run.AttentionKernel;
import dev.llmcalc.core.run.BatchShape;
import dev.llmcalc.core.run.Optimizer;
import dev.llmcalc.core.run.Precision;
import dev.llmcalc.core.run.RecomputeModule;
import dev.llmcalc.core.run.Recomputation;
import dev.llmcalc.core.run.Training;
import dev.llmcalc.core.run.ZeroStage;
import org.junit.jupiter.api.Test;

class PlannerTests {

    static PlanSearch search(String model, String gpu, int gpus, long sequence, long globalBatch) {
        return new PlanSearch(ModelPresets.find(model).orElseThrow().architecture(), sequence, globalBatch,
                Precision.MIXED_BF16, Optimizer.ADAMW, AttentionKernel.FLASH,
                new Cluster(GpuPresets.find(gpu).orElseThrow(), gpus, 8),
                new PlanConstraints(8, Integer.MAX_VALUE, 8, 16, 1.0, List.of(ZeroStage.values()),
                        List.of(Recomputation.values())),
                KernelEfficiency.A100, 10, FrameworkAllowance.DEFAULT);
    }

    @Test
    void llama7bOnEightH100ShouldReturnFittingPlansWhoseMemoryMatchesTheTrainingEstimate() {
        PlanSearch q = search("llama-2-7b", "h100-sxm-80gb", 8, 4096, 1024);
        PlanResult result = Planner.search(q);
        assertThat(result.plans()).hasSize(10);
        Plan best = result.plans().get(0);
        assertThat(best.perGpuBytes()).isLessThan(q.cluster().gpu().memoryBytes());
        for (Plan plan : result.plans()) {
            Layout layout = plan.layout();
            long expected = TrainingMemoryCalculator.estimate(q.model(),
                    new BatchShape(layout.microBatchSize(), 4096, 1024),
                    new Training(Precision.MIXED_BF16, Optimizer.ADAMW, layout.zeroStage()),
                    new ActivationOptions(layout.recomputation(), AttentionKernel.FLASH, layout.sequenceParallel(),
                            false, false, true, Precision.MIXED_BF16.activations()),
                    layout.parallelism(), FrameworkAllowance.DEFAULT, 0).totalBytes();
            assertThat(plan.perGpuBytes()).as(layout.toString()).isEqualTo(expected);
            assertThat(plan.layout().parallelism().gpuCount()).isEqualTo(8);
            // MFU counts the attention square whole, the step time runs it causally (FlashAttention): MFU may exceed
            // the largest kernel share by exactly that saving, never more
            double whole = TrainingFlops.forwardPerToken(q.model(), 4096, false).total();
            double causal = TrainingFlops.forwardPerToken(q.model(), 4096, true).total();
            KernelEfficiency e = q.efficiency();
            assertThat(plan.mfu()).isBetween(0.0, Math.max(e.matmul(), e.attention()) * whole / causal);
        }
        // ranked by step time, then memory
        for (int i = 1; i < result.plans().size(); i++) {
            assertThat(result.plans().get(i).step().totalSeconds())
                    .isGreaterThanOrEqualTo(result.plans().get(i - 1).step().totalSeconds());
        }
        assertThat(result.evaluated()).isGreaterThan(result.fitting());
    }

    @Test
    void llama70bOnEightA100_40ShouldFitNothingAndSayWhy() {
        PlanResult result = Planner.search(search("llama-3.1-70b", "a100-sxm-40gb", 8, 4096, 1024));
        assertThat(result.plans()).isEmpty();
        assertThat(result.fitting()).isZero();
        assertThat(result.rejected()).containsKey(Planner.DOES_NOT_FIT);
        assertThat(result.rejected().get(Planner.DOES_NOT_FIT)).isEqualTo(result.evaluated());
    }

    @Test
    void sameRequestShouldGiveTheSameRanking() {
        PlanSearch q = search("mixtral-8x7b", "h100-sxm-80gb", 64, 4096, 512);
        assertThat(Planner.search(q)).isEqualTo(Planner.search(q));
    }

    @Test
    void pruningShouldReturnTheSameTopPlansAsEvaluatingEverything() {
        // the lower bound (compute + bubble) may skip the communication ledger only for provably slower plans
        PlanSearch q = search("llama-2-7b", "a100-sxm-80gb", 8, 2048, 16);
        PlanResult pruned = Planner.search(q);
        PlanSearch all = new PlanSearch(q.model(), q.sequenceLength(), q.globalBatchSize(), q.precision(),
                q.optimizer(), q.attention(), q.cluster(), q.constraints(), q.efficiency(), PlanSearch.MAX_LIMIT,
                q.allowance());
        PlanResult everything = Planner.search(all);
        assertThat(everything.fitting()).isLessThan(PlanSearch.MAX_LIMIT);
        assertThat(everything.communicationEvaluated()).isEqualTo(everything.fitting());
        assertThat(pruned.communicationEvaluated()).isLessThan(everything.communicationEvaluated());
        assertThat(pruned.plans()).isEqualTo(everything.plans().subList(0, pruned.plans().size()));
    }

    @Test
    void pricedCommunicationShouldGiveExactlyWhatFullLedgersGive() {
        // CommunicationSeconds replaces the ledger inside the search; the result must not change by a bit
        List<PlanSearch> searches = List.of(search("llama-2-7b", "h100-sxm-80gb", 8, 4096, 1024),
                search("mixtral-8x7b", "h100-sxm-80gb", 64, 4096, 512),
                search("qwen3-30b-a3b", "h100-sxm-80gb", 32, 8192, 256),
                search("gemma-2b", "a100-sxm-40gb", 16, 2048, 96),
                search("llama-3.1-70b", "h100-sxm-80gb", 512, 8192, 1024));
        for (PlanSearch q : searches) {
            for (int limit : new int[] { 10, PlanSearch.MAX_LIMIT }) {
                PlanSearch r = new PlanSearch(q.model(), q.sequenceLength(), q.globalBatchSize(), q.precision(),
                        q.optimizer(), q.attention(), q.cluster(), q.constraints(), q.efficiency(), limit,
                        q.allowance());
                assertThat(Planner.search(r)).as(q.model() + " limit " + limit).isEqualTo(Planner.search(r, true));
            }
        }
    }

    @Test
    void megatronRecipeSettingsShouldGiveExactlyTheReferenceAnswersAndTheLedgersAnswers() {
        // the fused gated activation (memory) and blocking pipeline sends (time, interleaved plans only) change what
        // fits and how it ranks: the pruned search, the full ledgers and the reference planner must still agree
        PlanSearch base = search("llama-3.1-70b", "h100-sxm-80gb", 64, 8192, 128);
        PlanSearch fused = new PlanSearch(base.model(), base.sequenceLength(), base.globalBatchSize(),
                Precision.MIXED_FP8_BF16_GRADS, base.optimizer(), base.attention(), false, false, base.cluster(),
                base.constraints(), base.efficiency(), 20, base.allowance(), true);
        PlanSearch blocking = fused.withEfficiency(fused.efficiency().withPipelineOverlap(false));
        for (PlanSearch q : List.of(fused, blocking)) {
            PlanResult result = Planner.search(q);
            assertThat(result).isEqualTo(ReferencePlanner.search(q)).isEqualTo(Planner.search(q, true));
            assertThat(result.plans()).isNotEmpty();
        }
        // the fused activation keeps less, so at least as many layouts fit; hiding the sends makes no plan slower
        assertThat(Planner.search(fused).fitting()).isGreaterThanOrEqualTo(Planner.search(
                new PlanSearch(fused.model(), fused.sequenceLength(), fused.globalBatchSize(), fused.precision(),
                        fused.optimizer(), fused.attention(), false, false, fused.cluster(), fused.constraints(),
                        fused.efficiency(), 20, fused.allowance(), false)).fitting());
        assertThat(Planner.search(fused).plans().get(0).step().totalSeconds())
                .isLessThanOrEqualTo(Planner.search(blocking).plans().get(0).step().totalSeconds());
    }

    @Test
    void presetSearchesShouldGiveExactlyTheReferenceAnswers() {
        List<PlanSearch> searches = List.of(search("llama-2-7b", "h100-sxm-80gb", 8, 4096, 1024),
                search("llama-2-7b", "a100-sxm-80gb", 8, 2048, 16), search("mixtral-8x7b", "h100-sxm-80gb", 64, 4096, 512),
                search("qwen3-30b-a3b", "h100-sxm-80gb", 32, 8192, 256), search("gemma-2b", "a100-sxm-40gb", 16, 2048, 96),
                search("llama-3.1-70b", "a100-sxm-40gb", 8, 4096, 1024),
                search("llama-2-7b", "h100-sxm-80gb", 12, 4096, 1024),
                search("llama-3.1-70b", "h100-sxm-80gb", 4096, 8192, 2048));
        for (PlanSearch q : searches) {
            assertThat(Planner.search(q)).as(q.model() + " on " + q.cluster()).isEqualTo(ReferencePlanner.search(q));
        }
    }

    @Test
    void randomSearchesShouldGiveExactlyTheReferenceAnswers() {
        // memory computed once per stage and batch, candidates taken from a heap, communication priced without
        // its ledger: the answers (plans, counts, rejections) and any failure must be exactly the reference's
        long seed = dev.llmcalc.core.Seeds.seed();
        java.util.SplittableRandom random = dev.llmcalc.core.Seeds.random();
        int[] gpuCounts = { 1, 2, 4, 6, 8, 12, 16, 24, 32, 48, 64, 128 };
        List<String> gpus = List.of("h100-sxm-80gb", "a100-sxm-40gb", "a100-sxm-80gb");
        for (int i = 0; i < dev.llmcalc.core.Seeds.cases() / 10; i++) {
            Architecture model = random.nextBoolean() ? dev.llmcalc.core.RandomArchitectures.any(random)
                    : dev.llmcalc.core.RandomArchitectures.llamaShaped(random);
            List<ZeroStage> zeros = new java.util.ArrayList<>();
            for (ZeroStage zero : ZeroStage.values()) {
                if (random.nextInt(3) > 0) {
                    zeros.add(zero);
                }
            }
            List<Recomputation> modes = new java.util.ArrayList<>();
            for (Recomputation mode : Recomputation.values()) {
                if (random.nextInt(3) > 0) {
                    modes.add(mode);
                }
            }
            if (zeros.isEmpty()) {
                zeros.add(ZeroStage.ZERO_1);
            }
            if (modes.isEmpty()) {
                modes.add(Recomputation.SELECTIVE);
            }
            int count = gpuCounts[random.nextInt(gpuCounts.length)];
            PlanSearch q = new PlanSearch(model, 256L * random.nextInt(1, 33), random.nextInt(1, 9) * 8L * random.nextInt(1, 33),
                    Precision.values()[random.nextInt(Precision.values().length)], Optimizer.ADAMW,
                    AttentionKernel.FLASH, random.nextBoolean(), random.nextBoolean(), hostMemory(random,
                            new Cluster(GpuPresets.find(gpus.get(random.nextInt(gpus.size()))).orElseThrow(), count,
                                    random.nextBoolean() ? 8 : 4)),
                    new PlanConstraints(1 << random.nextInt(0, 4), random.nextInt(1, 65), 1 << random.nextInt(0, 4),
                            random.nextInt(1, 33), random.nextDouble(0.2, 1.0), zeros, modes, random.nextBoolean(),
                            random.nextInt(1, 5), model.isMoe() && random.nextInt(4) == 0 ? 1 << random.nextInt(0, 3)
                                    : 0, switch (random.nextInt(4)) {
                                        case 0 -> List.of(dev.llmcalc.core.run.Offload.NONE);
                                        case 1 -> List.of(dev.llmcalc.core.run.Offload.NONE,
                                                PlanConstraints.OPTIMIZER_ON_CPU);
                                        case 2 -> List.of(PlanConstraints.OPTIMIZER_ON_CPU);
                                        default -> List.of(dev.llmcalc.core.run.Offload.NONE,
                                                PlanConstraints.OPTIMIZER_ON_CPU, PlanConstraints.STATES_ON_CPU);
                                    }, modes.contains(Recomputation.SELECTIVE) && random.nextBoolean()
                                            ? randomModuleSets(random) : List.of()),
                    KernelEfficiency.A100.withComputeShare(random.nextDouble(0.2, 0.8)), random.nextInt(1, 40),
                    FrameworkAllowance.DEFAULT);
            String seen = "seed " + seed + ", case " + i + ": " + q;
            PlanResult expected;
            try {
                expected = ReferencePlanner.search(q);
            }
            catch (RuntimeException ex) {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> Planner.search(q)).as(seen)
                        .isInstanceOf(ex.getClass()).hasMessage(ex.getMessage());
                continue;
            }
            PlanResult result = Planner.search(q);
            assertThat(result).as(seen).isEqualTo(expected);
            // and every plan's memory is what /memory/training answers for it (the search computes it by stage)
            for (Plan plan : result.plans()) {
                assertThat(plan.perGpuBytes()).as(seen + " " + plan.layout())
                        .isEqualTo(Planner.memory(q, plan).totalBytes());
            }
        }
    }

    // the preset node's host memory, or a small one (1 to 64 GiB) that offloading plans may not fit
    private static Cluster hostMemory(java.util.SplittableRandom random, Cluster cluster) {
        return random.nextInt(3) == 0 ? cluster.withHostMemoryBytesPerNode(random.nextLong(1L << 30, 64L << 30))
                : cluster;
    }

    // one to three random non-empty sets of Megatron-Core recompute modules
    private static List<java.util.Set<RecomputeModule>> randomModuleSets(java.util.SplittableRandom random) {
        List<java.util.Set<RecomputeModule>> sets = new java.util.ArrayList<>();
        for (int n = random.nextInt(1, 4); sets.size() < n;) {
            java.util.Set<RecomputeModule> set = java.util.EnumSet.noneOf(RecomputeModule.class);
            for (RecomputeModule module : RecomputeModule.values()) {
                if (random.nextInt(3) == 0) {
                    set.add(module);
                }
            }
            if (!set.isEmpty()) {
                sets.add(set);
            }
        }
        return sets;
    }

    @Test
    void recomputeModuleSetsShouldBeSearchedAndPricedAsTheChecksPriceThem() {
        // Llama-3.1-70B on 16 H100 at 4,096 tokens, ZeRO-3 and selective recomputation: the attention core alone
        // fits nowhere; also rebuilding the MLP and the norms (Megatron-Core --recompute-modules) fits
        PlanSearch base = search("llama-3.1-70b", "h100-sxm-80gb", 16, 4096, 64);
        java.util.Set<RecomputeModule> modules = java.util.Set.of(RecomputeModule.CORE_ATTN, RecomputeModule.MLP,
                RecomputeModule.LAYERNORM);
        PlanResult attentionOnly = Planner.search(withRecomputeModules(base, List.of()));
        assertThat(attentionOnly.fitting()).isZero();
        PlanResult result = Planner.search(withRecomputeModules(base, List.of(modules)));
        assertThat(result.fitting()).isPositive();
        // both sets evaluated: twice the candidates of the attention core alone
        assertThat(result.evaluated()).isEqualTo(2 * attentionOnly.evaluated());
        Plan best = result.plans().get(0);
        Layout layout = best.layout();
        assertThat(layout.recomputation()).isEqualTo(Recomputation.SELECTIVE);
        assertThat(layout.recomputeModules()).isEqualTo(modules);
        // memory as /memory/training keeps it with those modules, step time as /checks prices the same run
        BatchShape batch = new BatchShape(layout.microBatchSize(), 4096, 64);
        Training training = new Training(Precision.MIXED_BF16, Optimizer.ADAMW, layout.zeroStage());
        ActivationOptions options = new ActivationOptions(Recomputation.SELECTIVE, AttentionKernel.FLASH,
                layout.sequenceParallel(), false, false, true, Precision.MIXED_BF16.activations(),
                dev.llmcalc.core.run.AdapterActivations.NONE, modules);
        assertThat(best.perGpuBytes()).isEqualTo(TrainingMemoryCalculator.estimate(base.model(), batch, training,
                options, layout.parallelism(), FrameworkAllowance.DEFAULT, 0).totalBytes());
        dev.llmcalc.core.run.TrainingRun run = dev.llmcalc.core.run.TrainingRun.full(base.model(), batch, training,
                options, layout.parallelism());
        assertThat(best.step().totalSeconds())
                .isEqualTo(StepTimeModel.step(run, base.cluster(), base.efficiency()).totalSeconds());
        // rebuilding the MLP costs its forward matmuls again: more recomputation than the attention core alone
        assertThat(best.step().kernels().recomputationSeconds()).isGreaterThan(
                StepTimeModel.step(dev.llmcalc.core.run.TrainingRun.full(base.model(), batch, training,
                        options.withRecomputation(Recomputation.NONE).withRecomputation(Recomputation.SELECTIVE),
                        layout.parallelism()),
                        base.cluster(), base.efficiency()).kernels().recomputationSeconds());
    }

    private static PlanSearch withRecomputeModules(PlanSearch q, List<java.util.Set<RecomputeModule>> sets) {
        PlanConstraints c = new PlanConstraints(8, 80, 1, 16, 1.0, List.of(ZeroStage.ZERO_3),
                List.of(Recomputation.SELECTIVE), true, 4, 0, List.of(dev.llmcalc.core.run.Offload.NONE), sets);
        return new PlanSearch(q.model(), q.sequenceLength(), q.globalBatchSize(), q.precision(), q.optimizer(),
                q.attention(), q.cluster(), c, q.efficiency(), 10, q.allowance());
    }

    @Test
    void aMixtureOfExpertsSearchShouldAnswerForEveryExpertDegree() {
        // Mixtral-8x7B on 64 H100: every divisor of the 8 experts is tried; the answer's best plan is the best of
        // its own degree, each degree's counts add up, and the degrees together are the whole search
        PlanResult r = Planner.search(search("mixtral-8x7b", "h100-sxm-80gb", 64, 4096, 512));
        assertThat(r.expertDegrees()).extracting(ExpertDegree::expert).containsExactly(1, 2, 4, 8);
        Plan best = r.plans().get(0);
        for (ExpertDegree e : r.expertDegrees()) {
            assertThat(e.best()).as("e = " + e.expert()).isNotNull();
            assertThat(e.best().step().totalSeconds()).isGreaterThanOrEqualTo(best.step().totalSeconds());
            assertThat(e.fitting() + e.rejected().getOrDefault(Planner.DOES_NOT_FIT, 0L)).isEqualTo(e.evaluated());
        }
        assertThat(r.expertDegrees().stream().filter((e) -> e.expert() == best.layout().parallelism().expert())
                .findFirst().orElseThrow().best()).isEqualTo(best);
        assertThat(r.expertDegrees().stream().mapToLong(ExpertDegree::evaluated).sum()).isEqualTo(r.evaluated());
        // e = 8 needs data × context divisible by 8: the splits where it is not are named
        assertThat(r.expertDegrees().get(3).rejected()).containsKey(Planner.EXPERT_DATA);
        // on 8 GPUs the 46.7B parameters' 16 bytes each exceed 8 × 80 GB whatever the degree, and each says so
        PlanResult small = Planner.search(search("mixtral-8x7b", "h100-sxm-80gb", 8, 4096, 512));
        assertThat(small.plans()).isEmpty();
        for (ExpertDegree e : small.expertDegrees()) {
            assertThat(e.best()).isNull();
            assertThat(e.rejected().get(Planner.DOES_NOT_FIT)).isEqualTo(e.evaluated());
        }
        // constraints.expert keeps one degree, and the others are counted as left out
        PlanSearch q = search("mixtral-8x7b", "h100-sxm-80gb", 64, 4096, 512);
        PlanResult four = Planner.search(new PlanSearch(q.model(), q.sequenceLength(), q.globalBatchSize(),
                q.precision(), q.optimizer(), q.attention(), q.cluster(), q.constraints().withExpert(4), q.efficiency(),
                q.limit(), q.allowance()));
        assertThat(four.expertDegrees()).extracting(ExpertDegree::expert).containsExactly(4);
        assertThat(four.plans()).allMatch((plan) -> plan.layout().parallelism().expert() == 4);
        assertThat(four.rejected()).containsKey(Planner.EXPERT_CONSTRAINT);
        assertThat(Planner.search(search("llama-2-7b", "h100-sxm-80gb", 8, 4096, 64)).expertDegrees()).isEmpty();
    }

    @Test
    void aSearchOverSeveralPrecisionsShouldBeTheBestOfEachSearch() {
        PlanSearch q = search("llama-2-7b", "h100-sxm-80gb", 8, 4096, 256);
        PlanResult bf16 = Planner.search(q.withPrecision(Precision.MIXED_BF16));
        PlanResult fp8 = Planner.search(q.withPrecision(Precision.MIXED_FP8));
        PlanResult both = Planner.search(q, List.of(Precision.MIXED_BF16, Precision.MIXED_FP8));
        // FP8's linear GEMMs at twice the peak: its best plan is faster, and it leads the merged answer
        assertThat(fp8.plans().get(0).step().totalSeconds()).isLessThan(bf16.plans().get(0).step().totalSeconds());
        assertThat(both.plans().get(0)).isEqualTo(fp8.plans().get(0));
        assertThat(both.plans()).hasSize(q.limit()).isSortedAccordingTo(
                java.util.Comparator.comparingDouble((Plan plan) -> plan.step().totalSeconds()));
        assertThat(both.evaluated()).isEqualTo(bf16.evaluated() + fp8.evaluated());
        assertThat(both.fitting()).isEqualTo(bf16.fitting() + fp8.fitting());
        assertThat(both.assumptions().get(both.assumptions().size() - 1)).startsWith("Precisions searched");
        // the memory of a plan is the one of its own precision
        Plan first = both.plans().get(0);
        assertThat(Planner.memory(q, first).totalBytes()).isEqualTo(first.perGpuBytes());
        // one precision in the list is that search
        assertThat(Planner.search(q, List.of(Precision.MIXED_FP8))).isEqualTo(fp8);
    }

    @Test
    void layoutOrderShouldBeTheOrderOfTheLayoutKeys() {
        java.util.SplittableRandom random = dev.llmcalc.core.Seeds.random();
        for (int i = 0; i < dev.llmcalc.core.Seeds.cases() * 10; i++) {
            Layout a = randomLayout(random);
            Layout b = random.nextInt(4) == 0 ? a : randomLayout(random);
            assertThat(Integer.signum(Planner.LAYOUT_ORDER.compare(a, b))).as(a + " vs " + b)
                    .isEqualTo(Integer.signum(java.util.Arrays.compare(a.key(), b.key())));
        }
    }

    private static Layout randomLayout(java.util.SplittableRandom random) {
        int d = 1 << random.nextInt(0, 3);
        int c = 1 << random.nextInt(0, 2);
        int p = 1 << random.nextInt(0, 2);
        return new Layout(new dev.llmcalc.core.parallel.Parallelism(d, 1 << random.nextInt(0, 2),
                p, random.nextBoolean() ? 1 : d * c, c, p > 1 ? random.nextInt(1, 3) : 1),
                ZeroStage.values()[random.nextInt(2)], Recomputation.values()[random.nextInt(2)], random.nextBoolean(),
                random.nextInt(1, 3));
    }

    @Test
    void stepTimeShouldAddComputeBubbleAndExposedCommunication() {
        PlanResult result = Planner.search(search("llama-2-7b", "h100-sxm-80gb", 16, 4096, 256));
        for (Plan plan : result.plans()) {
            StepTime step = plan.step();
            int p = plan.layout().parallelism().pipeline();
            // one micro-batch through the other stages: at most (p − 1) slowest-stage micro-batches, none without
            // pipelining
            double microBatch = (step.kernels().totalSeconds() - step.kernels().optimizerSeconds())
                    / plan.microBatches();
            assertThat(step.bubbleSeconds()).isBetween(0.0, microBatch * (p - 1) * (1 + 1e-12));
            if (p == 1) {
                assertThat(step.bubbleSeconds()).isZero();
            }
            assertThat(step.computeSeconds()).isEqualTo(step.kernels().totalSeconds());
            assertThat(step.totalSeconds()).isEqualTo(
                    step.computeSeconds() + step.bubbleSeconds() + step.exposedCommunicationSeconds());
        }
    }

    @Test
    void structuralRejectionsShouldBeCounted() {
        // 12 GPUs: tensor 3 or 6 does not divide Llama-2-7B's 32 heads; 1024 is not divisible by 3
        PlanResult result = Planner.search(search("llama-2-7b", "h100-sxm-80gb", 12, 4096, 1024));
        assertThat(result.rejected()).containsKeys(Planner.TENSOR_HEADS, Planner.DATA_BATCH);
        Architecture llama = ModelPresets.find("llama-2-7b").orElseThrow().architecture();
        assertThat(llama.numAttentionHeads() % 3).isNotZero();
    }
}
