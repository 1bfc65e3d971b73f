package dev.llmcalc.api.plans;

import static dev.llmcalc.api.ProblemAssertions.assertProblem;
import static dev.llmcalc.api.ProblemAssertions.number;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import dev.llmcalc.ops.PlannerMetrics;

/** Issue 16's time costs on /checks: FP8 GEMMs at the FP8 peak, and ZeRO-Offload's transfers and CPU optimizer step. */
@WebMvcTest({ PlansController.class, ChecksController.class })
@Import(ChecksFp8AndOffloadTimeTests.Metrics.class)
class ChecksFp8AndOffloadTimeTests {

    @TestConfiguration
    static class Metrics {

        @Bean
        PlannerMetrics plannerMetrics() {
            return new PlannerMetrics(new SimpleMeterRegistry());
        }
    }

    @Autowired
    private MockMvcTester mvc;

    private MvcTestResult checks(String body) {
        return this.mvc.post().uri("/api/v1/checks").contentType(MediaType.APPLICATION_JSON).content(body).exchange();
    }

    @Test
    void checksWhenFp8ShouldRunTheLinearGemmsAtTheFp8Peak() {
        String plan = """
                {"model": {"preset": "llama-3-8b"}, "batch": {"sequenceLength": 4096, "globalBatchSize": 1024},
                 "training": {"precision": "%s", "zeroStage": 1}, "parallelism": {"data": 8},
                 "cluster": {"gpu": "h100-sxm-80gb", "gpuCount": 8}}""";
        MvcTestResult fp8 = checks(plan.formatted("MIXED_FP8"));
        MvcTestResult bf16 = checks(plan.formatted("MIXED_BF16_FP32_GRADS"));
        assertThat(fp8).hasStatus(200);
        String path = "$.estimate.step.kernels.matmulSeconds";
        // per GPU 128 micro-batches of 4,096 tokens; the LM head (2·4,096·128,256 FLOPs per token, forward and both
        // backward GEMMs) stays at 0.625 × BF16 989 TFLOP/s; the layers' linear GEMMs (436,207,616 FLOPs per token and
        // layer, × 32 layers × 3) move from 0.625 × 989 to 0.625 × the FP8 1,979 TFLOP/s
        double head = 128 * 4096.0 * 3 * 1_050_673_152.0 / (989e12 * 0.625);
        double linearBf16 = number(bf16, path) - head;
        double linearFp8 = number(fp8, path) - head;
        // slowed by the H100's wave quantization: these GEMMs' tiles fill 32 of each 33 of its 132 SMs' slots
        assertThat(linearBf16).isCloseTo(128 * 4096.0 * 32 * 3 * 436_207_616.0 / (989e12 * 0.625) * 33 / 32,
                within(1e-9));
        assertThat(linearFp8 / linearBf16).isCloseTo(989.0 / 1979.0, within(1e-12));
        assertThat(fp8).bodyJson().extractingPath("$.assumptions").asArray()
                .anySatisfy((a) -> assertThat(a.toString()).startsWith("FP8 GEMMs: under Transformer Engine's")
                        .contains("the attention core (QKᵀ, P·V: fp8_dpa off), the MoE router, the LM head"));
        assertThat(bf16).bodyJson().extractingPath("$.assumptions").asArray()
                .noneSatisfy((a) -> assertThat(a.toString()).startsWith("FP8 GEMMs"));
    }

    @Test
    void checksWhenTheOptimizerIsOffloadedShouldAddTheCpuStepAndTheTransfers() {
        String plan = """
                {"model": {"preset": "llama-2-7b"}, "batch": {"sequenceLength": 4096, "globalBatchSize": 8},
                 "training": {"zeroStage": 2, "offload": {"optimizer": "CPU"%s}}, "parallelism": {"data": 8},
                 "cluster": {"gpu": "h100-sxm-80gb", "gpuCount": 8}}""";
        MvcTestResult result = checks(plan.formatted(""));
        assertThat(result).hasStatus(200);
        // Φ = 6,738,415,616: the node's 8 partitions of Φ/8 at 10e9 / 2.57 parameters/s, then the bf16 partition back
        // over PCIe Gen5 (64 GB/s): 842,301,952 · 2 B / 64e9
        double cpu = 6_738_415_616.0 * 2.57 / 1e10;
        double back = 842_301_952.0 * 2 / 64e9;
        assertThat(number(result, "$.estimate.step.offload.cpuOptimizerSeconds")).isCloseTo(cpu, within(1e-9));
        assertThat(number(result, "$.estimate.step.offload.weightsToGpuSeconds")).isCloseTo(back, within(1e-12));
        assertThat(number(result, "$.estimate.step.offloadSeconds")).isCloseTo(cpu + back, within(1e-9));
        assertThat(number(result, "$.estimate.step.kernels.optimizerSeconds")).isZero();
        assertThat(result).bodyJson().extractingPath("$.estimate.step.bound").isEqualTo("offload");
        assertThat(result).bodyJson().extractingPath("$.assumptions").asArray()
                .anySatisfy((a) -> assertThat(a.toString()).startsWith("Offload time (DeepSpeed's schedule)")
                        .contains("Host link: 64.0 GB/s per GPU per direction"));
        // the node's CPU throughput is the caller's to set: twice as fast, half the CPU step
        MvcTestResult faster = checks(plan.formatted(", \"cpuAdamParametersPerSecond\": 7.782101167315175e9"));
        assertThat(number(faster, "$.estimate.step.offload.cpuOptimizerSeconds")).isCloseTo(cpu / 2, within(1e-6));
        // a plan without offload has no offload part
        MvcTestResult none = checks(plan.formatted("").replace(", \"offload\": {\"optimizer\": \"CPU\"}", ""));
        assertThat(number(none, "$.estimate.step.offloadSeconds")).isZero();
        assertThat(none).bodyJson().doesNotHavePath("$.estimate.step.offload");
    }

    @Test
    void checksWhenActivationCheckpointsGoToTheHostShouldMoveTheirBytesAndPriceTheTrips() {
        // Llama-2-7B, full recomputation, micro-batch 1 of 4,096 tokens, data 8 on 8 H100s (p = 1, one micro-batch in
        // flight): each layer's checkpoint is its bf16 input, 4,096 × 4,096 × 2 = 33,554,432 B; 32 layers go to the
        // host (1,073,741,824 B per GPU); the GPU keeps the two in transit (67,108,864 B)
        String plan = """
                {"model": {"preset": "llama-2-7b"}, "batch": {"microBatchSize": 1, "sequenceLength": 4096,
                 "globalBatchSize": 32}, "training": {"zeroStage": 1%s}, "activations": {"recomputation": "%s"},
                 "parallelism": {"data": 8}, "cluster": {"gpu": "h100-sxm-80gb", "gpuCount": 8}}""";
        MvcTestResult kept = checks(plan.formatted("", "FULL"));
        MvcTestResult offloaded = checks(plan.formatted(", \"offload\": {\"activations\": \"CPU\"}", "FULL"));
        assertThat(offloaded).hasStatus(200);
        long checkpoint = 4096L * 4096 * 2;
        assertThat((long) number(kept, "$.estimate.activationsBytes")
                - (long) number(offloaded, "$.estimate.activationsBytes")).isEqualTo(32 * checkpoint - 2 * checkpoint);
        assertThat((long) number(offloaded, "$.estimate.offload.hostBytesPerGpu")).isEqualTo(32 * checkpoint);
        assertThat((long) number(offloaded, "$.estimate.offload.hostBytesPerNode")).isEqualTo(8 * 32 * checkpoint);
        // 4 micro-batches, each 32 checkpoints out during forward and back during backward at 64 GB/s
        assertThat(number(offloaded, "$.estimate.step.offload.checkpointSeconds"))
                .isCloseTo(2 * 4 * 32 * checkpoint / 64e9, within(1e-12));
        // no optimizer offload: no CPU step
        assertThat(number(offloaded, "$.estimate.step.offload.cpuOptimizerSeconds")).isZero();
        // only with full recomputation, and not on NVMe
        assertProblem(checks(plan.formatted(", \"offload\": {\"activations\": \"CPU\"}", "SELECTIVE")), 422,
                "training.offload.activations");
        assertProblem(checks(plan.formatted(", \"offload\": {\"activations\": \"NVME\"}", "FULL")), 422,
                "training.offload.activations");
    }

    @Test
    void checksShouldRefuseANonPositiveNvmeBandwidthNamingTheField() {
        MvcTestResult result = checks("""
                {"model": {"preset": "llama-2-7b"}, "batch": {"sequenceLength": 4096, "globalBatchSize": 8},
                 "training": {"zeroStage": 2, "offload": {"optimizer": "NVME", "nvmeBandwidth": 0}},
                 "parallelism": {"data": 8}, "cluster": {"gpu": "h100-sxm-80gb", "gpuCount": 8}}""");
        // a value out of range is a 400 naming the field, as every Bean Validation bound in this API (README "Errors")
        assertProblem(result, 400, "training.offload.nvmeBandwidth");
    }
}
