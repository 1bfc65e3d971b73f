package dev.llmcalc.api.plans;

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
        // backward GEMMs) stays at 0.52 × BF16 989 TFLOP/s; the layers' linear GEMMs (436,207,616 FLOPs per token and
        // layer, × 32 layers × 3) move from 0.52 × 989 to 0.52 × the FP8 1,979 TFLOP/s
        double head = 128 * 4096.0 * 3 * 1_050_673_152.0 / (989e12 * 0.52);
        double linearBf16 = number(bf16, path) - head;
        double linearFp8 = number(fp8, path) - head;
        assertThat(linearBf16).isCloseTo(128 * 4096.0 * 32 * 3 * 436_207_616.0 / (989e12 * 0.52), within(1e-9));
        assertThat(linearFp8 / linearBf16).isCloseTo(989.0 / 1979.0, within(1e-12));
        assertThat(fp8).bodyJson().extractingPath("$.assumptions").asArray()
                .anySatisfy((a) -> assertThat(a.toString()).startsWith("FP8 GEMMs: under Transformer Engine's")
                        .contains("the attention core (QKᵀ, P·V: fp8_dpa off), the MoE router, the LM head"));
        assertThat(bf16).bodyJson().extractingPath("$.assumptions").asArray()
                .noneSatisfy((a) -> assertThat(a.toString()).startsWith("FP8 GEMMs"));
    }
}
