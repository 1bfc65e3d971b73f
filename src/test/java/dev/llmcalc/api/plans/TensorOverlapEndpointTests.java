package dev.llmcalc.api.plans;

import static dev.llmcalc.api.ProblemAssertions.assertProblem;
import static dev.llmcalc.api.ProblemAssertions.number;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/**
 * {@code kernelEfficiency.tensorOverlap} on {@code /checks}, against the {@code /communication} ledger of the same
 * plan: the exposed seconds each mode answers, derived by hand from the ledger's transfers and the step's GEMM seconds.
 */
@SpringBootTest
@AutoConfigureMockMvc
class TensorOverlapEndpointTests {

    @Autowired
    private MockMvcTester mvc;

    private MvcTestResult post(String path, String body) {
        return this.mvc.post().uri(path).contentType(MediaType.APPLICATION_JSON).content(body).exchange();
    }

    @Test
    void checksShouldPriceTheTensorParallelCollectivesAsTheFrameworkOverlapsThem() {
        String plan = """
                {"model": {"preset": "llama-3-8b"}, "batch": {"sequenceLength": 8192, "globalBatchSize": 64},
                 "activations": {"sequenceParallel": true}, "parallelism": {"tensor": 8},
                 "cluster": {"gpu": "h100-sxm-80gb", "gpuCount": 8}%s}""";
        MvcTestResult none = post("/api/v1/checks", plan.formatted(", \"kernelEfficiency\": {\"tensorOverlap\": \"NONE\"}"));
        MvcTestResult backward = post("/api/v1/checks", plan.formatted(""));
        MvcTestResult full = post("/api/v1/checks", plan.formatted(", \"kernelEfficiency\": {\"tensorOverlap\": \"FULL\"}"));
        assertThat(backward).bodyJson().extractingPath("$.estimate.step.kernelEfficiency.tensorOverlap")
                .isEqualTo("BACKWARD");
        assertThat(full).bodyJson().extractingPath("$.estimate.step.kernelEfficiency.tensorOverlap").isEqualTo("FULL");
        // /communication lists the backward's input-gradient reduce-scatters apart, behind the weight-gradient GEMMs
        MvcTestResult ledger = post("/api/v1/communication", plan.formatted(""));
        assertThat(ledger).bodyJson().extractingPath("$.perGpuPerStep[2].overlapsWith").isEqualTo("WEIGHT_GRADIENT");
        double inputGradients = number(ledger, "$.perGpuPerStep[2].seconds");
        double critical = number(ledger, "$.perGpuPerStep[0].seconds") + number(ledger, "$.perGpuPerStep[1].seconds")
                + number(ledger, "$.perGpuPerStep[4].seconds") + number(ledger, "$.perGpuPerStep[5].seconds")
                + number(ledger, "$.perGpuPerStep[6].seconds");
        double gemms = number(backward, "$.estimate.step.kernels.matmulSeconds");
        double exposedNone = number(none, "$.estimate.step.exposedCommunicationSeconds");
        // BACKWARD: the input gradients behind a third of the GEMM seconds, max(c, x) + 0.3·min(c, x) − c of them out
        double c = gemms / 3;
        assertThat(number(backward, "$.estimate.step.exposedCommunicationSeconds")).isCloseTo(exposedNone
                - inputGradients + Math.max(c, inputGradients) + 0.3 * Math.min(c, inputGradients) - c, within(1e-9));
        // FULL: every layer and head collective behind all the GEMMs, 0.3 of them out
        double all = inputGradients + critical;
        assertThat(number(full, "$.estimate.step.exposedCommunicationSeconds")).isCloseTo(exposedNone - all
                + Math.max(gemms, all) + 0.3 * Math.min(gemms, all) - gemms, within(1e-9));
        assertThat(exposedNone).isGreaterThan(number(backward, "$.estimate.step.exposedCommunicationSeconds"));
        // one node, tensor parallelism alone: all of it is tensor-parallel, and the step names it
        assertThat(number(none, "$.estimate.step.exposedCommunication.tensor")).isEqualTo(exposedNone);
        assertThat(number(none, "$.estimate.step.exposedCommunication.data")).isZero();
        assertThat(none).bodyJson().extractingPath("$.estimate.step.exposedCommunication.largest").isEqualTo("tensor");
        assertProblem(post("/api/v1/checks", plan.formatted(", \"kernelEfficiency\": {\"tensorOverlap\": \"SOMETIMES\"}")),
                400, "kernelEfficiency.tensorOverlap");
    }

    @Test
    void checksShouldPriceTheGradientsAccumulationUnlessTheGemmsDoIt() {
        // Llama-3-8B (8,030,261,248 parameters) data parallel on 8 H100s, ZeRO-1, bf16 gradients, 8 micro-batches per
        // GPU: autograd adds micro-batches 2 to 8 in place, 7 × 3 × 2 bytes per gradient at 0.70 × 3.35 TB/s
        String plan = """
                {"model": {"preset": "llama-3-8b"}, "batch": {"microBatchSize": 1, "sequenceLength": 4096,
                 "globalBatchSize": 64}, "training": {"zeroStage": 1}, "parallelism": {"data": 8},
                 "cluster": {"gpu": "h100-sxm-80gb", "gpuCount": 8}%s}""";
        MvcTestResult unfused = post("/api/v1/checks", plan.formatted(""));
        MvcTestResult fused = post("/api/v1/checks",
                plan.formatted(", \"kernelEfficiency\": {\"gradientAccumulationFusion\": true}"));
        assertThat(unfused).bodyJson().extractingPath("$.estimate.step.kernelEfficiency.gradientAccumulationFusion")
                .isEqualTo(false);
        assertThat(fused).bodyJson().extractingPath("$.estimate.step.kernelEfficiency.gradientAccumulationFusion")
                .isEqualTo(true);
        double bandwidth = 3.35e12;
        assertThat(number(unfused, "$.estimate.step.kernels.memoryBoundSeconds")
                - number(fused, "$.estimate.step.kernels.memoryBoundSeconds"))
                .isCloseTo(8_030_261_248.0 * 7 * 3 * 2 / (bandwidth * 0.70), within(1e-6));
        assertProblem(post("/api/v1/checks", plan.formatted(", \"kernelEfficiency\": {\"gradientAccumulationFusion\": 3}")),
                400, "kernelEfficiency.gradientAccumulationFusion");
    }
}
