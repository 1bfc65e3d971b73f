package dev.llmcalc.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import dev.llmcalc.core.hardware.Cluster;
import dev.llmcalc.core.hardware.KernelEfficiency;
import dev.llmcalc.core.hardware.TensorOverlap;
import dev.llmcalc.core.hardware.GpuPresets;
import dev.llmcalc.core.hardware.GpuSpec;
import dev.llmcalc.core.memory.FrameworkAllowance;
import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.model.MlpType;
import dev.llmcalc.core.model.ModelPresets;
import dev.llmcalc.core.model.NormType;
import dev.llmcalc.core.model.PositionEmbedding;
import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.run.ActivationOptions;
import dev.llmcalc.core.run.AdapterActivations;
import dev.llmcalc.core.run.AttentionKernel;
import dev.llmcalc.core.run.BatchShape;
import dev.llmcalc.core.run.Optimizer;
import dev.llmcalc.core.run.Precision;
import dev.llmcalc.core.run.Recomputation;
import dev.llmcalc.core.run.RecomputeModule;
import dev.llmcalc.core.run.Training;
import dev.llmcalc.core.run.TrainingRun;
import dev.llmcalc.core.run.ZeroStage;

/**
 * The step-time model against published, measured training runs ({@code reference/measured-runs.json}): each run's
 * predicted step seconds ({@code /checks}' step time) against the measured ones. The bounds below are what the model
 * achieves today (the goal is a mean of 7 % on the fitted runs and 10 % on the others); they guard against
 * getting worse. The table is written to {@code target/measured-runs.md} for the README.
 */
class MeasuredRunsTests {

    /** One run's prediction: {@code /checks}' step time against the measured one. */
    record Outcome(String id, String set, double measuredSeconds, double predictedSeconds) {

        double error() {
            return this.predictedSeconds / this.measuredSeconds - 1;
        }
    }

    static List<Outcome> outcomes() throws IOException {
        JsonNode doc = measuredRuns();
        List<Outcome> outcomes = new ArrayList<>();
        for (JsonNode run : doc.get("runs")) {
            outcomes.add(new Outcome(run.get("id").asString(), run.get("set").asString(), measuredSeconds(run),
                    predictedSeconds(run)));
        }
        return outcomes;
    }

    // GPT as the papers train it: learned positions, LayerNorm, biases (MPT: none, "biases": false), a GELU FFN of
    // 4h, tied embedding and head
    static Architecture gpt(JsonNode model) {
        int h = model.get("hiddenSize").asInt();
        boolean biases = !model.has("biases") || model.get("biases").asBoolean();
        // GPT's block unless the run says otherwise (GLM-130B: GeGLU of width 32,768, rotary positions)
        int ffn = model.has("intermediateSize") ? model.get("intermediateSize").asInt() : 4 * h;
        MlpType mlp = model.has("mlp") ? MlpType.valueOf(model.get("mlp").asString()) : MlpType.STANDARD;
        PositionEmbedding positions = model.has("positionEmbedding")
                ? PositionEmbedding.valueOf(model.get("positionEmbedding").asString()) : PositionEmbedding.LEARNED;
        return Architecture.builder().vocabSize(model.get("vocabSize").asInt()).hiddenSize(h)
                .numLayers(model.get("numLayers").asInt()).numAttentionHeads(model.get("numAttentionHeads").asInt())
                .intermediateSize(ffn).mlp(mlp).norm(NormType.LAYER_NORM).qkvBias(biases)
                .attentionOutputBias(biases).mlpBias(biases).tiedEmbeddings(!model.has("tiedEmbeddings") || model.get("tiedEmbeddings").asBoolean())
                .positionEmbedding(positions).maxPositionEmbeddings(model.get("sequenceLength").asInt())
                .build();
    }

    static double measuredSeconds(JsonNode run) {
        JsonNode measured = run.get("measured");
        if (measured.get("kind").asString().equals("STEP_SECONDS")) {
            return measured.get("value").asDouble();
        }
        if (measured.get("kind").asString().equals("TOKENS_PER_SECOND_PER_GPU")) {
            // global batch × s tokens per step at the measured rate of every GPU
            return run.get("globalBatch").asDouble() * run.get("model").get("sequenceLength").asDouble()
                    / (measured.get("value").asDouble() * run.get("gpus").asDouble());
        }
        if (measured.get("kind").asString().equals("MEGATRON_CORE_TFLOPS_PER_GPU")) {
            JsonNode mo = run.get("model");
            double h = mo.get("hiddenSize").asDouble(), L = mo.get("numLayers").asDouble(), s = mo.get("sequenceLength").asDouble(), v = mo.get("vocabSize").asDouble();
            double f = 72 * run.get("globalBatch").asDouble() * s * L * h * h * (1 + s / (6 * h) + v / (12 * L * h));
            return f / (run.get("gpus").asDouble() * measured.get("value").asDouble() * 1e12);
        }
        // Narayanan et al. 2021 §5.1: 96·B·s·L·h²·(1 + s/(6h) + V/(16·L·h)) FLOPs per step with full recomputation
        JsonNode model = run.get("model");
        double h = model.get("hiddenSize").asDouble();
        double layers = model.get("numLayers").asDouble();
        double s = model.get("sequenceLength").asDouble();
        double v = model.get("vocabSize").asDouble();
        double flops = 96 * run.get("globalBatch").asDouble() * s * layers * h * h
                * (1 + s / (6 * h) + v / (16 * layers * h));
        return flops / (run.get("gpus").asDouble() * measured.get("value").asDouble() * 1e12);
    }

    // the model: a catalogue preset where the run names one ("preset": Llama 3 and the like), else a GPT block
    static Architecture architecture(JsonNode model) {
        if (model.has("preset")) {
            return ModelPresets.find(model.get("preset").asString()).orElseThrow().architecture();
        }
        return gpt(model);
    }

    static TrainingRun plan(JsonNode run) {
        JsonNode model = run.get("model");
        Architecture gpt = architecture(model);
        int t = run.get("tensor").asInt();
        int p = run.get("pipeline").asInt();
        int c = run.has("context") ? run.get("context").asInt() : 1;
        int ep = run.has("expert") ? run.get("expert").asInt() : 1;
        int gpus = run.get("gpus").asInt();
        Parallelism par = new Parallelism(gpus / (t * p * c), t, p, ep, c, run.get("virtualPipeline").asInt());
        Training training = new Training(Precision.valueOf(run.get("precision").asString()), Optimizer.ADAM,
                ZeroStage.of(run.get("zeroStage").asInt()));
        java.util.Set<RecomputeModule> modules = new java.util.HashSet<>();
        if (run.has("recomputeModules")) {
            for (JsonNode id : run.get("recomputeModules")) {
                modules.add(RecomputeModule.of(id.asString(), "recomputeModules"));
            }
        }
        ActivationOptions options = new ActivationOptions(Recomputation.valueOf(run.get("recomputation").asString()),
                AttentionKernel.valueOf(run.get("attention").asString()), run.get("sequenceParallel").asBoolean(),
                run.get("dropout").asBoolean(), run.get("dropout").asBoolean(), true, training.precision().activations(),
                AdapterActivations.NONE, modules, training.precision().fp8());
        long microBatch = run.get("microBatch").isNumber() ? run.get("microBatch").asLong()
                : fastestMicroBatch(run, gpt, training, options, par);
        BatchShape batch = new BatchShape(microBatch, model.get("sequenceLength").asLong(),
                run.get("globalBatch").asLong());
        TrainingRun plan = TrainingRun.full(gpt, batch, training, options, par);
        return plan;
    }

    // a run that does not publish its micro-batch ("microBatch": "fastest"), as a tuned benchmark would run it: the
    // micro-batch that fits and that this model prices fastest for the published layout (/plans with the layout's
    // degrees, ZeRO stage, recomputation and sequence parallelism fixed)
    static long fastestMicroBatch(JsonNode run, Architecture model, Training training, ActivationOptions options,
            Parallelism par) {
        Cluster cluster = cluster(run);
        PlanConstraints fixed = PlanConstraints.defaults(model, cluster).with(new PlanConstraints.Overrides(par.tensor(),
                par.pipeline(), par.context(), null, null, training.zeroStage(), options.recomputation(),
                options.sequenceParallel(), par.virtualPipeline(), null));
        PlanSearch q = new PlanSearch(model, run.get("model").get("sequenceLength").asLong(),
                run.get("globalBatch").asLong(),
                training.precision(), Optimizer.ADAM, options.attention(), options.dropout(), options.residualDropout(),
                cluster, fixed, efficiency(run), PlanSearch.MAX_LIMIT, FrameworkAllowance.DEFAULT);
        return Planner.search(q).plans().stream().filter((p) -> p.layout().parallelism().equals(par)).findFirst()
                .orElseThrow(() -> new AssertionError(run.get("id").asString() + ": the published layout does not fit"))
                .layout().microBatchSize();
    }

    static Cluster cluster(JsonNode run) {
        GpuSpec gpu = GpuPresets.find(run.get("gpu").asString()).orElseThrow();
        if (run.has("interNodeGBps")) {
            // the run's own network where it differs from the catalog's reference system
            gpu = new GpuSpec(gpu.id(), gpu.name(), gpu.vendor(), gpu.memoryBytes(), gpu.densePeakFlops(),
                    gpu.memoryBandwidth(), gpu.intraNodeBandwidth(), run.get("interNodeGBps").asDouble() * 1e9,
                    gpu.hostLinkBandwidth(), gpu.boardPowerWatts(), gpu.gpusPerNode(), gpu.hostMemoryBytesPerNode(),
                    gpu.multiprocessors(), gpu.source());
        }
        return new Cluster(gpu, run.get("gpus").asInt(), run.get("gpusPerNode").asInt());
    }

    static double predictedSeconds(JsonNode run) {
        Cluster cluster = cluster(run);
        return CapacityCheck.check(plan(run), cluster, FrameworkAllowance.DEFAULT, efficiency(run),
                Requirements.NONE).step().totalSeconds();
    }

    /** The GPU's default shares, with the run's ZeRO-3 implementation's bandwidth share where it names one. */
    static KernelEfficiency efficiency(JsonNode run) {
        KernelEfficiency e = KernelEfficiency.forGpu(cluster(run).gpu());
        // a run's own attention kernel (its share set from that kernel's published benchmark, not fitted) and ZeRO-3
        // implementation
        Double attention = run.has("attentionShare") ? run.get("attentionShare").asDouble() : null;
        Double zero3 = run.has("zero3Bandwidth") ? run.get("zero3Bandwidth").asDouble() : null;
        // a framework that reduces the gradients after the backward (Megatron-LM's local DDP of 2021-22)
        Double overlap = run.has("overlap") ? run.get("overlap").asDouble() : null;
        // what its framework runs behind GEMMs: tensor-parallel collectives (2021 Megatron-LM none), ZeRO-1's gathers
        TensorOverlap tensor = run.has("tensorOverlap") ? TensorOverlap.valueOf(run.get("tensorOverlap").asString())
                : null;
        Boolean gather = run.has("parameterGatherOverlap") ? run.get("parameterGatherOverlap").asBoolean() : null;
        Boolean reduction = run.has("gradientReductionOverlap") ? run.get("gradientReductionOverlap").asBoolean()
                : null;
        Boolean expert = run.has("expertOverlap") ? run.get("expertOverlap").asBoolean() : null;
        // whether its interleaved pipeline's sends run behind compute (Megatron-LM before 2023: they block)
        Boolean pipeline = run.has("pipelineOverlap") ? run.get("pipelineOverlap").asBoolean() : null;
        // whether its weight-gradient GEMMs accumulate the gradients themselves (Megatron-LM since February 2022)
        Boolean fusion = run.has("gradientAccumulationFusion") ? run.get("gradientAccumulationFusion").asBoolean()
                : null;
        return e.with(null, attention, null, zero3, overlap, tensor, gather, reduction, expert)
                .withPipelineOverlap(pipeline).withGradientAccumulationFusion(fusion);
    }

    @Test
    void theStepTimeShouldReproduceTheMeasuredRuns() throws IOException {
        List<Outcome> outcomes = outcomes();
        writeTable(outcomes);
        List<Outcome> fit = outcomes.stream().filter((o) -> o.set().equals("fit")).toList();
        List<Outcome> heldOut = outcomes.stream().filter((o) -> o.set().equals("held-out")).toList();
        // the goals: fitted runs mean ≤ 7 %, each ≤ 15 %; held-out mean ≤ 10 %, each ≤ 25 %
        assertThat(meanAbs(fit, Outcome::error)).as("fitted runs, mean").isLessThan(0.04);
        assertThat(maxAbs(fit, Outcome::error)).as("fitted runs, worst").isLessThan(0.20);
        // Table 1 (A100) and the large-scale H100 FSDP runs the Hopper GEMM share is fitted to, each on its own
        List<Outcome> t1 = fit.stream().filter((o) -> o.id().contains("table1")).toList();
        assertThat(meanAbs(t1, Outcome::error)).as("Table 1, mean").isLessThan(0.07);
        assertThat(maxAbs(t1, Outcome::error)).as("Table 1, worst").isLessThan(0.15);
        List<Outcome> h100 = fit.stream().filter((o) -> o.id().startsWith("mpt-")).toList();
        assertThat(h100).hasSize(12);
        assertThat(meanAbs(h100, Outcome::error)).as("H100 FSDP fit runs, mean").isLessThan(0.06);
        assertThat(meanAbs(heldOut, Outcome::error)).as("held-out runs, mean").isLessThan(0.10);
        assertThat(maxAbs(heldOut, Outcome::error)).as("held-out runs, worst").isLessThan(0.25);
        // calibration's default σ is this set's root-mean-square log error (8.4 %), rounded: kept honest
        double rms = Math.sqrt(heldOut.stream().mapToDouble((o) -> Math.pow(Math.log(o.predictedSeconds()
                / o.measuredSeconds()), 2)).average().orElseThrow());
        assertThat(Calibration.DEFAULT_MODEL_ERROR).as("held-out RMS log error %.4f", rms).isCloseTo(rms,
                within(0.01));
        // ZeRO-3 at scale (Narayanan et al. 2021 Table 2): the 530B runs, held out, with the per-phase overlap set on
        // the 175B ones
        List<Outcome> zero3 = heldOut.stream().filter((o) -> o.id().contains("zero3")).toList();
        assertThat(zero3).hasSize(3);
        assertThat(meanAbs(zero3, Outcome::error)).as("held-out ZeRO-3 runs, mean").isLessThan(0.10);
        // no trend with size: the small half and the large half of Table 1 err alike on average
        List<Outcome> table1 = fit.stream().filter((o) -> o.id().contains("table1")).toList();
        double small = table1.subList(0, 5).stream().mapToDouble(Outcome::error).average().orElseThrow();
        double large = table1.subList(5, 10).stream().mapToDouble(Outcome::error).average().orElseThrow();
        assertThat(Math.abs(large - small)).as("size trend of Table 1 errors").isLessThan(0.05);
        // NVIDIA NeMo's DGX-H100 FP8 rows (held out with the rest; their own mean kept from getting worse: 9.3 % with
        // the recipes' pipeline sends behind compute and Transformer Engine's casts priced)
        List<Outcome> nemo = heldOut.stream().filter((o) -> o.id().startsWith("nemo-")).toList();
        assertThat(nemo).hasSize(13);
        assertThat(meanAbs(nemo, Outcome::error)).as("NeMo H100 FP8 runs, mean").isLessThan(0.10);
        // NVIDIA NeMo's MoE rows on H100: reported outside the bounds (fine-grained MoE runs far slower than its
        // GEMMs, README); kept from getting worse
        List<Outcome> moe = outcomes.stream().filter((o) -> o.set().equals("held-out-moe")).toList();
        assertThat(moe).hasSize(2);
        assertThat(meanAbs(moe, Outcome::error)).as("MoE runs, mean").isLessThan(0.55);
        // MosaicML's FSDP runs: reported outside the bounds (the model misses them, README); kept from getting worse
        List<Outcome> fsdp = outcomes.stream().filter((o) -> o.set().equals("held-out-fsdp")).toList();
        assertThat(fsdp).hasSize(21);
        assertThat(meanAbs(fsdp, Outcome::error)).as("FSDP runs, mean").isLessThan(0.13);
    }

    @Test
    void calibratingOnOneMeasuredRunShouldMatchItAndNotWorsenTheOthers() throws IOException {
        JsonNode doc = measuredRuns();
        // the A100 80 GB runs of the table within the bounds (not the FSDP ones the model misses)
        List<JsonNode> a100 = new ArrayList<>();
        for (JsonNode run : doc.get("runs")) {
            if (run.get("gpu").asString().equals("a100-sxm-80gb") && !run.get("set").asString().equals("held-out-fsdp")) {
                a100.add(run);
            }
        }
        List<JsonNode> table1 = a100.subList(0, 10);
        assertThat(table1).allMatch((r) -> r.get("id").asString().startsWith("narayanan2021-table1-"));
        StringBuilder report = new StringBuilder();
        for (JsonNode one : table1) {
            List<Calibration.MeasuredRun> measured = List.of(measured(one, 1));
            Calibration c = Calibration.fit(measured, efficiency(one), null, plan(one).model());
            assertThat(Math.abs(c.residuals().get(0).error())).as(one.get("id").asString()).isLessThan(0.02);
            // within the model's own error: nothing of it is taken as the GPU's
            assertThat(c.gpuWideShare()).as(one.get("id").asString()).isZero();
            // the other runs of the table, and the A100 runs of other models: their mean |error| no worse
            long size = Calibration.modelSize(plan(one).model());
            List<JsonNode> otherModels = a100.stream().filter((r) -> Calibration.modelSize(plan(r).model()) != size)
                    .toList();
            List<JsonNode> sameModel = a100.stream().filter((r) -> Calibration.modelSize(plan(r).model()) == size)
                    .toList();
            double[] table = errorsBeforeAndAfter(measured, one, table1, 1);
            double[] all = errorsBeforeAndAfter(measured, one, otherModels, 1);
            // g = 0 above: nothing of it reaches another model, whose errors stay exactly as they were
            assertThat(table[1]).as("Table 1 others after calibrating on " + one.get("id").asString())
                    .isCloseTo(table[0], within(1e-12));
            assertThat(all[1]).as("A100 runs of other models after calibrating on " + one.get("id").asString())
                    .isCloseTo(all[0], within(1e-12));
            report.append(String.format(Locale.ROOT, "%s scale %.4f: Table 1 others' mean |error| %.2f %% -> %.2f %%, "
                    + "A100 runs of other models %.2f %% -> %.2f %%", one.get("id").asString(), c.scale(),
                    100 * table[2], 100 * table[3], 100 * all[2], 100 * all[3]));
            if (sameModel.size() > 1) {
                // the same model's other runs (other frameworks and layouts) take its fit: reported
                double[] same = errorsBeforeAndAfter(measured, one, sameModel, 1);
                report.append(String.format(Locale.ROOT, ", its %d other runs %.2f %% -> %.2f %%", sameModel.size() - 1,
                        100 * same[2], 100 * same[3]));
            }
            report.append('\n');
        }
        // a cluster 25 % slower (or 15 % faster) than the preset: beyond the model's own error, one run moves every
        // model (the GPU-wide share), and the others come closer
        for (double slower : new double[] {1.25, 1 / 1.15}) {
            double worst = 0;
            double worstBefore = 0;
            double meanAfter = 0;
            StringBuilder shares = new StringBuilder();
            for (JsonNode one : table1) {
                List<Calibration.MeasuredRun> measured = List.of(measured(one, slower));
                Calibration c = Calibration.fit(measured, efficiency(one), null, plan(one).model());
                assertThat(Math.abs(c.residuals().get(0).error())).isLessThan(0.02);
                double[] table = errorsBeforeAndAfter(measured, one, table1, slower);
                assertThat(table[1]).as("Table 1 others, cluster × %.2f, calibrated on %s", slower,
                        one.get("id").asString()).isLessThanOrEqualTo(table[0] + 1e-12);
                if (slower > 1) {
                    assertThat(c.gpuWideShare()).isGreaterThan(0.75);
                }
                worst = Math.max(worst, table[3]);
                worstBefore = Math.max(worstBefore, table[2]);
                meanAfter += table[3] / table1.size();
                shares.append(String.format(Locale.ROOT, " %.2f", c.gpuWideShare()));
            }
            if (slower > 1) {
                assertThat(worst).isLessThan(0.10);
            }
            report.append(String.format(Locale.ROOT, "step times × %.3f (another cluster): calibrated on any one Table 1 "
                    + "run, the others' mean |error| up to %.1f %% -> up to %.1f %%, %.1f %% on average (GPU-wide "
                    + "shares%s)%n", slower, 100 * worstBefore, 100 * worst, 100 * meanAfter, shares));
        }
        // several runs of different models at once (Table 1's 39.1B, 310.1B and 1008B, one framework: Megatron-LM's
        // local DDP): each model its own factor, no worse on them than the defaults
        List<JsonNode> three = List.of(a100.get(4), a100.get(7), a100.get(9));
        List<Calibration.MeasuredRun> measured = three.stream().map((r) -> measured(r, 1)).toList();
        double before = 0;
        double after = 0;
        Calibration multi = null;
        for (JsonNode r : three) {
            before += Math.abs(StepTimeModel.step(plan(r), cluster(r), efficiency(r)).totalSeconds() / measuredSeconds(r)
                    - 1);
            multi = Calibration.fit(measured, efficiency(a100.get(4)), null, plan(r).model());
            after += Math.abs(StepTimeModel.step(plan(r), cluster(r), multi.kernelEfficiency()).totalSeconds()
                    / measuredSeconds(r) - 1);
        }
        assertThat(after).isLessThanOrEqualTo(before + 1e-9);
        assertThat(after / 3).isLessThan(0.005);
        report.append(String.format(Locale.ROOT, "39.1B + 310.1B + 1008B together: GPU-wide share %.2f, their mean "
                + "|error| %.2f %% -> %.2f %%%n", multi.gpuWideShare(), 100 * before / 3, 100 * after / 3));
        // long sequences: MosaicML's 7B on 8 A100s at 8k and 65k tokens ran llm-foundry's Triton FlashAttention,
        // slower than the FlashAttention-2 share the defaults assume; calibrated on those two, the attention share
        // falls on its own and the 16k and 32k runs, not calibrated on, come closer
        List<JsonNode> mpt = new ArrayList<>();
        for (JsonNode run : doc.get("runs")) {
            if (run.get("id").asString().startsWith("mpt-7b-a100-80gb-8gpu-seq")) {
                mpt.add(run);
            }
        }
        assertThat(mpt).hasSize(4);
        List<JsonNode> ends = List.of(mpt.get(0), mpt.get(3));
        Calibration longRuns = Calibration.fit(ends.stream().map((r) -> measured(r, 1)).toList(),
                efficiency(mpt.get(0)), null, plan(mpt.get(0)).model());
        assertThat(longRuns.attentionScale()).isLessThan(0.8);
        for (Calibration.Residual residual : longRuns.residuals()) {
            assertThat(Math.abs(residual.error())).isLessThan(0.05);
        }
        for (JsonNode middle : List.of(mpt.get(1), mpt.get(2))) {
            double seconds = measuredSeconds(middle);
            double defaults = StepTimeModel.step(plan(middle), cluster(middle), efficiency(middle)).totalSeconds()
                    / seconds - 1;
            double calibrated = StepTimeModel.step(plan(middle), cluster(middle), longRuns.kernelEfficiency())
                    .totalSeconds() / seconds - 1;
            assertThat(Math.abs(calibrated)).as(middle.get("id").asString()).isLessThan(Math.abs(defaults));
            report.append(String.format(Locale.ROOT, "%s: %+.1f %% -> %+.1f %% (calibrated on 8k and 65k)%n",
                    middle.get("id").asString(), 100 * defaults, 100 * calibrated));
        }
        report.append(String.format(Locale.ROOT, "MPT 7B on 8 A100, 8k + 65k tokens: scale %.4f, attention × %.4f "
                + "(attention share %.3f), their errors %s%n", longRuns.scale(), longRuns.attentionScale(),
                longRuns.kernelEfficiency().attention(), longRuns.residuals().stream()
                        .map((r) -> String.format(Locale.ROOT, "%+.1f %%", 100 * r.error())).toList()));
        // eager attention cannot tell the attention share: the multi-run fit above leaves it alone
        assertThat(multi.attentionScale()).isEqualTo(1.0);
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/calibration.md"), report);
    }

    // the run as measured, its step seconds × slower (a cluster that much slower than the one it ran on)
    private static Calibration.MeasuredRun measured(JsonNode run, double slower) {
        return new Calibration.MeasuredRun(plan(run), cluster(run), slower * measuredSeconds(run));
    }

    /**
     * The |error| of each of {@code others} but {@code one}, as {sum before, sum after, mean before, mean after}
     * calibrating: the others measured × {@code slower}, each priced with the shares calibrated for its own model
     * (and its own framework's overlaps and ZeRO-3 bandwidth).
     */
    private static double[] errorsBeforeAndAfter(List<Calibration.MeasuredRun> calibration, JsonNode one,
            List<JsonNode> others, double slower) {
        double before = 0;
        double after = 0;
        int n = 0;
        for (JsonNode other : others) {
            if (other == one) {
                continue;
            }
            double measured = slower * measuredSeconds(other);
            KernelEfficiency own = efficiency(other);
            before += Math.abs(StepTimeModel.step(plan(other), cluster(other), own).totalSeconds() / measured - 1);
            KernelEfficiency fitted = Calibration.fit(calibration, efficiency(one), null, plan(other).model())
                    .kernelEfficiency();
            KernelEfficiency calibrated = fitted.with(null, null, null, own.zero3Bandwidth(), own.overlap(),
                    own.tensorOverlap(), own.parameterGatherOverlap(), own.gradientReductionOverlap(),
                    own.expertOverlap()).withPipelineOverlap(own.pipelineOverlap())
                    .withGradientAccumulationFusion(own.gradientAccumulationFusion());
            after += Math.abs(StepTimeModel.step(plan(other), cluster(other), calibrated).totalSeconds() / measured - 1);
            n++;
        }
        return new double[] {before, after, before / n, after / n};
    }

    /**
     * The planner against Narayanan et al.'s published Table 1 layouts, searching what their 2021 stack could run
     * (Megatron-LM de7dc40, examples/sc21): every tensor × pipeline × data split and micro-batch with its full
     * recomputation, eager attention, dropout, no sequence or context parallelism and no ZeRO; interleaving (up to 4)
     * only with more than 2 pipeline stages and micro-batches divisible by them ({@code arguments.py} and
     * {@code schedules.py} assert both); pipelined layouts with the local DDP the sc21 scripts give every one of them
     * (gradients reduced after the flush), the others with PyTorch DDP (behind the backward); the fp16 gradients added
     * by autograd over the micro-batches (no accumulation fusion before February 2022). The best plan may be
     * predicted at most 10 % faster than the published layout, and the published layout must be among the plans
     * listed. 39.1B is allowed 15 %: there the planner prefers t = 4 with an interleaved pipeline to the published
     * t = 8 (Table 1 keeps t = 8 from 18.4B up, a weak-scaling series); without sequence parallelism t = 8 repeats the
     * norms and dropout on all 8 GPUs and puts 6 all-reduces per layer on the critical path. No measured run at t < 8
     * for that size says which is right.
     */
    @Test
    void thePlannerShouldNotBelieveItBeatsThePublishedLayouts() throws IOException {
        JsonNode doc = measuredRuns();
        StringBuilder table = new StringBuilder("| run | published layout, predicted s | planner's best | best, "
                + "predicted s | faster by | published layout's rank |\n|---|---|---|---|---|---|\n");
        int checked = 0;
        List<Runnable> gaps = new ArrayList<>();
        for (JsonNode run : doc.get("runs")) {
            String id = run.get("id").asString();
            if (!id.startsWith("narayanan2021-table1-")) {
                continue;
            }
            TrainingRun published = plan(run);
            Cluster cluster = cluster(run);
            double publishedSeconds = predictedSeconds(run);
            List<Plan> plans = new ArrayList<>();
            for (boolean pipelined : new boolean[] {false, true}) {
                PlanConstraints stack2021 = PlanConstraints.defaults(published.model(), cluster)
                        .with(new PlanConstraints.Overrides(null, pipelined ? null : 1, 1, null, null,
                                ZeroStage.ZERO_0, Recomputation.FULL, false, 4, null));
                KernelEfficiency ddp = efficiency(run).withPipelineOverlap(false).with(null, null, null, null, null,
                        null, null, !pipelined, null);
                PlanSearch q = new PlanSearch(published.model(), published.batch().sequenceLength(),
                        published.batch().globalBatchSize(), published.training().precision(), Optimizer.ADAM,
                        AttentionKernel.EAGER, true, true, cluster, stack2021, ddp, 1000, FrameworkAllowance.DEFAULT);
                for (Plan plan : Planner.search(q).plans()) {
                    Parallelism par = plan.layout().parallelism();
                    if (pipelined == (par.pipeline() > 1) && (!par.interleaved() || par.pipeline() > 2)) {
                        plans.add(plan);
                    }
                }
            }
            plans.sort(java.util.Comparator.comparingDouble((Plan plan) -> plan.step().totalSeconds()));
            Plan best = plans.get(0);
            int rank = rankOf(plans, published);
            double faster = 1 - best.step().totalSeconds() / publishedSeconds;
            Parallelism b = best.layout().parallelism();
            table.append(String.format(Locale.ROOT, "| %s | %.2f | t %d · p %d · v %d · d %d, micro-batch %d | %.2f | "
                    + "%.1f %% | %d |%n", id.substring("narayanan2021-table1-".length()), publishedSeconds, b.tensor(),
                    b.pipeline(), b.virtualPipeline(), b.data(), best.layout().microBatchSize(),
                    best.step().totalSeconds(), 100 * faster, rank));
            boolean knownGap = id.endsWith("-39.1B");
            gaps.add(() -> assertThat(faster).as(id).isLessThanOrEqualTo(knownGap ? 0.15 : 0.10));
            int listed = rank;
            gaps.add(() -> assertThat(listed).as(id + ": the published layout among the listed plans").isPositive());
            checked++;
        }
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/planner-vs-published.md"), table);
        assertThat(checked).isEqualTo(10);
        gaps.forEach(Runnable::run);
    }

    /**
     * The planner against NVIDIA's current tuned layouts: for each NeMo DGX-H100 row, the search over what that stack
     * runs (its ZeRO stage and precision, no recomputation, Megatron's fused SwiGLU, interleaving up to 20, context
     * parallelism within a node) may find a plan at most 10 % faster than the published layout, and lists the published
     * layout where it can search it (layers dividing evenly over p · v) and fits it.
     */
    @Test
    void thePlannerShouldNotBelieveItBeatsNvidiasCurrentRecipes() throws IOException {
        JsonNode doc = measuredRuns();
        StringBuilder table = new StringBuilder("| run | published layout, predicted s | planner's best | best, "
                + "predicted s | faster by | published layout's rank |\n|---|---|---|---|---|---|\n");
        List<Runnable> checks = new ArrayList<>();
        int checked = 0;
        for (JsonNode run : doc.get("runs")) {
            String id = run.get("id").asString();
            if (!id.startsWith("nemo-") || !run.get("set").asString().equals("held-out")) {
                continue;
            }
            TrainingRun published = plan(run);
            Cluster cluster = cluster(run);
            double publishedSeconds = predictedSeconds(run);
            Parallelism par = published.parallelism();
            PlanConstraints recipe = PlanConstraints.defaults(published.model(), cluster)
                    .with(new PlanConstraints.Overrides(null, null, null, null, null,
                            published.training().zeroStage(), Recomputation.NONE, null, 20, null));
            PlanSearch q = new PlanSearch(published.model(), published.batch().sequenceLength(),
                    published.batch().globalBatchSize(), published.training().precision(), Optimizer.ADAM,
                    AttentionKernel.FLASH, published.options().dropout(), published.options().residualDropout(), cluster,
                    recipe, efficiency(run), PlanSearch.MAX_LIMIT, FrameworkAllowance.DEFAULT, true);
            List<Plan> plans = Planner.search(q).plans();
            Plan best = plans.get(0);
            int rank = rankOf(plans, published);
            boolean even = published.model().numLayers() % (par.pipeline() * par.virtualPipeline()) == 0;
            TrainingRun fused = TrainingRun.full(published.model(), published.batch(), published.training(),
                    published.options().withFusedGatedActivation(true), par);
            long perGpu = CapacityCheck.check(fused, cluster, FrameworkAllowance.DEFAULT, efficiency(run),
                    Requirements.NONE).memory().totalBytes();
            boolean fits = perGpu <= cluster.gpu().memoryBytes();
            double faster = 1 - best.step().totalSeconds() / publishedSeconds;
            Parallelism b = best.layout().parallelism();
            String listed = rank > 0 ? String.valueOf(rank)
                    : !even ? "not searched (" + published.model().numLayers() + " layers over p · v = "
                            + par.pipeline() * par.virtualPipeline() + " chunks)"
                            : String.format(Locale.ROOT, "not listed: %.1f GiB per GPU here", perGpu / 1073741824.0);
            table.append(String.format(Locale.ROOT, "| %s | %.2f | t %d · p %d · c %d · v %d · d %d, micro-batch %d | "
                    + "%.2f | %.1f %% | %s |%n", id.substring("nemo-".length()), publishedSeconds, b.tensor(),
                    b.pipeline(), b.context(), b.virtualPipeline(), b.data(), best.layout().microBatchSize(),
                    best.step().totalSeconds(), 100 * faster, listed));
            checks.add(() -> assertThat(faster).as(id).isLessThanOrEqualTo(0.10));
            int found = rank;
            if (even && fits) {
                checks.add(() -> assertThat(found).as(id + ": the published layout among the listed plans").isPositive());
            }
            checked++;
        }
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/planner-vs-nemo.md"), table);
        assertThat(checked).isEqualTo(13);
        checks.forEach(Runnable::run);
    }

    // the reference file, read once per test
    static JsonNode measuredRuns() throws IOException {
        try (InputStream in = MeasuredRunsTests.class.getResourceAsStream("/reference/measured-runs.json")) {
            return JsonMapper.shared().readTree(in);
        }
    }

    // where the published layout (its degrees and micro-batch) stands among the plans, from 1; -1 when not listed
    private static int rankOf(List<Plan> plans, TrainingRun published) {
        for (int i = 0; i < plans.size(); i++) {
            Layout l = plans.get(i).layout();
            if (l.parallelism().equals(published.parallelism())
                    && l.microBatchSize() == published.batch().microBatchSize()) {
                return i + 1;
            }
        }
        return -1;
    }

    private static double meanAbs(List<Outcome> runs, java.util.function.ToDoubleFunction<Outcome> error) {
        return runs.stream().mapToDouble((o) -> Math.abs(error.applyAsDouble(o))).average().orElseThrow();
    }

    private static double maxAbs(List<Outcome> runs, java.util.function.ToDoubleFunction<Outcome> error) {
        return runs.stream().mapToDouble((o) -> Math.abs(error.applyAsDouble(o))).max().orElseThrow();
    }

    private static void summary(StringBuilder table, String name, List<Outcome> runs) {
        table.append(String.format(Locale.ROOT, "%n%s: mean |error| %.1f %%, worst %.1f %%%n", name,
                100 * meanAbs(runs, Outcome::error), 100 * maxAbs(runs, Outcome::error)));
    }

    private static void writeTable(List<Outcome> outcomes) throws IOException {
        StringBuilder table = new StringBuilder("| run | set | measured s | predicted s | error |\n|---|---|---|---|---|\n");
        for (Outcome o : outcomes) {
            table.append(String.format(Locale.ROOT, "| %s | %s | %.2f | %.2f | %+.1f %% |%n", o.id(), o.set(),
                    o.measuredSeconds(), o.predictedSeconds(), 100 * o.error()));
        }
        List<Outcome> fit = outcomes.stream().filter((o) -> o.set().equals("fit")).toList();
        List<Outcome> heldOut = outcomes.stream().filter((o) -> o.set().equals("held-out")).toList();
        List<Outcome> withoutZero3 = heldOut.stream().filter((o) -> !o.id().contains("zero3")).toList();
        summary(table, "fit", fit);
        summary(table, "held-out", heldOut);
        summary(table, "held-out without ZeRO-3", withoutZero3);
        summary(table, "held-out FSDP (MosaicML llm-foundry; outside the bounds)",
                outcomes.stream().filter((o) -> o.set().equals("held-out-fsdp")).toList());
        summary(table, "held-out NVIDIA NeMo DGX-H100 FP8 rows",
                heldOut.stream().filter((o) -> o.id().startsWith("nemo-")).toList());
        summary(table, "held-out MoE (NVIDIA NeMo H100; outside the bounds)",
                outcomes.stream().filter((o) -> o.set().equals("held-out-moe")).toList());
        summary(table, "held-out, all sets (with the FSDP and MoE runs)",
                outcomes.stream().filter((o) -> o.set().startsWith("held-out")).toList());
        summary(table, "Narayanan et al. 2021 Table 1", fit.stream().filter((o) -> o.id().contains("table1")).toList());
        summary(table, "MosaicML H100 FSDP at 128-512 GPUs (the Hopper GEMM share's fit)",
                fit.stream().filter((o) -> o.id().startsWith("mpt-")).toList());
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/measured-runs.md"), table);
    }
}
