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

    @Test
    void aSmallerRewardModelAndACriticAtItsOwnZeroStageShouldBeCountedAsTheirOwn() {
        // reward: Qwen2.5-1.5B (1,543,714,304 parameters, tied embedding so no LM head to drop) + a 1,536-wide scalar
        // head, frozen in bf16: 2 × 1,543,715,840 B; critic: Llama-2-7B-shaped (6,607,347,712) at ZeRO-0: 16 B each
        MvcTestResult result = post("""
                {"algorithm": "PPO", "model": {"preset": "llama-2-7b"},
                 "roles": {"reward": {"model": {"preset": "qwen2.5-1.5b"}},
                           "critic": {"training": {"zeroStage": 0}}}}""");
        assertThat(result).hasStatusOk();
        assertThat((long) ProblemAssertions.number(result, "$.roles[2].parameters")).isEqualTo(1_543_715_840L);
        assertThat((long) ProblemAssertions.number(result, "$.roles[2].bytesPerGpu")).isEqualTo(2 * 1_543_715_840L);
        assertThat((long) ProblemAssertions.number(result, "$.roles[3].bytesPerGpu")).isEqualTo(16 * 6_607_347_712L);
    }

    @Test
    void roleOverridesThatDoNotApplyShouldNameTheRole() {
        assertProblem(post("""
                {"algorithm": "DPO", "model": {"preset": "llama-2-7b"}, "roles": {"critic": {"training": {}}}}"""),
                422, "roles.critic");
        assertProblem(post("""
                {"algorithm": "DPO", "model": {"preset": "llama-2-7b"},
                 "roles": {"reference": {"training": {"zeroStage": 1}}}}"""), 422, "roles.reference.training");
        assertProblem(post("""
                {"algorithm": "PPO", "model": {"preset": "llama-2-7b"},
                 "roles": {"critic": {"training": {"method": "LORA"}}}}"""), 422, "roles.critic.training.method");
    }
}
