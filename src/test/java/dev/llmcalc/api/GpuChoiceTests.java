package dev.llmcalc.api;

import static dev.llmcalc.api.ProblemAssertions.assertProblem;
import static dev.llmcalc.api.ProblemAssertions.number;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.withinPercentage;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/**
 * {@code cluster.gpu} in its four forms, across endpoints: an id, {"preset"}, a described GPU (the catalog's own
 * shape accepted back), {"base"} with overrides; and the catalog's GPUs on real layouts.
 */
@SpringBootTest
@AutoConfigureMockMvc
class GpuChoiceTests {

    // examples/plan.json: Llama-3.1-70B, TP 8 × PP 2 × DP 4 on 64 GPUs
    private static final String PLAN = """
            {"model": {"preset": "llama-3.1-70b"},
             "batch": {"microBatchSize": 1, "sequenceLength": 8192, "globalBatchSize": 512},
             "training": {"precision": "MIXED_BF16", "optimizer": "ADAMW", "zeroStage": 1},
             "activations": {"recomputation": "SELECTIVE", "attention": "FLASH", "sequenceParallel": true},
             "parallelism": {"data": 4, "tensor": 8, "pipeline": 2},
             "cluster": {"gpu": %s, "gpuCount": 64, "gpusPerNode": 8},
             "requirements": {"maxMemoryFraction": 0.9, "maxTrainingDays": 240, "tokens": 1000000000000, "minMfu": 0.3}}""";

    private static final String LLAMA_ZERO1_ON_8 = """
            {"model": {"preset": "llama-2-7b"}, "batch": {"sequenceLength": 4096, "globalBatchSize": 1024},
             "training": {"zeroStage": 1}, "parallelism": {"data": 8}, "cluster": {"gpu": %s, "gpuCount": 8}}""";

    @Autowired
    private MockMvcTester mvc;

    private MvcTestResult post(String path, String body) {
        return this.mvc.post().uri(path).contentType(MediaType.APPLICATION_JSON).content(body).exchange();
    }

    private static String body(MvcTestResult result) {
        return new String(result.getResponse().getContentAsByteArray(), StandardCharsets.UTF_8);
    }

    @Test
    void catalogEntryPostedBackShouldAnswerExactlyAsItsId() {
        String entry = body(this.mvc.get().uri("/api/v1/gpus/h100-sxm-80gb").exchange());
        assertThat(entry).contains("\"peakFlops\":{").contains("\"hostLinkBandwidth\"");
        for (String path : new String[] { "/api/v1/checks", "/api/v1/memory/training" }) {
            String template = path.endsWith("checks") ? PLAN : LLAMA_ZERO1_ON_8;
            MvcTestResult byId = post(path, template.formatted("\"h100-sxm-80gb\""));
            MvcTestResult byEntry = post(path, template.formatted(entry));
            assertThat(byId).as(path).hasStatusOk();
            assertThat(byEntry).as(path).hasStatusOk();
            // the pasted entry is a described GPU, named "custom"; every number and sentence is otherwise the same
            assertThat(body(byEntry).replace("\"custom\"", "\"h100-sxm-80gb\"").replace("custom ", "h100-sxm-80gb "))
                    .as(path).isEqualTo(body(byId));
        }
    }

    @Test
    void checksWhenCatalogEntryShouldGiveThePresetsMemoryAndStep() {
        String entry = body(this.mvc.get().uri("/api/v1/gpus/h100-sxm-80gb").exchange());
        MvcTestResult result = post("/api/v1/checks", PLAN.formatted(entry));
        // 80 GiB = 85,899,345,920 bytes; the same per-GPU total and step as the README's examples/plan.json run
        assertThat(result).bodyJson().extractingPath("$.estimate.gpuMemoryBytes").isEqualTo(85_899_345_920L);
        assertThat(number(result, "$.estimate.perGpuBytes"))
                .isEqualTo(number(post("/api/v1/checks", PLAN.formatted("\"h100-sxm-80gb\"")), "$.estimate.perGpuBytes"));
    }

    @Test
    void baseWithOverridesShouldChangeOnlyTheFiguresGiven() {
        MvcTestResult preset = post("/api/v1/memory/training", LLAMA_ZERO1_ON_8.formatted("\"h100-sxm-80gb\""));
        // an H100 with 96 GiB = 103,079,215,104 bytes: same memory need, 16 GiB more headroom
        MvcTestResult bigger = post("/api/v1/memory/training", LLAMA_ZERO1_ON_8.formatted(
                "{\"base\": \"h100-sxm-80gb\", \"memoryGiB\": 96}"));
        assertThat(bigger).hasStatusOk();
        assertThat(bigger).bodyJson().extractingPath("$.gpu.memoryBytes").isEqualTo(103_079_215_104L);
        assertThat(bigger).bodyJson().extractingPath("$.gpu.id").isEqualTo("h100-sxm-80gb+overrides");
        assertThat(number(bigger, "$.perGpu.totalBytes")).isEqualTo(number(preset, "$.perGpu.totalBytes"));
        assertThat(number(bigger, "$.headroomBytes"))
                .isEqualTo(number(preset, "$.headroomBytes") + 17_179_869_184L);
    }

    @Test
    void baseWithHalfThePeakShouldTakeTwiceAsLong() {
        String compute = """
                {"model": {"preset": "llama-2-7b"}, "tokens": 2000000000000, "batch": {"sequenceLength": 4096},
                 "cluster": {"gpu": %s, "gpuCount": 1024}}""";
        MvcTestResult h100 = post("/api/v1/compute", compute.formatted("\"h100-sxm-80gb\""));
        // only the BF16 entry is replaced (989 -> 494.5 TFLOP/s dense); FP8 and the rest stay the H100's
        MvcTestResult halved = post("/api/v1/compute", compute.formatted(
                "{\"base\": \"h100-sxm-80gb\", \"peakFlops\": {\"BF16\": 4.945e14}}"));
        assertThat(halved).hasStatusOk();
        assertThat(number(halved, "$.trainingSeconds"))
                .isCloseTo(2 * number(h100, "$.trainingSeconds"), withinPercentage(1e-9));
    }

    @Test
    void describedGpuShouldAcceptOneNumberOrTheMapAlike() {
        String one = "{\"memoryBytes\": 68719476736, \"peakFlops\": 500000000000000, \"intraNodeBandwidth\": 2e11, "
                + "\"interNodeBandwidth\": 2.5e10}";
        String map = "{\"memoryBytes\": 68719476736, \"peakFlops\": {\"bf16\": 5e14, \"FP8\": 1e15}, "
                + "\"intraNodeBandwidth\": 2e11, \"interNodeBandwidth\": 2.5e10, \"vendor\": \"AMD\", \"name\": \"X\"}";
        MvcTestResult a = post("/api/v1/memory/training", LLAMA_ZERO1_ON_8.formatted(one));
        MvcTestResult b = post("/api/v1/memory/training", LLAMA_ZERO1_ON_8.formatted(map));
        assertThat(a).hasStatusOk();
        assertThat(body(b)).isEqualTo(body(a));
    }

    @Test
    void badFiguresShouldBe400NamingTheEntry() {
        String gpu = "{\"memoryBytes\": 68719476736, \"peakFlops\": %s, \"intraNodeBandwidth\": 2e11, "
                + "\"interNodeBandwidth\": 2.5e10}";
        assertProblem(post("/api/v1/memory/training", LLAMA_ZERO1_ON_8.formatted(
                gpu.formatted("{\"BF16\": 5e14, \"FP8\": -1}"))), 400, "cluster.gpu.peakFlops.FP8");
        assertProblem(post("/api/v1/memory/training", LLAMA_ZERO1_ON_8.formatted(
                gpu.formatted("{\"BF16\": 5e14, \"FP8\": \"fast\"}"))), 400, "cluster.gpu.peakFlops.FP8");
        assertProblem(post("/api/v1/memory/training", LLAMA_ZERO1_ON_8.formatted(
                gpu.formatted("{\"BF16\": 5e14, \"FP4\": 1e15}"))), 400, "cluster.gpu.peakFlops.FP4");
        assertProblem(post("/api/v1/memory/training", LLAMA_ZERO1_ON_8.formatted(
                gpu.formatted("{\"FP8\": 1e15}"))), 400, "cluster.gpu.peakFlops.BF16");
        assertProblem(post("/api/v1/memory/training", LLAMA_ZERO1_ON_8.formatted(
                gpu.formatted("{\"BF16\": 1e400}"))), 400, "cluster.gpu.peakFlops.BF16");
        assertProblem(post("/api/v1/memory/training", LLAMA_ZERO1_ON_8.formatted(
                gpu.formatted("\"fast\""))), 400, "cluster.gpu.peakFlops");
        // 80 GiB said twice, differently
        assertProblem(post("/api/v1/memory/training", LLAMA_ZERO1_ON_8.formatted(
                "{\"base\": \"h100-sxm-80gb\", \"memoryBytes\": 85899345920, \"memoryGiB\": 81}")), 400,
                "cluster.gpu.memoryGiB");
        assertProblem(post("/api/v1/memory/training", LLAMA_ZERO1_ON_8.formatted(
                "{\"base\": \"h100-sxm-80gb\", \"boardPowerWatts\": 0}")), 400, "cluster.gpu.boardPowerWatts");
        // a preset and figures without "base": which would win is unclear
        assertProblem(post("/api/v1/memory/training", LLAMA_ZERO1_ON_8.formatted(
                "{\"preset\": \"h100-sxm-80gb\", \"memoryGiB\": 96}")), 400, "cluster.gpu");
    }

    @Test
    void unknownGpuShouldBe404SayingGpuWithTheClosestIds() {
        MvcTestResult result = post("/api/v1/memory/training", LLAMA_ZERO1_ON_8.formatted("\"h800x\""));
        assertProblem(result, 404, "cluster.gpu");
        assertThat(result).bodyJson().extractingPath("$.detail").asString()
                .startsWith("unknown GPU 'h800x'; closest known ids: h800-sxm-80gb");
        MvcTestResult base = post("/api/v1/memory/training", LLAMA_ZERO1_ON_8.formatted("{\"base\": \"h800x\"}"));
        assertProblem(base, 404, "cluster.gpu.base");
        assertThat(base).bodyJson().extractingPath("$.detail").asString().startsWith("unknown GPU 'h800x'");
        // an unknown model keeps its wording
        MvcTestResult model = post("/api/v1/memory/training",
                LLAMA_ZERO1_ON_8.formatted("\"h100-sxm-80gb\"").replace("llama-2-7b", "llama-2-7"));
        assertThat(model).bodyJson().extractingPath("$.detail").asString().startsWith("unknown preset 'llama-2-7'");
    }

    @Test
    void deepSeekV3PublishedLayoutOnH800ShouldBeCheckedWith200() {
        // DeepSeek-V3 technical report §3.2: 2,048 H800 GPUs, 16-way pipeline, 64-way expert parallelism over 8 nodes,
        // ZeRO-1 data parallelism, no tensor parallelism; §4.2: sequence length 4,096, batch size up to 15,360.
        // The service has no FP8 training precision, so BF16 mixed precision with AdamW stands in.
        String layout = """
                {"model": {"preset": "deepseek-v3"},
                 "batch": {"microBatchSize": 1, "sequenceLength": 4096, "globalBatchSize": 15360},
                 "training": {"precision": "MIXED_BF16", "optimizer": "ADAMW", "zeroStage": 1},
                 "activations": {"recomputation": "%s", "attention": "FLASH"},
                 "parallelism": {"data": 128, "pipeline": 16, "expert": 64},
                 "cluster": {"gpu": "h800-sxm-80gb", "gpuCount": 2048},
                 "requirements": {"maxMemoryFraction": 1.0}}""";
        MvcTestResult selective = post("/api/v1/checks", layout.formatted("SELECTIVE"));
        assertThat(selective).hasStatusOk();
        assertThat(selective).bodyJson().extractingPath("$.estimate.gpu").isEqualTo("h800-sxm-80gb");
        // 80 GiB; 15,360 sequences / 128 data-parallel ranks = 120 micro-batches of 1 per step
        assertThat(selective).bodyJson().extractingPath("$.estimate.gpuMemoryBytes").isEqualTo(85_899_345_920L);
        assertThat(selective).bodyJson().extractingPath("$.estimate.microBatches").isEqualTo(120);
        // as the service models 1F1B (stage k holds p − k micro-batches) with selective recomputation only, the
        // first stages' MoE activations do not fit; DeepSeek's DualPipe, FP8 caching and recomputation are not modelled
        assertThat(selective).bodyJson().extractingPath("$.pass").isEqualTo(false);
        assertThat(selective).bodyJson().extractingPath("$.violations[*].requirement").asArray()
                .containsExactly("maxMemoryFraction");
        assertThat(number(selective, "$.estimate.activationsBytes"))
                .isGreaterThan(number(selective, "$.estimate.modelStatesBytes"));
        // with full recomputation the same layout fits on the H800
        MvcTestResult full = post("/api/v1/checks", layout.formatted("FULL"));
        assertThat(full).hasStatusOk();
        assertThat(full).bodyJson().extractingPath("$.pass").isEqualTo(true);
        assertThat(number(full, "$.estimate.perGpuBytes")).isLessThan(85_899_345_920.0);
    }
}
