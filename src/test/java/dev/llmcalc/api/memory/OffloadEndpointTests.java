package dev.llmcalc.api.memory;

import static dev.llmcalc.api.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import dev.llmcalc.api.ProblemAssertions;

/** Issue 16's ZeRO-Offload case through the API (Φ = 6,738,415,616). */
@WebMvcTest(MemoryController.class)
class OffloadEndpointTests {

    private static final long PHI = 6_738_415_616L;

    @Autowired
    private MockMvcTester mvc;

    private MvcTestResult post(String path, String body) {
        return this.mvc.post().uri("/api/v1/memory/" + path).contentType(MediaType.APPLICATION_JSON).content(body)
                .exchange();
    }

    private static long number(MvcTestResult result, String path) {
        return (long) ProblemAssertions.number(result, path);
    }

    @Test
    void modelStatesShouldItemiseWhatTheCpuHoldsBesideDeepSpeedsEstimate() {
        MvcTestResult result = post("model-states", """
                {"model": {"preset": "llama-2-7b"}, "training": {"zeroStage": 2, "offload": {"optimizer": "CPU"}},
                 "parallelism": {"data": 8}}""");
        assertThat(result).hasStatusOk();
        assertThat(number(result, "$.perGpu.weightsBytes")).isEqualTo(2 * PHI);
        assertThat(number(result, "$.perGpu.gradientsBytes")).isEqualTo(2 * PHI / 8);
        assertThat(number(result, "$.perGpu.optimizerStatesBytes")).isZero();
        // a node of 8: 12Φ of fp32 master, momentum and variance + 4Φ of fp32 gradients
        assertThat(number(result, "$.offload.buffers[0].bytesPerGpu") * 8).isEqualTo(80_860_987_392L);
        assertThat(number(result, "$.offload.hostBytesPerNode")).isEqualTo(16 * PHI);
        assertThat(result).bodyJson().extractingPath("$.training.offload.optimizer").isEqualTo("CPU");
        // DeepSpeed's estimate_zero2_model_states_mem_needs: 2Φ on the GPU
        assertThat(number(result, "$.offload.deepSpeed.value")).isEqualTo(2 * PHI);
    }

    @Test
    void trainingMemoryShouldCountTheGpuWithoutWhatMoved() {
        MvcTestResult offloaded = post("training", """
                {"model": {"preset": "llama-2-7b"}, "batch": {"sequenceLength": 2048},
                 "training": {"zeroStage": 2, "offload": {"optimizer": "CPU"}}, "parallelism": {"data": 8}}""");
        MvcTestResult kept = post("training", """
                {"model": {"preset": "llama-2-7b"}, "batch": {"sequenceLength": 2048},
                 "training": {"zeroStage": 2}, "parallelism": {"data": 8}}""");
        // ZeRO-2 keeps 12Φ/8 of optimizer states on each GPU; offloading moves exactly them
        assertThat(number(kept, "$.perGpu.modelStatesBytes") - number(offloaded, "$.perGpu.modelStatesBytes"))
                .isEqualTo(12 * PHI / 8);
        assertThat(number(offloaded, "$.offload.hostBytesPerGpu")).isEqualTo(2 * PHI);
    }

    @Test
    void trainingMemoryShouldSayWhetherTheOffloadFitsTheNodesHostMemory() {
        // Llama-2-7B, ZeRO-2 over 8 H100 with the optimizer on the CPU: a node keeps 16Φ = 107,814,649,856 B, which fits
        // the DGX H100's 2 TiB of host memory (the preset's) and not a node of 100 GB (the request's)
        String body = """
                {"model": {"preset": "llama-2-7b"}, "batch": {"sequenceLength": 2048},
                 "training": {"zeroStage": 2, "offload": {"optimizer": "CPU"}}, "parallelism": {"data": 8},
                 "cluster": {"gpu": "h100-sxm-80gb"%s}}""";
        MvcTestResult dgx = post("training", body.formatted(""));
        assertThat(dgx).hasStatusOk();
        assertThat(number(dgx, "$.offload.hostBytesPerNode")).isEqualTo(16 * PHI);
        assertThat(number(dgx, "$.offload.hostMemoryBytesPerNode")).isEqualTo(2048L << 30);
        assertThat(dgx).bodyJson().extractingPath("$.offload.hostFits").isEqualTo(true);
        MvcTestResult small = post("training", body.formatted(", \"hostMemoryBytesPerNode\": 100000000000"));
        assertThat(number(small, "$.offload.hostMemoryBytesPerNode")).isEqualTo(100_000_000_000L);
        assertThat(small).bodyJson().extractingPath("$.offload.hostFits").isEqualTo(false);
        // a node of 4 GPUs holds 4 ranks' buffers, in half a DGX's memory (the preset's per GPU)
        MvcTestResult half = post("training", body.formatted(", \"gpusPerNode\": 4"));
        assertThat(number(half, "$.offload.hostBytesPerNode")).isEqualTo(8 * PHI);
        assertThat(number(half, "$.offload.hostMemoryBytesPerNode")).isEqualTo(1024L << 30);
        // a GPU whose usual node is not published: the answer does not guess
        MvcTestResult unknown = post("training", body.formatted("").replace("h100-sxm-80gb", "h100-pcie-80gb"));
        assertThat(unknown).bodyJson().doesNotHavePath("$.offload.hostFits");
        assertThat(unknown).bodyJson().doesNotHavePath("$.offload.hostMemoryBytesPerNode");
        assertProblem(post("training", body.formatted(", \"hostMemoryBytesPerNode\": 0")), 400,
                "cluster.hostMemoryBytesPerNode");
        // the GPU object's own node size scales the preset's memory per GPU, as cluster.gpusPerNode does
        MvcTestResult overridden = post("training", body.formatted("").replace("\"h100-sxm-80gb\"",
                "{\"base\": \"h100-sxm-80gb\", \"gpusPerNode\": 4}"));
        assertThat(number(overridden, "$.offload.hostMemoryBytesPerNode")).isEqualTo(1024L << 30);
        // sizes no node has are refused, never overflow into a 500
        assertProblem(post("training", body.formatted("").replace("\"h100-sxm-80gb\"",
                "{\"base\": \"h100-sxm-80gb\", \"hostMemoryBytesPerNode\": 9000000000000000000}")), 400,
                "cluster.gpu.hostMemoryBytesPerNode");
        // a node size that scales an allowed host memory past a long is a 422, not a wrapped number or a 500
        MvcTestResult huge = post("training", body.formatted(", \"gpusPerNode\": 100000").replace("\"h100-sxm-80gb\"",
                "{\"base\": \"h100-sxm-80gb\", \"hostMemoryBytesPerNode\": 1000000000000000000, "
                        + "\"gpusPerNode\": 1}"));
        assertProblem(huge, 422, "cluster.hostMemoryBytesPerNode");
    }

    @Test
    void offloadWithoutTheZeroStageItNeedsShouldNameTheField() {
        assertProblem(post("model-states", """
                {"model": {"preset": "llama-2-7b"},
                 "training": {"zeroStage": 1, "offload": {"optimizer": "CPU", "parameters": "CPU"}}}"""),
                422, "training.offload.parameters");
        assertProblem(post("model-states", """
                {"model": {"preset": "llama-2-7b"}, "training": {"offload": {"optimizer": "NVME"}}}"""),
                422, "training.offload.optimizer");
    }
}
