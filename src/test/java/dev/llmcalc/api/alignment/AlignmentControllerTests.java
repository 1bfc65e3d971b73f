package dev.llmcalc.api.alignment;

import static dev.llmcalc.api.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import dev.llmcalc.api.ProblemAssertions;

@WebMvcTest(AlignmentController.class)
class AlignmentControllerTests {

    @Autowired
    private MockMvcTester mvc;

    private MvcTestResult post(String body) {
        return this.mvc.post().uri("/api/v1/alignment").contentType(MediaType.APPLICATION_JSON).content(body)
                .exchange();
    }

    @Test
    void dpoShouldAddTheFrozenReferenceToThePolicysStates() {
        MvcTestResult result = post("""
                {"algorithm": "DPO", "model": {"preset": "llama-2-7b"}}""");
        assertThat(result).hasStatusOk();
        // 16Φ + 2Φ, Φ = 6,738,415,616
        assertThat((long) ProblemAssertions.number(result, "$.modelStatesBytes")).isEqualTo(121_291_481_088L);
        assertThat(result).bodyJson().extractingPath("$.roles[1].role").isEqualTo("REFERENCE");
        assertThat((long) ProblemAssertions.number(result, "$.roles[1].bytesPerGpu")).isEqualTo(13_476_831_232L);
    }

    @Test
    void grpoShouldSizeTheRolloutsCacheAndBoundItsTime() {
        MvcTestResult result = post("""
                {"algorithm": "GRPO", "model": {"preset": "llama-2-7b"}, "gpu": "h100-sxm-80gb",
                 "rollout": {"prompts": 2, "promptLength": 1024, "responseLength": 1024, "samplesPerPrompt": 8}}""");
        assertThat(result).hasStatusOk();
        assertThat((long) ProblemAssertions.number(result, "$.generation.kvCacheBytes")).isEqualTo(17_179_869_184L);
        assertThat(ProblemAssertions.number(result, "$.generation.weightReadSeconds"))
                .isEqualTo(1024 * 2.0 * 6_738_415_616L / 3.35e12);
        assertThat(result).bodyJson().extractingPath("$.roles.length()").isEqualTo(3);
    }

    @Test
    void aGroupSizeOnPpoShouldBeRefusedNamingTheField() {
        MvcTestResult result = post("""
                {"algorithm": "PPO", "model": {"preset": "llama-2-7b"},
                 "rollout": {"prompts": 2, "promptLength": 128, "responseLength": 128, "samplesPerPrompt": 4}}""");
        assertProblem(result, 422, "rollout.samplesPerPrompt");
    }

    @Test
    void aMissingAlgorithmShouldBeABadRequest() {
        assertProblem(post("""
                {"model": {"preset": "llama-2-7b"}}"""), 400, "algorithm");
    }
}
