package dev.llmcalc.api.compute;

import static dev.llmcalc.api.ProblemAssertions.assertProblem;
import static dev.llmcalc.api.ProblemAssertions.number;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

@WebMvcTest(ComputeController.class)
class ComputeControllerTests {

    private static final String GPT3 = "{\"parameters\": 174600000000, \"tokens\": 300000000000}";

    private static final String LLAMA = """
            {"model": {"preset": "llama-2-7b"}, "tokens": 2000000000000, "batch": {"sequenceLength": 4096}}""";

    @Autowired
    private MockMvcTester mvc;

    private MvcTestResult post(String body) {
        return this.mvc.post().uri("/api/v1/compute").contentType(MediaType.APPLICATION_JSON).content(body).exchange();
    }

    @Test
    void loraShouldDropTheFrozenWeightGradientsFromTheBackward() {
        // Llama-2-7B, s 4096, non-causal: F = 15,361,638,400, S = 2,147,483,648; r 8 on q, v: A = 8,388,608
        // LoRA per token 2F + S + 3A = 32,895,926,272; full training 3F = 46,084,915,200
        MvcTestResult result = post("""
                {"model": {"preset": "llama-2-7b"}, "tokens": 1000000, "batch": {"sequenceLength": 4096},
                 "training": {"method": "LORA", "lora": {"rank": 8, "targetModules": ["q", "v"]}}}""");
        assertThat(result).hasStatusOk();
        assertThat(result).bodyJson().extractingPath("$.flopsPerToken").isEqualTo(32_895_926_272.0);
        assertThat(result).bodyJson().extractingPath("$.detailedTrainingFlops").isEqualTo(32_895_926_272.0e6);
        assertThat(result).bodyJson().extractingPath("$.fineTuning.adapterForwardFlopsPerToken").isEqualTo(8_388_608);
        assertThat(result).bodyJson().extractingPath("$.fineTuning.backwardFlopsPerToken")
                .isEqualTo(15_361_638_400.0 + 2_147_483_648.0 + 2 * 8_388_608.0);
        assertThat(result).bodyJson().extractingPath("$.fineTuning.fullTrainingFlopsPerToken").isEqualTo(46_084_915_200.0);
        assertThat(number(result, "$.fineTuning.ratioToFullTraining")).isCloseTo(0.7138, within(0.0001));
        // the document's 6·N·D stays the full-training count, and says so
        assertThat(result).bodyJson().extractingPath("$.trainingFlops").isEqualTo(6.0 * 6_738_415_616L * 1_000_000);
        assertThat(result).bodyJson().extractingPath("$.documentFormula.note").asString().contains("2/3");
        assertThat(post(LLAMA)).bodyJson().doesNotHavePath("$.fineTuning");
    }

    @Test
    void loraWithoutAModelShouldNameTheParameters() {
        assertProblem(post("""
                {"parameters": 7000000000, "tokens": 1000, "training": {"method": "LORA"}}"""), 422, "parameters");
        assertProblem(post("""
                {"model": {"preset": "deepseek-v3"}, "tokens": 1000, "training": {"method": "LORA"}}"""), 422,
                "training.lora.targetModules");
    }

    @Test
    void parametersWhenGpt3ShouldGiveThePaperFlops() {
        // cases.json "compute"[0]: 6 · 174.6e9 · 300e9 = 3.1428e23
        MvcTestResult result = post(GPT3);
        assertThat(result).hasStatusOk();
        assertThat(result).bodyJson().extractingPath("$.model").isEqualTo("parameters");
        assertThat(result).bodyJson().extractingPath("$.trainingFlops").isEqualTo(3.1428e23);
        assertThat(result).bodyJson().extractingPath("$.hardwareTrainingFlops").isEqualTo(3.1428e23);
        assertThat(result).bodyJson().extractingPath("$.flopsPerToken").isEqualTo(1.0476e12);
        assertThat(result).bodyJson().extractingPath("$.documentFormula.expression").isEqualTo("C ≈ 6·N·D");
        assertThat(result).bodyJson().extractingPath("$.documentFormula.value").isEqualTo(3.1428e23);
        assertThat(result).bodyJson().extractingPath("$.documentFormula.exact").isEqualTo(true);
        assertThat(result).bodyJson().doesNotHavePath("$.detailedTrainingFlops");
        assertThat(result).bodyJson().doesNotHavePath("$.trainingSeconds");
        assertThat(result).bodyJson().doesNotHavePath("$.sequenceLength");
        assertThat(result).bodyJson().extractingPath("$.assumptions").asArray().isNotEmpty();
    }

    @Test
    void clusterWhenMegatronGpt3ShouldTake34Days() {
        // cases.json "compute"[1]: 8·T·P/(n·X) = 33.91 days for P = 175e9, T = 300e9, n = 1024, X = 140e12.
        // X counts full recomputation (8TP); in model FLOPs the GPUs reach 140 · 6/8 = 105 TFLOP/s: MFU 105/312
        MvcTestResult result = post("""
                {"parameters": 175000000000, "tokens": 300000000000, "recomputation": "FULL",
                 "cluster": {"gpu": "a100-sxm-80gb", "gpuCount": 1024}, "mfu": %s, "pricePerGpuHour": 2}"""
                .formatted(105.0 / 312.0));
        assertThat(result).hasStatusOk();
        assertThat(result).bodyJson().extractingPath("$.gpu").isEqualTo("a100-sxm-80gb");
        assertThat(result).bodyJson().extractingPath("$.hardwareTrainingFlops").isEqualTo(4.2e23);
        assertThat(number(result, "$.trainingDays")).isCloseTo(33.91, within(0.005));
        assertThat(number(result, "$.hardwareFlopsUtilization")).isCloseTo(140.0 / 312.0, within(1e-12));
        // 1024 GPUs × 2,929,687.5 s / 3600 = 833,333.33 GPU-hours, × $2
        assertThat(number(result, "$.gpuHours")).isCloseTo(833_333.333, within(0.001));
        assertThat(number(result, "$.cost")).isCloseTo(1_666_666.667, within(0.001));
    }

    @Test
    void modelWhenLlama2ShouldGiveTheDetailedCount() {
        // per token forward 15,361,638,400 (TrainingFlopsTests), × 3 = 46,084,915,200; × 2e12 tokens
        MvcTestResult result = post(LLAMA);
        assertThat(result).hasStatusOk();
        assertThat(result).bodyJson().extractingPath("$.model").isEqualTo("llama-2-7b");
        assertThat(result).bodyJson().extractingPath("$.parameters").isEqualTo(6_738_415_616L);
        assertThat(result).bodyJson().extractingPath("$.sequenceLength").isEqualTo(4096);
        assertThat(result).bodyJson().extractingPath("$.causal").isEqualTo(false);
        assertThat(result).bodyJson().extractingPath("$.flopsPerToken").isEqualTo(4.60849152e10);
        assertThat(result).bodyJson().extractingPath("$.detailedTrainingFlops").isEqualTo(9.21698304e22);
        // 6 · 6,738,415,616 · 2e12
        assertThat(result).bodyJson().extractingPath("$.trainingFlops").isEqualTo(8.0860987392e22);
        assertThat(result).bodyJson().extractingPath("$.forwardFlopsPerToken.attentionScores").isEqualTo(2_147_483_648L);
        assertThat(result).bodyJson().extractingPath("$.forwardFlopsPerToken.lmHead").isEqualTo(262_144_000);
        assertThat(result).bodyJson().extractingPath("$.documentFormula.exact").isEqualTo(false);
        assertThat(result).bodyJson().extractingPath("$.documentFormula.note").asString().contains("-12.27%");
    }

    @Test
    void causalShouldHalveTheAttentionScores() {
        MvcTestResult result = post(LLAMA.replace("\"tokens\"", "\"causal\": true, \"tokens\""));
        assertThat(result).bodyJson().extractingPath("$.causal").isEqualTo(true);
        assertThat(result).bodyJson().extractingPath("$.forwardFlopsPerToken.attentionScores").isEqualTo(1_073_741_824);
    }

    @Test
    void sequenceLengthShouldDefaultTo2048AndSaySo() {
        MvcTestResult result = post("{\"model\": {\"preset\": \"llama-2-7b\"}, \"tokens\": 1000}");
        assertThat(result).bodyJson().extractingPath("$.sequenceLength").isEqualTo(2048);
        // per layer 2 · 2048 · 32 · 256, × 32 layers
        assertThat(result).bodyJson().extractingPath("$.forwardFlopsPerToken.attentionScores").isEqualTo(1_073_741_824);
        assertThat(result).bodyJson().extractingPath("$.assumptions").asArray()
                .anySatisfy((line) -> assertThat(line).asString().contains("s = 2048"));
    }

    @Test
    void describedGpuShouldBeUsed() {
        // 6 · 1e9 · 1e10 = 6e19 FLOPs / (10 GPUs · 1e15 FLOP/s · 0.5) = 12,000 s; 10 · 12,000 / 3600 GPU-hours
        MvcTestResult result = post("""
                {"parameters": 1000000000, "tokens": 10000000000, "mfu": 0.5,
                 "cluster": {"gpu": {"memoryBytes": 68719476736, "peakFlops": 1e15, "intraNodeBandwidth": 1e11,
                   "interNodeBandwidth": 1e10}, "gpuCount": 10, "gpusPerNode": 4}}""");
        assertThat(result).hasStatusOk();
        assertThat(result).bodyJson().extractingPath("$.gpu").isEqualTo("custom");
        assertThat(result).bodyJson().extractingPath("$.trainingSeconds").isEqualTo(12_000.0);
        assertThat(number(result, "$.gpuHours")).isCloseTo(33.333, within(0.001));
        assertThat(result).bodyJson().doesNotHavePath("$.cost");
    }

    @Test
    void gpuShouldAlsoBeAPresetObjectMatchedCaseInsensitively() {
        MvcTestResult result = post(GPT3.replace("}", ", \"cluster\": {\"gpu\": {\"preset\": \"H100-SXM-80GB\"}, "
                + "\"gpuCount\": 8}}"));
        assertThat(result).hasStatusOk();
        assertThat(result).bodyJson().extractingPath("$.gpu").isEqualTo("h100-sxm-80gb");
        // default MFU 0.4: 3.1428e23 / (8 · 989e12 · 0.4) s
        assertThat(number(result, "$.trainingSeconds")).isCloseTo(3.1428e23 / (8 * 989e12 * 0.4), within(1e-3));
        assertThat(result).bodyJson().extractingPath("$.mfu").isEqualTo(0.4);
    }

    @Test
    void unknownGpuPresetShouldBe404WithClosestIds() {
        MvcTestResult result = post(GPT3.replace("}", ", \"cluster\": {\"gpu\": \"h100-sxm-80\", \"gpuCount\": 8}}"));
        assertProblem(result, 404, "cluster.gpu");
        assertThat(result).bodyJson().extractingPath("$.closest[0]").isEqualTo("h100-sxm-80gb");
    }

    @Test
    void unknownModelPresetShouldStillBe404() {
        MvcTestResult result = post("{\"model\": {\"preset\": \"llama-2-7\"}, \"tokens\": 1}");
        assertProblem(result, 404, "model.preset");
        assertThat(result).bodyJson().extractingPath("$.closest[0]").isEqualTo("llama-2-7b");
    }

    @Test
    void malformedJsonShouldBe400() {
        assertProblem(post("{\"parameters\": "), 400, null);
        assertProblem(post(""), 400, "body");
        assertProblem(post(GPT3 + " trailing"), 400, "body");
        assertProblem(post(GPT3.replace("}", ", \"flops\": 1}")), 400, "flops");
    }

    @Test
    void missingFieldsShouldBeNamed() {
        assertProblem(post("{}"), 400, "tokens");
        assertProblem(post("{\"tokens\": 1000}"), 400, "model");
        assertProblem(post("{\"model\": {\"preset\": \"gpt2\"}, \"parameters\": 1, \"tokens\": 1000}"), 400, "model");
        assertProblem(post(GPT3.replace("}", ", \"cluster\": {\"gpu\": \"a100-sxm-80gb\"}}")), 400, "cluster.gpuCount");
        assertProblem(post(GPT3.replace("}", ", \"cluster\": {\"gpuCount\": 8}}")), 400, "cluster.gpu");
        assertProblem(post(GPT3.replace("}", ", \"cluster\": {\"gpu\": {\"memoryBytes\": 1, \"intraNodeBandwidth\": 1, "
                + "\"interNodeBandwidth\": 1}, \"gpuCount\": 8}}")), 400, "cluster.gpu.peakFlops");
        assertProblem(post(GPT3.replace("}", ", \"cluster\": {\"gpu\": {\"preset\": \"a100-sxm-80gb\", \"peakFlops\": 1}, "
                + "\"gpuCount\": 8}}")), 400, "cluster.gpu");
    }

    @Test
    void outOfRangeValuesShouldBe400NamingTheField() {
        assertProblem(post(GPT3.replace("300000000000", "-5")), 400, "tokens");
        assertProblem(post(GPT3.replace("300000000000", "0")), 400, "tokens");
        assertProblem(post(GPT3.replace("300000000000", "1e400")), 400, "tokens");
        assertProblem(post(GPT3.replace("174600000000", "-1")), 400, "parameters");
        assertProblem(post(GPT3.replace("}", ", \"mfu\": 0}")), 400, "mfu");
        assertProblem(post(GPT3.replace("}", ", \"mfu\": 2}")), 400, "mfu");
        assertProblem(post(GPT3.replace("}", ", \"mfu\": \"high\"}")), 400, "mfu");
        assertProblem(post(GPT3.replace("}", ", \"pricePerGpuHour\": -1}")), 400, "pricePerGpuHour");
        assertProblem(post(GPT3.replace("}", ", \"pricePerGpuHour\": 1e400}")), 400, "pricePerGpuHour");
        assertProblem(post(GPT3.replace("}", ", \"batch\": {\"sequenceLength\": 0}}")), 400, "batch.sequenceLength");
        assertProblem(post(GPT3.replace("}", ", \"cluster\": {\"gpu\": \"a100-sxm-80gb\", \"gpuCount\": 0}}")), 400,
                "cluster.gpuCount");
        assertProblem(post(GPT3.replace("}", ", \"cluster\": {\"gpu\": {\"memoryBytes\": 1, \"peakFlops\": -1, "
                + "\"intraNodeBandwidth\": 1, \"interNodeBandwidth\": 1}, \"gpuCount\": 8}}")), 400, "cluster.gpu.peakFlops");
        assertProblem(post(GPT3.replace("}", ", \"cluster\": {\"gpu\": 5, \"gpuCount\": 8}}")), 400, "cluster.gpu");
    }

    @Test
    void unknownEnumShouldBe400ListingTheChoices() {
        MvcTestResult result = post(GPT3.replace("}", ", \"recomputation\": \"SOMETIMES\"}"));
        assertProblem(result, 400, "recomputation");
        assertThat(result).bodyJson().extractingPath("$.errors.recomputation").asString()
                .contains("NONE", "SELECTIVE", "FULL");
    }

    @Test
    void mfuBeyondWhatRecomputationLeavesShouldBe422() {
        // full recomputation executes 8/6 of the model FLOPs: MFU 0.9 would need 120% of peak
        MvcTestResult result = post(GPT3.replace("}", ", \"recomputation\": \"FULL\", \"mfu\": 0.9, "
                + "\"cluster\": {\"gpu\": \"h100-sxm-80gb\", \"gpuCount\": 8}}"));
        assertProblem(result, 422, "mfu");
        assertThat(result).bodyJson().extractingPath("$.errors.mfu").asString().contains("120.0%");
    }

    @Test
    void flopsTooLargeToCountShouldBe422() {
        // 2^31 - 1 Llama-2-7B layers hold 4.3e17 parameters (countable), but QKᵀ over s = 2^31 - 1 positions in each
        // layer exceeds 2^63 - 1 FLOPs per token
        MvcTestResult result = post("""
                {"model": {"architecture": {"vocabSize": 32000, "hiddenSize": 4096, "numLayers": 2147483647,
                  "numAttentionHeads": 32, "intermediateSize": 11008}}, "tokens": 1,
                 "batch": {"sequenceLength": 2147483647}}""");
        assertProblem(result, 422, "flopsPerToken");
    }

    @Test
    void integersWrittenWithAnExponentShouldBeAcceptedAndFractionsRefused() {
        // "tokens": 3e11, "parameters": 1.746e11 are the integers of GPT3: the same 6·N·D = 3.1428e23
        MvcTestResult result = post("{\"parameters\": 1.746e11, \"tokens\": 3e11}");
        assertThat(result).hasStatusOk();
        assertThat(result).bodyJson().extractingPath("$.parameters").isEqualTo(174_600_000_000L);
        assertThat(result).bodyJson().extractingPath("$.tokens").isEqualTo(300_000_000_000L);
        assertThat(result).bodyJson().extractingPath("$.trainingFlops").isEqualTo(3.1428e23);
        assertThat(post("{\"parameters\": 7e9, \"tokens\": 1e12}")).hasStatusOk();
        assertProblem(post("{\"parameters\": 7e9, \"tokens\": 1.5}"), 400, "tokens");
        assertThat(post("{\"parameters\": 7e9, \"tokens\": 1.5}")).bodyJson().extractingPath("$.errors.tokens")
                .isEqualTo("must be an integer between 0 and 9223372036854775807");
        MvcTestResult huge = post("{\"parameters\": 7e9, \"tokens\": 1e400}");
        assertProblem(huge, 400, "tokens");
        assertThat(huge).bodyJson().extractingPath("$.errors.tokens").asString().startsWith("is out of range");
        // 2^63 = 9223372036854775808 is one past the largest long
        assertProblem(post("{\"parameters\": 9.223372036854775808e18, \"tokens\": 1}"), 400, "parameters");
        assertProblem(post(LLAMA.replace("4096", "4096.5")), 400, "batch.sequenceLength");
    }

    @Test
    void aModelOnAClusterShouldAnswerItsComputeByKernelClass() {
        MvcTestResult result = post("""
                {"model": {"preset": "llama-2-7b"}, "tokens": 2000000000000, "batch": {"sequenceLength": 4096},
                 "causal": true, "cluster": {"gpu": "a100-sxm-80gb", "gpuCount": 1024}}""");
        assertThat(result).hasStatusOk();
        // Llama-2-7B's GEMMs per token, forward: 32 layers × (Q, K, V, O 134,217,728 + gate, up, down 270,532,608)
        // + the LM head 2 · 4,096 · 32,000; forward + backward 3 ×; 2e12 tokens over 1,024 A100s at 312 TFLOP/s ×
        // 0.730, the layers' GEMMs slowed by wave quantization to 0.9621 of it (sequences of 4,096 tokens on 108 SMs,
        // OperatorTimeTests derives it)
        double layers = 32 * (134_217_728.0 + 270_532_608.0) / 0.9621061650504342;
        double gemms = layers + 2 * 4096 * 32_000.0;
        double matmul = 3 * gemms * 2e12 / (1024 * 312e12 * 0.730);
        assertThat(number(result, "$.kernelTime.kernels.matmulSeconds")).isCloseTo(matmul, within(1e-6 * matmul));
        double total = number(result, "$.kernelTime.kernels.matmulSeconds")
                + number(result, "$.kernelTime.kernels.attentionSeconds")
                + number(result, "$.kernelTime.kernels.memoryBoundSeconds");
        assertThat(number(result, "$.kernelTime.trainingDays")).isCloseTo(total / 86_400, within(1e-9));
        // the kernel shares alone beat the default MFU of 0.4: the gap is what communication and bubbles cost
        assertThat(number(result, "$.kernelTime.impliedMfu")).isBetween(0.4, 0.8);
        assertThat(number(result, "$.kernelTime.trainingDays")).isLessThan(number(result, "$.trainingDays"));
        assertThat(number(result, "$.kernelTime.kernelEfficiency.matmul")).isEqualTo(0.730);
        // a raw parameter count has no kernels to price
        assertThat(post("""
                {"parameters": 7000000000, "tokens": 2000000000000, "cluster": {"gpu": "a100-sxm-80gb", "gpuCount": 8}}"""))
                .bodyJson().doesNotHavePath("$.kernelTime");
    }
}
