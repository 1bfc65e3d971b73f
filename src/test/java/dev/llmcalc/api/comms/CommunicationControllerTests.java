package dev.llmcalc.api.comms;

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

@WebMvcTest(CommunicationController.class)
class CommunicationControllerTests {

    private static final String GPT3 = """
            {"vocabSize": 50257, "hiddenSize": 12288, "numLayers": 96, "numAttentionHeads": 96,
             "intermediateSize": 49152, "mlp": "STANDARD", "norm": "LAYER_NORM", "positionEmbedding": "LEARNED",
             "maxPositionEmbeddings": 2048}""";

    private static final String LLAMA = """
            {"model": {"preset": "llama-2-7b"}, "batch": {"sequenceLength": 4096},
             "training": {"zeroStage": 1}, "parallelism": {"data": 8, "tensor": 8},
             "cluster": {"gpu": "h100-sxm-80gb", "gpuCount": 64}}""";

    @Autowired
    private MockMvcTester mvc;

    private MvcTestResult post(String body) {
        return this.mvc.post().uri("/api/v1/communication").contentType(MediaType.APPLICATION_JSON).content(body)
                .exchange();
    }

    @Test
    void hybridShardingShouldGatherInsideTheNodeAndAllReduceTheShardAcrossGroups() {
        // Llama-2-70B over 64 H100s (8 per node), ZeRO-3, shard groups of 8: the in-group all-gather (twice) and
        // reduce-scatter of 2Φ = 137,953,296,384 B over 8 ranks on NVLink, then the 2Φ/8 = 17,244,162,048 B gradient
        // shard all-reduced across the 8 groups on the network: 2 · 7/8 · 17,244,162,048 = 30,177,283,584 B
        MvcTestResult result = post("""
                {"model": {"preset": "llama-2-70b"}, "batch": {"sequenceLength": 4096},
                 "training": {"zeroStage": 3, "shardGroupSize": 8}, "parallelism": {"data": 64},
                 "cluster": {"gpu": "h100-sxm-80gb", "gpuCount": 64}}""");
        assertThat(result).hasStatusOk();
        assertThat(result).bodyJson().extractingPath("$.perGpuPerStep[*].link").asArray()
                .containsExactly("INTRA_NODE", "INTRA_NODE", "INTER_NODE");
        assertThat(result).bodyJson().extractingPath("$.perGpuPerStep[2].source").asString()
                .startsWith("hybrid sharding: gradient shard all-reduced across the replica groups");
        assertThat(result).bodyJson().extractingPath("$.perGpuPerStep[2].bytes").convertTo(Long.class)
                .isEqualTo(30_177_283_584L);
        assertThat(result).bodyJson().extractingPath("$.perGpuPerStep[2].groupSize").isEqualTo(8);
        assertThat(result).bodyJson().extractingPath("$.groups[*].link").asArray()
                .containsExactly("INTRA_NODE", "INTER_NODE");
        assertProblem(post("""
                {"model": {"preset": "llama-2-70b"}, "batch": {"sequenceLength": 4096},
                 "training": {"zeroStage": 1, "shardGroupSize": 3}, "parallelism": {"data": 64}}"""),
                422, "training.shardGroupSize");
    }

    @Test
    void loraShouldReduceTheAdapterGradientsOnly() {
        // Llama-2-7B r 8 on q, v: 4,194,304 adapters × 2 B all-reduced over 8 ranks: 2 · 7/8 · 8,388,608 B
        MvcTestResult result = post("""
                {"model": {"preset": "llama-2-7b"}, "batch": {"sequenceLength": 4096},
                 "training": {"method": "LORA", "lora": {"rank": 8, "targetModules": ["q", "v"]}},
                 "parallelism": {"data": 8}, "cluster": {"gpu": "h100-sxm-80gb", "gpuCount": 8}}""");
        assertThat(result).hasStatusOk();
        assertThat(result).bodyJson().extractingPath("$.training.method").isEqualTo("LORA");
        assertThat(result).bodyJson().extractingPath("$.perGpuPerStep[0].bytes").convertTo(Long.class)
                .isEqualTo(14_680_064L);
        assertThat(result).bodyJson().extractingPath("$.perGpuPerStep[0].source").asString().contains("adapters");
        assertProblem(post("""
                {"model": {"preset": "deepseek-v3"}, "batch": {"sequenceLength": 4096},
                 "training": {"method": "LORA"}, "parallelism": {"data": 8}}"""), 422, "training.lora.targetModules");
    }

    @Test
    void gpt3TensorParallelShouldMove336MiBPerLayerPerMicroBatch() {
        // 96 layers × 8·7/8·2048·12288·2 = 96 × 352,321,536 = 33,822,867,456 bytes: the forward's half on the critical
        // path, the backward's input gradients behind the weight-gradient GEMMs
        MvcTestResult result = post("""
                {"model": {"architecture": %s}, "batch": {"sequenceLength": 2048}, "parallelism": {"tensor": 8}}"""
                .formatted(GPT3));
        assertThat(result).hasStatusOk();
        assertThat(result).bodyJson().extractingPath("$.perGpuPerStep[0].parallelism").isEqualTo("TENSOR");
        assertThat(result).bodyJson().extractingPath("$.perGpuPerStep[0].collective").isEqualTo("ALL_REDUCE");
        assertThat(result).bodyJson().extractingPath("$.perGpuPerStep[0].count").isEqualTo(192);
        assertThat(result).bodyJson().extractingPath("$.perGpuPerStep[0].messageBytes").isEqualTo(50_331_648);
        assertThat(result).bodyJson().extractingPath("$.perGpuPerStep[0].bytes").isEqualTo(33_822_867_456L / 2);
        assertThat(result).bodyJson().extractingPath("$.perGpuPerStep[0].overlapsWith").isEqualTo("NONE");
        assertThat(result).bodyJson().extractingPath("$.perGpuPerStep[1].count").isEqualTo(192);
        assertThat(result).bodyJson().extractingPath("$.perGpuPerStep[1].bytes").isEqualTo(33_822_867_456L / 2);
        assertThat(result).bodyJson().extractingPath("$.perGpuPerStep[1].overlapsWith").isEqualTo("WEIGHT_GRADIENT");
        assertThat(result).bodyJson().extractingPath("$.perGpuPerStep[0].groupSize").isEqualTo(8);
        assertThat(result).bodyJson().extractingPath("$.perGpuPerStep[0].documentFormula.expression")
                .isEqualTo("4bsh (FFN) + 4bsh (attention) per layer, forward + backward");
        assertThat(result).bodyJson().extractingPath("$.perGpuPerStep[0].documentFormula.value").isEqualTo(201_326_592);
        assertThat(result).bodyJson().extractingPath("$.perGpuPerStep[0].documentFormula.substituted")
                .isEqualTo("4·1·2048·12288 + 4·1·2048·12288");
        // embedding (forward) and LM head (backward): 7/4 · 50,331,648 each
        assertThat(result).bodyJson().extractingPath("$.totalBytes").isEqualTo(33_822_867_456L + 2 * 88_080_384L);
        assertThat(result).bodyJson().extractingPath("$.microBatchesPerStep").isEqualTo(1);
        assertThat(result).bodyJson().doesNotHavePath("$.totalSeconds");
        assertThat(result).bodyJson().doesNotHavePath("$.perGpuPerStep[0].link");
        assertThat(result).bodyJson().extractingPath("$.placement").isEqualTo("tp-cp-ep-dp-pp");
        assertThat(result).bodyJson().extractingPath("$.assumptions").asArray()
                .anySatisfy((line) -> assertThat(line).asString().contains("m = 1"));
    }

    @Test
    void fullRecomputationShouldAddTheForwardAllReducesAgain() {
        MvcTestResult result = post("""
                {"model": {"architecture": %s}, "batch": {"sequenceLength": 2048}, "parallelism": {"tensor": 8},
                 "activations": {"recomputation": "FULL"}}""".formatted(GPT3));
        // 12·7/8·2048·12288·2 = 528,482,304 per layer: 352,321,536 + 176,160,768
        assertThat(result).bodyJson().extractingPath("$.perGpuPerStep[2].bytes").isEqualTo(96 * 176_160_768L);
        assertThat(result).bodyJson().extractingPath("$.perGpuPerStep[2].source").asString().contains("full recomputation");
    }

    @Test
    void clusterShouldGiveLinksSecondsAndTheExposedPart() {
        MvcTestResult result = post(LLAMA);
        assertThat(result).hasStatusOk();
        assertThat(result).bodyJson().extractingPath("$.gpu").isEqualTo("h100-sxm-80gb");
        assertThat(result).bodyJson().extractingPath("$.gpusPerNode").isEqualTo(8);
        // ZeRO-1 over 8 data ranks that sit 8 apart: inter-node; tensor parallel fills a node: intra-node
        assertThat(result).bodyJson().extractingPath("$.perGpuPerStep[0].collective").isEqualTo("REDUCE_SCATTER");
        assertThat(result).bodyJson().extractingPath("$.perGpuPerStep[0].link").isEqualTo("INTER_NODE");
        assertThat(result).bodyJson().extractingPath("$.perGpuPerStep[0].overlappable").isEqualTo(true);
        assertThat(result).bodyJson().extractingPath("$.perGpuPerStep[0].exposedSeconds").isEqualTo(0.0);
        assertThat(result).bodyJson().extractingPath("$.perGpuPerStep[0].documentFormula.expression")
                .isEqualTo("ZeRO-1: 2Φ per GPU");
        assertThat(result).bodyJson().extractingPath("$.perGpuPerStep[0].documentFormula.value").isEqualTo(13_476_831_232L);
        assertThat(result).bodyJson().extractingPath("$.perGpuPerStep[2].link").isEqualTo("INTRA_NODE");
        assertThat(result).bodyJson().extractingPath("$.groups[0].name").isEqualTo("tensor");
        assertThat(result).bodyJson().extractingPath("$.groups[0].span").isEqualTo(8);
        assertThat(number(result, "$.totalSeconds")).isGreaterThan(number(result, "$.exposedSeconds"));
        assertThat(number(result, "$.exposedSeconds")).isPositive();
    }

    @Test
    void placementAndLatenciesShouldBeUsed() {
        MvcTestResult result = post(LLAMA.replace("\"cluster\"", "\"placement\": \"DP-TP-CP-EP-PP\", "
                + "\"latency\": {\"intraNodeSeconds\": 0, \"interNodeSeconds\": 0}, \"cluster\""));
        assertThat(result).hasStatusOk();
        assertThat(result).bodyJson().extractingPath("$.placement").isEqualTo("dp-tp-cp-ep-pp");
        assertThat(result).bodyJson().extractingPath("$.perGpuPerStep[0].link").isEqualTo("INTRA_NODE");
        assertThat(result).bodyJson().extractingPath("$.perGpuPerStep[2].link").isEqualTo("INTER_NODE");
        // zero latency: seconds = bytes / 50 GB/s for the inter-node tensor-parallel all-reduces
        assertThat(number(result, "$.perGpuPerStep[2].seconds"))
                .isCloseTo(number(result, "$.perGpuPerStep[2].bytes") / 50e9, within(1e-9));
    }

    @Test
    void pipelineShouldReportTheWholePipelineAndTheBusiestStage() {
        // p = 4, m = 8: 2·3·8 boundaries × 4096·4096·2 bytes = 1,610,612,736
        MvcTestResult result = post("""
                {"model": {"preset": "llama-2-7b"}, "batch": {"sequenceLength": 4096, "globalBatchSize": 16},
                 "parallelism": {"data": 2, "pipeline": 4}}""");
        assertThat(result).hasStatusOk();
        assertThat(result).bodyJson().extractingPath("$.microBatchesPerStep").isEqualTo(8);
        assertThat(result).bodyJson().extractingPath("$.pipelineBytesPerStep").isEqualTo(1_610_612_736);
        assertThat(result).bodyJson().extractingPath("$.stages").asArray().hasSize(4);
        assertThat(result).bodyJson().extractingPath("$.perGpuPerStep[?(@.parallelism == 'PIPELINE')].documentFormula.expression")
                .asArray().containsExactly("2(N−1)·bsh");
    }

    @Test
    void malformedJsonShouldBe400() {
        assertProblem(post("{\"model\": "), 400, null);
        assertProblem(post(""), 400, "body");
        assertProblem(post(LLAMA + "]"), 400, "body");
        assertProblem(post(LLAMA.replace("\"training\"", "\"bandwidth\": 1, \"training\"")), 400, "bandwidth");
    }

    @Test
    void missingAndOutOfRangeFieldsShouldBe400NamingTheField() {
        assertProblem(post("{\"batch\": {\"sequenceLength\": 4096}}"), 400, "model");
        assertProblem(post("{\"model\": {\"preset\": \"llama-2-7b\"}}"), 400, "batch");
        assertProblem(post("{\"model\": {\"preset\": \"llama-2-7b\"}, \"batch\": {\"microBatchSize\": 1}}"), 400,
                "batch.sequenceLength");
        assertProblem(post(LLAMA.replace("\"tensor\": 8", "\"tensor\": 0")), 400, "parallelism.tensor");
        assertProblem(post(LLAMA.replace("\"zeroStage\": 1", "\"zeroStage\": 4")), 400, "training.zeroStage");
        assertProblem(post(LLAMA.replace("\"gpuCount\": 64", "\"gpuCount\": 0")), 400, "cluster.gpuCount");
        assertProblem(post(LLAMA.replace("\"cluster\"", "\"mfu\": 0, \"cluster\"")), 400, "mfu");
        assertProblem(post(LLAMA.replace("\"cluster\"", "\"latency\": {\"interNodeSeconds\": -1}, \"cluster\"")), 400,
                "latency.interNodeSeconds");
        assertProblem(post(LLAMA.replace("\"cluster\"", "\"placement\": \"tp-cp-dp-pp\", \"cluster\"")), 400, "placement");
        assertProblem(post(LLAMA.replace("\"cluster\"", "\"placement\": \"tp-tp-ep-dp-pp\", \"cluster\"")), 400, "placement");
        assertProblem(post("""
                {"model": {"preset": "llama-2-7b"}, "batch": {"sequenceLength": 4096}, "latency": {"intraNodeSeconds": 1e-6}}"""),
                400, "latency");
    }

    @Test
    void unknownEnumShouldBe400ListingTheChoices() {
        MvcTestResult result = post(LLAMA.replace("\"training\"", "\"activations\": {\"recomputation\": \"ALL\"}, \"training\""));
        assertProblem(result, 400, "activations.recomputation");
        assertThat(result).bodyJson().extractingPath("$['errors']['activations.recomputation']").asString()
                .contains("NONE", "SELECTIVE", "FULL");
        assertProblem(post(LLAMA.replace("\"zeroStage\": 1", "\"precision\": \"FP8\"")), 400, "training.precision");
    }

    @Test
    void unknownPresetsShouldBe404() {
        MvcTestResult gpu = post(LLAMA.replace("h100-sxm-80gb", "h100"));
        assertProblem(gpu, 404, "cluster.gpu");
        assertProblem(post(LLAMA.replace("llama-2-7b", "llama-2-7")), 404, "model.preset");
    }

    @Test
    void impossibleLayoutsShouldBe422() {
        // tensor 3 does not divide 32 heads; 8 × 8 ≠ 16 GPUs; global batch 12 is not a multiple of 1 × 8
        assertProblem(post(LLAMA.replace("\"tensor\": 8", "\"tensor\": 3").replace("64", "24")), 422, "parallelism.tensor");
        assertProblem(post(LLAMA.replace("64", "16")), 422, "cluster.gpuCount");
        assertProblem(post(LLAMA.replace("4096}", "4096, \"globalBatchSize\": 12}")), 422, "batch.globalBatchSize");
        assertProblem(post(LLAMA.replace("\"data\": 8", "\"data\": 8, \"context\": 3").replace("64", "192")), 422,
                "batch.sequenceLength");
        assertProblem(post(LLAMA.replace("\"data\": 8", "\"data\": 8, \"expert\": 2")), 422, "parallelism.expert");
    }

    @Test
    void bytesBeyondLongShouldBe422() {
        // 2^62 micro-batches per step of tensor-parallel traffic
        assertProblem(post(LLAMA.replace("4096}", "4096, \"globalBatchSize\": 36893488147419103232}")), 400,
                "batch.globalBatchSize");
        assertProblem(post("""
                {"model": {"preset": "llama-2-7b"}, "batch": {"sequenceLength": 4096, "globalBatchSize": 4611686018427387904},
                 "parallelism": {"tensor": 2}}"""), 422, "perGpuPerStep.bytes");
    }

    @Test
    void clusterWithoutGpuCountShouldRunOnTheLayoutAndSaySo() {
        MvcTestResult given = post(LLAMA);
        MvcTestResult defaulted = post(LLAMA.replace(", \"gpuCount\": 64", ""));
        assertThat(defaulted).hasStatusOk();
        assertThat(defaulted).bodyJson().extractingPath("$.assumptions[0]").isEqualTo("cluster.gpuCount not given: "
                + "the layout's data × tensor × pipeline × context = 64 GPUs.");
        assertThat(number(defaulted, "$.totalSeconds")).isEqualTo(number(given, "$.totalSeconds")).isPositive();
        // no data degree: 64 GPUs / tensor 8 = data 8, the same traffic as LLAMA's explicit layout
        MvcTestResult filled = post(LLAMA.replace("\"data\": 8, ", ""));
        assertThat(filled).hasStatusOk();
        assertThat(filled).bodyJson().extractingPath("$.parallelism.data").isEqualTo(8);
        assertThat(number(filled, "$.totalBytes")).isEqualTo(number(given, "$.totalBytes")).isPositive();
        assertThat(filled).bodyJson().extractingPath("$.assumptions[0]").asString().startsWith("parallelism.data not given: 8");
    }
}
