package dev.llmcalc.api.memory;

import static dev.llmcalc.api.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

@WebMvcTest(MemoryController.class)
class TrainingMemoryEndpointTests {

    private static final String LLAMA_ZERO1_ON_8 = """
            {"model": {"preset": "llama-2-7b"}, "batch": {"sequenceLength": 4096, "globalBatchSize": 1024},
             "training": {"zeroStage": 1}, "parallelism": {"data": 8}%s}""";

    @Autowired
    private MockMvcTester mvc;

    private MvcTestResult post(String path, String body) {
        return this.mvc.post().uri("/api/v1/memory/" + path).contentType(MediaType.APPLICATION_JSON).content(body)
                .exchange();
    }

    private static long number(MvcTestResult result, String path) {
        return (long) dev.llmcalc.api.ProblemAssertions.number(result, path);
    }

    @Test
    void totalShouldBeTheSumOfItsPartsAndMatchTheOtherEndpoints() {
        MvcTestResult training = post("training", LLAMA_ZERO1_ON_8.formatted(""));
        assertThat(training).hasStatusOk();
        MvcTestResult states = post("model-states", """
                {"model": {"preset": "llama-2-7b"}, "training": {"zeroStage": 1}, "parallelism": {"data": 8}}""");
        MvcTestResult activations = post("activations", """
                {"model": {"preset": "llama-2-7b"}, "batch": {"sequenceLength": 4096, "globalBatchSize": 1024},
                 "parallelism": {"data": 8}}""");
        assertThat(number(training, "$.perGpu.modelStatesBytes")).isEqualTo(number(states, "$.perGpu.totalBytes"));
        assertThat(number(training, "$.perGpu.activationsBytes")).isEqualTo(number(activations, "$.totalBytes"));
        assertThat(number(training, "$.perGpu.transientBytes")).isEqualTo(number(activations, "$.transientBytes"));
        long parts = number(training, "$.perGpu.modelStatesBytes") + number(training, "$.perGpu.activationsBytes")
                + number(training, "$.perGpu.transientBytes");
        // default allowance: 1 GiB + 512 MiB + 5 % of the parts, rounded up
        assertThat(number(training, "$.perGpu.frameworkBytes"))
                .isEqualTo(1_073_741_824L + 536_870_912L + (long) Math.ceil(parts * 0.05));
        assertThat(number(training, "$.perGpu.totalBytes")).isEqualTo(parts + number(training, "$.perGpu.frameworkBytes"));
        assertThat(training).bodyJson().doesNotHavePath("$.fits");
    }

    @Test
    void withAGpuShouldSayWhetherItFitsAndHowMuchIsLeft() {
        MvcTestResult result = post("training", LLAMA_ZERO1_ON_8.formatted(
                ", \"cluster\": {\"gpu\": \"h100-sxm-80gb\", \"gpuCount\": 8}"));
        assertThat(result).bodyJson().extractingPath("$.fits").isEqualTo(true);
        assertThat(result).bodyJson().extractingPath("$.gpu.memoryBytes").isEqualTo(85_899_345_920L);
        assertThat(number(result, "$.headroomBytes")).isEqualTo(85_899_345_920L - number(result, "$.perGpu.totalBytes"));
        assertThat(number(result, "$.maxMicroBatchSize")).isGreaterThanOrEqualTo(1);
        assertThat(number(result, "$.maxSequenceLength")).isGreaterThanOrEqualTo(4096);
    }

    @Test
    void zeroAllowanceShouldRemoveIt() {
        MvcTestResult result = post("training", LLAMA_ZERO1_ON_8.formatted(
                ", \"allowance\": {\"cudaContextBytes\": 0, \"communicationBufferBytes\": 0, \"fragmentationFraction\": 0}"));
        assertThat(result).bodyJson().extractingPath("$.perGpu.frameworkBytes").isEqualTo(0);
    }

    @Test
    void notFittingShouldStillAnswer200WithNegativeHeadroom() {
        MvcTestResult result = post("training", """
                {"model": {"preset": "llama-2-7b"}, "batch": {"sequenceLength": 4096},
                 "cluster": {"gpu": "a100-sxm-40gb"}}""");
        assertThat(result).hasStatusOk();
        assertThat(result).bodyJson().extractingPath("$.fits").isEqualTo(false);
        assertThat(number(result, "$.headroomBytes")).isNegative();
        assertThat(result).bodyJson().extractingPath("$.maxMicroBatchSize").isEqualTo(0);
    }

    @Test
    void badRequestsShouldNameTheField() {
        assertProblem(post("training", "{\"model\": {\"preset\": \"gpt2\"}}"), 400, "batch");
        assertProblem(post("training", LLAMA_ZERO1_ON_8.formatted(", \"cluster\": {\"gpu\": \"h100\", \"gpuCount\": 8}")),
                404, "cluster.gpu");
        assertProblem(post("training", LLAMA_ZERO1_ON_8.formatted(
                ", \"cluster\": {\"gpu\": \"h100-sxm-80gb\", \"gpuCount\": 64}")), 422, "cluster.gpuCount");
        assertProblem(post("training", LLAMA_ZERO1_ON_8.formatted(", \"allowance\": {\"fragmentationFraction\": 2}")),
                400, "allowance.fragmentationFraction");
        assertProblem(post("training", LLAMA_ZERO1_ON_8.formatted(", \"cluster\": {\"gpu\": {\"memoryBytes\": 1}}")),
                400, "cluster.gpu.peakFlops");
    }

    @Test
    void clusterWithoutParallelismShouldFillItWithDataParallelRanksAndSaySo() {
        // 64 H100s and no layout: data 64, ZeRO-1 over 64 ranks; the same bytes as "parallelism": {"data": 64}
        String run = """
                {"model": {"preset": "llama-2-7b"}, "batch": {"sequenceLength": 4096, "globalBatchSize": 1024},
                 "training": {"zeroStage": 1}%s, "cluster": {"gpu": "h100-sxm-80gb"%s}}""";
        MvcTestResult filled = post("training", run.formatted("", ", \"gpuCount\": 64"));
        assertThat(filled).hasStatusOk();
        assertThat(filled).bodyJson().extractingPath("$.parallelism.data").isEqualTo(64);
        assertThat(filled).bodyJson().extractingPath("$.assumptions[0]").isEqualTo("parallelism.data not given: 64, "
                + "which fills the cluster (cluster.gpuCount 64 / (tensor × pipeline × context = 1)).");
        MvcTestResult explicit = post("training", run.formatted(", \"parallelism\": {\"data\": 64}", ", \"gpuCount\": 64"));
        assertThat(number(filled, "$.perGpu.totalBytes")).isEqualTo(number(explicit, "$.perGpu.totalBytes"));
        assertThat(explicit).bodyJson().extractingPath("$.assumptions[0]").asString().doesNotContain("not given");
        // a layout without a GPU count runs on its own product, and says so
        MvcTestResult counted = post("training", run.formatted(", \"parallelism\": {\"data\": 64}", ""));
        assertThat(counted).hasStatusOk();
        assertThat(number(counted, "$.perGpu.totalBytes")).isEqualTo(number(explicit, "$.perGpu.totalBytes"));
        assertThat(counted).bodyJson().extractingPath("$.assumptions[0]").isEqualTo("cluster.gpuCount not given: the "
                + "layout's data × tensor × pipeline × context = 64 GPUs.");
        // with tensor 8 the 64 GPUs take data 8
        MvcTestResult tensor = post("training", run.formatted(", \"parallelism\": {\"tensor\": 8}", ", \"gpuCount\": 64"));
        assertThat(tensor).bodyJson().extractingPath("$.parallelism.data").isEqualTo(8);
        // both given and disagreeing stays a 422; a GPU count no data degree fills too
        assertProblem(post("training", run.formatted(", \"parallelism\": {\"data\": 8}", ", \"gpuCount\": 64")), 422,
                "cluster.gpuCount");
        assertProblem(post("training", run.formatted(", \"parallelism\": {\"tensor\": 8}", ", \"gpuCount\": 12")), 422,
                "cluster.gpuCount");
    }
}
