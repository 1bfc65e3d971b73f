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

@WebMvcTest(MemoryController.class)
class RecomputeModulesEndpointTests {

    @Autowired
    private MockMvcTester mvc;

    private MvcTestResult post(String activations) {
        return this.mvc.post().uri("/api/v1/memory/activations").contentType(MediaType.APPLICATION_JSON)
                .content("""
                        {"model": {"preset": "llama-2-7b"}, "batch": {"sequenceLength": 4096},
                         "activations": %s}""".formatted(activations)).exchange();
    }

    @Test
    void coreAttnShouldAnswerAsSelectiveAndMlpShouldDropTheFfnIntermediates() {
        MvcTestResult selective = post("{\"recomputation\": \"SELECTIVE\"}");
        MvcTestResult coreAttn = post("{\"recomputation\": \"SELECTIVE\", \"recomputeModules\": [\"core_attn\"]}");
        MvcTestResult withMlp = post("{\"recomputation\": \"SELECTIVE\", \"recomputeModules\": [\"core_attn\", \"mlp\"]}");
        assertThat(coreAttn).hasStatusOk();
        long total = (long) ProblemAssertions.number(selective, "$.totalBytes");
        assertThat((long) ProblemAssertions.number(coreAttn, "$.totalBytes")).isEqualTo(total);
        // SwiGLU keeps gate/up outputs and activation output/product: 8·b·s·f bytes per layer, 32 layers
        assertThat(total - (long) ProblemAssertions.number(withMlp, "$.totalBytes"))
                .isEqualTo(32L * 8 * 4096 * 11_008);
        assertThat(withMlp).bodyJson().extractingPath("$.activations.recomputeModules").asArray()
                .containsExactly("core_attn", "mlp");
    }

    @Test
    void aFusedGatedActivationShouldKeepOneFfnTensorPerLayerLess() {
        MvcTestResult autograd = post("{}");
        MvcTestResult fused = post("{\"fusedGatedActivation\": true}");
        assertThat(fused).hasStatusOk();
        // the SwiGLU's bf16 output, b·s·f·2 bytes per layer, 32 layers (Megatron-Core's fused kernel rebuilds it)
        assertThat((long) ProblemAssertions.number(autograd, "$.totalBytes")
                - (long) ProblemAssertions.number(fused, "$.totalBytes")).isEqualTo(32L * 2 * 4096 * 11_008);
        assertThat(fused).bodyJson().extractingPath("$.activations.fusedGatedActivation").isEqualTo(true);
    }

    @Test
    void modulesNeedSelectiveRecomputationAndKnownNames() {
        assertProblem(post("{\"recomputation\": \"FULL\", \"recomputeModules\": [\"mlp\"]}"), 422,
                "activations.recomputeModules");
        assertProblem(post("{\"recomputation\": \"SELECTIVE\", \"recomputeModules\": [\"attention\"]}"), 422,
                "activations.recomputeModules");
    }
}
