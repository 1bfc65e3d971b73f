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
                 "roles": {"critic": {"training": {"method": "LORA", "lora": {"targetModules": ["q", "lm_head"]}}}}}"""),
                422, "roles.critic.training.lora.targetModules");
    }

    @Test
    void separatePlacementShouldPutEachRoleOnItsOwnGpus() {
        // ZeRO-3 everywhere: policy over 8 GPUs 16Φ/8, reference over 2 GPUs 2Φ/2, reward over 2 GPUs 2Φc/2, critic
        // over 4 GPUs 16Φc/4 (Φ = 6,738,415,616, Φc = 6,607,347,712): 16 GPUs, the critic's 26,429,390,848 B the largest
        String body = """
                {"algorithm": "PPO", "model": {"preset": "llama-2-7b"}, "training": {"zeroStage": 3},
                 "parallelism": {"data": 8}, "placement": "SEPARATE", "gpuCount": %d,
                 "roles": {"reference": {"parallelism": {"data": 2}}, "reward": {"parallelism": {"data": 2}},
                           "critic": {"parallelism": {"data": 4}}}}""";
        MvcTestResult result = post(body.formatted(16));
        assertThat(result).hasStatusOk();
        assertThat((long) ProblemAssertions.number(result, "$.gpuCount")).isEqualTo(16);
        assertThat((long) ProblemAssertions.number(result, "$.roles[0].bytesPerGpu")).isEqualTo(2 * 6_738_415_616L);
        assertThat((long) ProblemAssertions.number(result, "$.roles[1].bytesPerGpu")).isEqualTo(6_738_415_616L);
        assertThat((long) ProblemAssertions.number(result, "$.roles[2].bytesPerGpu")).isEqualTo(6_607_347_712L);
        assertThat((long) ProblemAssertions.number(result, "$.roles[3].bytesPerGpu")).isEqualTo(4 * 6_607_347_712L);
        assertThat((long) ProblemAssertions.number(result, "$.modelStatesBytes")).isEqualTo(26_429_390_848L);
        // GPU counts that do not add up, and a layout of its own without separate placement
        assertProblem(post(body.formatted(12)), 422, "gpuCount");
        assertProblem(post("""
                {"algorithm": "PPO", "model": {"preset": "llama-2-7b"},
                 "roles": {"critic": {"parallelism": {"data": 4}}}}"""), 422, "roles.critic.parallelism");
    }

    @Test
    void withSeparatePlacementALoraReferenceNeedsItsOwnCopy() {
        MvcTestResult result = post("""
                {"algorithm": "DPO", "model": {"preset": "llama-2-7b"}, "placement": "SEPARATE",
                 "training": {"method": "LORA", "lora": {"rank": 8, "targetModules": ["q", "v"]}}}""");
        assertThat(result).hasStatusOk();
        assertThat((long) ProblemAssertions.number(result, "$.roles[1].bytesPerGpu")).isEqualTo(2 * 6_738_415_616L);
        assertThat((long) ProblemAssertions.number(result, "$.gpuCount")).isEqualTo(2);
    }

    @Test
    void aLoraCriticShouldKeepItsFrozenBaseAndScalarHeadWithSmallAdapterStates() {
        // critic: Llama-2-7B with a scalar head (6,607,347,712 frozen bf16 parameters) and r 8 adapters on q, v
        // (4,194,304 at 16 B) on one GPU: 2 · 6,607,347,712 + 16 · 4,194,304
        MvcTestResult result = post("""
                {"algorithm": "PPO", "model": {"preset": "llama-2-7b"},
                 "roles": {"critic": {"training": {"method": "LORA", "lora": {"rank": 8, "targetModules": ["q", "v"]}}}}}""");
        assertThat(result).hasStatusOk();
        assertThat((long) ProblemAssertions.number(result, "$.roles[3].bytesPerGpu"))
                .isEqualTo(2 * 6_607_347_712L + 16 * 4_194_304L);
        assertThat(result).bodyJson().extractingPath("$.roles[3].note").asString().contains("LORA");
    }
}
