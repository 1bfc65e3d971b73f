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

/** Issue 16 item 4, hybrid sharding, through the API (Llama-2-70B: Φ = 68,976,648,192). */
@WebMvcTest(MemoryController.class)
class HybridShardingEndpointTests {

    private static final long PHI = 68_976_648_192L;

    @Autowired
    private MockMvcTester mvc;

    private MvcTestResult post(String path, String body) {
        return this.mvc.post().uri("/api/v1/memory/" + path).contentType(MediaType.APPLICATION_JSON).content(body)
                .exchange();
    }

    @Test
    void seventyBOver64GpusWithShardGroupsOf8ShouldKeepAnEighthPerGpu() {
        MvcTestResult result = post("model-states", """
                {"model": {"preset": "llama-2-70b"}, "training": {"zeroStage": 3, "shardGroupSize": 8},
                 "parallelism": {"data": 64}}""");
        assertThat(result).hasStatusOk();
        // 2·Φ/8 = 17,244,162,048 B of bf16 weights and as much of gradients, 12·Φ/8 of fp32 master + moments
        assertThat((long) ProblemAssertions.number(result, "$.perGpu.weightsBytes")).isEqualTo(2 * PHI / 8);
        assertThat((long) ProblemAssertions.number(result, "$.perGpu.gradientsBytes")).isEqualTo(2 * PHI / 8);
        assertThat((long) ProblemAssertions.number(result, "$.perGpu.optimizerStatesBytes")).isEqualTo(12 * PHI / 8);
        assertThat(result).bodyJson().extractingPath("$.zeroShards").isEqualTo(8);
        assertThat(result).bodyJson().extractingPath("$.training.shardGroupSize").isEqualTo(8);
        assertThat(result).bodyJson().extractingPath("$.assumptions").asArray()
                .anySatisfy((a) -> assertThat(a).asString().contains("shard groups of 8 GPUs")
                        .contains("replicated across data × context / 8 = 8 groups"));
    }

    @Test
    void withoutAShardGroupTheEchoShouldLeaveItOut() {
        MvcTestResult result = post("model-states", """
                {"model": {"preset": "llama-2-70b"}, "training": {"zeroStage": 3}, "parallelism": {"data": 64}}""");
        assertThat(result).hasStatusOk();
        assertThat(result).bodyJson().doesNotHavePath("$.training.shardGroupSize");
        assertThat(result).bodyJson().extractingPath("$.zeroShards").isEqualTo(64);
    }

    @Test
    void badShardGroupsShouldNameTheField() {
        // 24 does not divide data × context = 64
        assertProblem(post("model-states", """
                {"model": {"preset": "llama-2-70b"}, "training": {"zeroStage": 3, "shardGroupSize": 24},
                 "parallelism": {"data": 64}}"""), 422, "training.shardGroupSize");
        // ZeRO-0 shards nothing
        assertProblem(post("training", """
                {"model": {"preset": "llama-2-70b"}, "batch": {"sequenceLength": 4096},
                 "training": {"shardGroupSize": 8}, "parallelism": {"data": 64}}"""), 422, "training.shardGroupSize");
        // a shard group that splits expert-parallel groups
        assertProblem(post("model-states", """
                {"model": {"preset": "mixtral-8x7b"}, "training": {"zeroStage": 3, "shardGroupSize": 2},
                 "parallelism": {"data": 16, "expert": 4}}"""), 422, "training.shardGroupSize");
        assertProblem(post("model-states", """
                {"model": {"preset": "llama-2-70b"}, "training": {"zeroStage": 3, "shardGroupSize": 0},
                 "parallelism": {"data": 64}}"""), 400, "training.shardGroupSize");
    }
}
