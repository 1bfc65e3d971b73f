package dev.llmcalc.api.memory;

import static dev.llmcalc.api.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/** Issue 16's Adafactor, Muon and FP8 over HTTP (values derived in OptimizerStatesTests and Fp8TrainingTests). */
@WebMvcTest(MemoryController.class)
class OptimizerAndFp8EndpointTests {

    private static final String LLAMA_3_FP8_ZERO1_ON_8 = """
            {"model": {"preset": "llama-3-8b"}, "batch": {"sequenceLength": 4096, "globalBatchSize": 1024},
             "training": {"precision": "%s", "zeroStage": 1}, "parallelism": {"data": 8},
             "cluster": {"gpu": "%s", "gpuCount": 8}}""";

    @Autowired
    private MockMvcTester mvc;

    private MvcTestResult post(String path, String body) {
        return this.mvc.post().uri("/api/v1/memory/" + path).contentType(MediaType.APPLICATION_JSON).content(body)
                .exchange();
    }

    private static double number(MvcTestResult result, String path) {
        return dev.llmcalc.api.ProblemAssertions.number(result, path);
    }

    @Test
    void muonShouldAnswerItsStatesAndNewtonSchulzFlops() {
        MvcTestResult result = post("model-states", """
                {"model": {"preset": "llama-2-7b"}, "training": {"optimizer": "MUON"}}""");
        assertThat(result).hasStatusOk();
        assertThat((long) number(result, "$.perGpu.optimizerStatesBytes")).isEqualTo(54_956_965_888L);
        assertThat((long) number(result, "$.newtonSchulzFlopsPerStep")).isEqualTo(684_445_988_290_560L);
        assertThat(result).bodyJson().extractingPath("$.items[3].format").isEqualTo(
                "fp32 momentum (hidden matrices) + fp32 AdamW momentum and variance (the rest)");
    }

    @Test
    void adafactorShouldAnswerItsFactoredStates() {
        MvcTestResult result = post("model-states", """
                {"model": {"preset": "llama-2-7b"}, "training": {"optimizer": "ADAFACTOR"}}""");
        assertThat(result).hasStatusOk();
        assertThat((long) number(result, "$.perGpu.optimizerStatesBytes")).isEqualTo(11_347_968L + 4 * 6_738_415_616L);
        assertThat(result).bodyJson().doesNotHavePath("$.newtonSchulzFlopsPerStep");
    }

    @Test
    void fp8TrainingShouldItemiseWidthsAndHalveTheLinearInputs() {
        MvcTestResult fp8 = post("training", LLAMA_3_FP8_ZERO1_ON_8.formatted("MIXED_FP8", "h100-sxm-80gb"));
        MvcTestResult bf16 = post("training", LLAMA_3_FP8_ZERO1_ON_8.formatted("MIXED_BF16_FP32_GRADS", "h100-sxm-80gb"));
        assertThat(fp8).hasStatusOk();
        assertThat((long) number(fp8, "$.perGpu.modelStatesBytes")).isEqualTo(74_190_199_552L);
        assertThat(fp8).bodyJson().extractingPath("$.modelStateItems[1].format").isEqualTo("fp8");
        assertThat((long) number(bf16, "$.perGpu.activationsBytes") - (long) number(fp8, "$.perGpu.activationsBytes"))
                .isEqualTo(32 * 109_051_904L);
    }

    @Test
    void deepSeekV3WithItsPublishedChoicesShouldBeAnsweredWithWhyItDoesNotFit() {
        // DeepSeek-V3 report §3.3-3.4: FP8 with block scaling, BF16 moments, RMSNorm and MLA up-projections
        // recomputed, PP 16 × EP 64, ZeRO-1 data parallelism, 4,096 tokens, micro-batch 1, 2,048 H800s
        MvcTestResult result = post("training", """
                {"model": {"preset": "deepseek-v3"},
                 "batch": {"microBatchSize": 1, "sequenceLength": 4096, "globalBatchSize": 15360},
                 "training": {"precision": "MIXED_FP8_BLOCKWISE", "optimizer": "ADAMW_BF16_MOMENTS", "zeroStage": 1},
                 "activations": {"recomputation": "SELECTIVE", "recomputeModules": ["layernorm", "mla_up_proj"]},
                 "parallelism": {"pipeline": 16, "expert": 64, "data": 128}, "cluster": {"gpu": "h800-sxm-80gb"}}""");
        assertThat(result).hasStatusOk();
        // model states fit easily (14.3 GB); 1F1B keeps 15 micro-batches of stage 1's four MoE layers in flight
        assertThat((long) number(result, "$.perGpu.modelStatesBytes")).isEqualTo(14_326_234_048L);
        assertThat(result).bodyJson().extractingPath("$.fits").isEqualTo(false);
        assertThat((long) number(result, "$.activationDetail.pipelineStage")).isEqualTo(1);
        assertThat((long) number(result, "$.activationDetail.inFlightMicroBatches")).isEqualTo(15);
        // per MoE layer and micro-batch: 4,096 tokens × top-8 × h = 7,168 dispatched in FP8 (1 byte) ...
        assertThat(result).bodyJson().extractingPath("$.activationDetail.perLayer.moe[12].bytes")
                .isEqualTo(4096 * 8 * 7168);
        // ... × 4 layers × 15 micro-batches on the stage
        assertThat(result).bodyJson().extractingPath("$.activationDetail.breakdown[12].bytes")
                .isEqualTo(4096L * 8 * 7168 * 4 * 15);
        // the bf16 hidden state kept at each norm input: 4,096 × 7,168 × 2 bytes
        assertThat(result).bodyJson().extractingPath("$.activationDetail.perLayer.moe[0].bytes")
                .isEqualTo(4096 * 7168 * 2);
        assertThat(number(result, "$.perGpu.totalBytes")).isGreaterThan(80e9);
    }

    @Test
    void fp8WithoutAnFp8PeakOrWithARawCountShouldBe422OnThePrecision() {
        assertProblem(post("training", LLAMA_3_FP8_ZERO1_ON_8.formatted("MIXED_FP8", "a100-sxm-80gb")), 422,
                "training.precision");
        assertProblem(post("model-states", """
                {"parameters": 7000000000, "training": {"precision": "MIXED_FP8_BLOCKWISE"}}"""), 422,
                "training.precision");
        assertProblem(post("model-states", """
                {"parameters": 7000000000, "training": {"optimizer": "ADAFACTOR"}}"""), 422, "training.optimizer");
    }
}
