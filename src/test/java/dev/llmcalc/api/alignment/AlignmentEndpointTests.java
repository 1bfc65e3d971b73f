package dev.llmcalc.api.alignment;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import dev.llmcalc.api.ProblemAssertions;

/** The alignment answer is the other endpoints' calculations, not a second copy of them. */
@SpringBootTest
@AutoConfigureMockMvc
class AlignmentEndpointTests {

    private static final long PHI = 6_738_415_616L;

    @Autowired
    private MockMvcTester mvc;

    private MvcTestResult post(String path, String body) {
        return this.mvc.post().uri(path).contentType(MediaType.APPLICATION_JSON).content(body).exchange();
    }

    private static long number(MvcTestResult result, String path) {
        return (long) ProblemAssertions.number(result, path);
    }

    @Test
    void dposTrainingPhaseShouldBeMemoryTrainingOfThePairsWithTheReferenceBesideIt() {
        // 4 pairs per step, 1 per micro-batch: the policy trains on 2 sequences per micro-batch, 8 per step
        MvcTestResult dpo = post("/api/v1/alignment", """
                {"algorithm": "DPO", "model": {"preset": "llama-2-7b"}, "gpu": "h100-sxm-80gb",
                 "batch": {"microBatchSize": 1, "sequenceLength": 1024, "globalBatchSize": 4},
                 "activations": {"recomputation": "FULL"}}""");
        assertThat(dpo).hasStatusOk();
        MvcTestResult training = post("/api/v1/memory/training", """
                {"model": {"preset": "llama-2-7b"},
                 "batch": {"microBatchSize": 2, "sequenceLength": 1024, "globalBatchSize": 8},
                 "activations": {"recomputation": "FULL"}}""");
        long total = number(training, "$.perGpu.totalBytes");
        assertThat(number(dpo, "$.trainingPhase[0].totalBytes")).isEqualTo(total);
        assertThat(number(dpo, "$.trainingPhase[0].activationsBytes"))
                .isEqualTo(number(training, "$.perGpu.activationsBytes"));
        // the frozen bf16 reference stays resident: + 2Φ
        assertThat(number(dpo, "$.trainingPeakBytes")).isEqualTo(total + 2 * PHI);
        MvcTestResult check = post("/api/v1/checks", """
                {"model": {"preset": "llama-2-7b"}, "cluster": {"gpu": "h100-sxm-80gb", "gpuCount": 1},
                 "batch": {"microBatchSize": 2, "sequenceLength": 1024, "globalBatchSize": 8},
                 "activations": {"recomputation": "FULL"}}""");
        assertThat(ProblemAssertions.number(dpo, "$.trainingPhase[0].stepSeconds"))
                .isEqualTo(ProblemAssertions.number(check, "$.estimate.step.totalSeconds"));
        assertThat(dpo).bodyJson().extractingPath("$.scoring.roles").asArray().containsExactly("REFERENCE");
    }

    @Test
    void grpoShouldTrainTheRolloutInMiniBatchesForEveryEpoch() {
        // 8 prompts × 8 samples = 64 sequences of 512 + 512 tokens, mini-batches of 16, 2 epochs: 8 optimizer steps
        MvcTestResult grpo = post("/api/v1/alignment", """
                {"algorithm": "GRPO", "model": {"preset": "llama-2-7b"}, "training": {"zeroStage": 3},
                 "parallelism": {"data": 8}, "gpu": "h100-sxm-80gb", "epochs": 2,
                 "rollout": {"prompts": 8, "promptLength": 512, "responseLength": 512, "samplesPerPrompt": 8},
                 "batch": {"microBatchSize": 1, "sequenceLength": 1024, "globalBatchSize": 16},
                 "activations": {"recomputation": "SELECTIVE"}}""");
        assertThat(grpo).hasStatusOk();
        assertThat(number(grpo, "$.trainingPhase[0].optimizerSteps")).isEqualTo(8);
        assertThat(ProblemAssertions.number(grpo, "$.trainingPhase[0].seconds"))
                .isEqualTo(8 * ProblemAssertions.number(grpo, "$.trainingPhase[0].stepSeconds"));
        // the policy, reference and reward each run forward once over the 64 sequences
        assertThat(number(grpo, "$.scoring.sequences")).isEqualTo(64);
        assertThat(grpo).bodyJson().extractingPath("$.scoring.roles").asArray()
                .containsExactly("POLICY", "REFERENCE", "REWARD");
        assertThat(ProblemAssertions.number(grpo, "$.stepSeconds")).isGreaterThan(
                ProblemAssertions.number(grpo, "$.trainingPhase[0].seconds"));
    }

    @Test
    void aWholeRunShouldTotalItsStepsAndFailAStepTimeRequirement() {
        MvcTestResult grpo = post("/api/v1/alignment", """
                {"algorithm": "GRPO", "model": {"preset": "llama-2-7b"}, "training": {"zeroStage": 3},
                 "parallelism": {"data": 8}, "gpu": "h100-sxm-80gb",
                 "rollout": {"prompts": 8, "promptLength": 512, "responseLength": 512, "samplesPerPrompt": 8},
                 "batch": {"microBatchSize": 1, "sequenceLength": 1024, "globalBatchSize": 16},
                 "run": {"examples": 636, "pricePerGpuHour": 2.0}, "requirements": {"maxStepSeconds": 1.0}}""");
        assertThat(grpo).hasStatusOk();
        double step = ProblemAssertions.number(grpo, "$.stepSeconds");
        // ⌈636 / 8⌉ = 80 steps on 8 GPUs
        assertThat(number(grpo, "$.totals.steps")).isEqualTo(80);
        assertThat(ProblemAssertions.number(grpo, "$.totals.gpuHours")).isCloseTo(8 * 80 * step / 3600,
                org.assertj.core.api.Assertions.within(1e-9));
        assertThat(ProblemAssertions.number(grpo, "$.totals.cost")).isCloseTo(2.0 * 8 * 80 * step / 3600,
                org.assertj.core.api.Assertions.within(1e-9));
        assertThat(grpo).bodyJson().extractingPath("$.fits").isEqualTo(true);
        assertThat(grpo).bodyJson().extractingPath("$.pass").isEqualTo(false);
        assertThat(grpo).bodyJson().extractingPath("$.violations[0].requirement").isEqualTo("maxStepSeconds");
    }

    @Test
    void frozenRolesAndTheGenerationCacheShouldBeWhatMemoryInferenceAnswers() {
        MvcTestResult grpo = post("/api/v1/alignment", """
                {"algorithm": "GRPO", "model": {"preset": "llama-2-7b"},
                 "rollout": {"prompts": 2, "promptLength": 1024, "responseLength": 1024, "samplesPerPrompt": 8}}""");
        MvcTestResult inference = post("/api/v1/memory/inference", """
                {"model": {"preset": "llama-2-7b"}, "weightPrecision": "BF16",
                 "kvCache": {"batchSize": 16, "sequenceLength": 2048, "precision": "BF16"}}""");
        assertThat(inference).hasStatusOk();
        // the frozen reference holds the weights /memory/inference serves; the rollout's cache is its KV cache
        assertThat(number(grpo, "$.roles[1].bytesPerGpu")).isEqualTo(number(inference, "$.weightsBytes"));
        assertThat(number(grpo, "$.generation.weightsBytesPerGpu")).isEqualTo(number(inference, "$.weightsBytes"));
        assertThat(number(grpo, "$.generation.kvCacheBytesPerToken"))
                .isEqualTo(number(inference, "$.kvCacheBytesPerToken"));
        assertThat(number(grpo, "$.generation.kvCacheBytes")).isEqualTo(number(inference, "$.kvCacheBytes"));
    }
}
