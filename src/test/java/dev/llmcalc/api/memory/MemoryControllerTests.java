package dev.llmcalc.api.memory;

import static dev.llmcalc.api.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import dev.llmcalc.core.model.hf.HfConfigs;
import tools.jackson.databind.json.JsonMapper;

@WebMvcTest(MemoryController.class)
class MemoryControllerTests {

    @Autowired
    private MockMvcTester mvc;

    private MvcTestResult post(String path, String body) {
        return this.mvc.post().uri("/api/v1/memory/" + path).contentType(MediaType.APPLICATION_JSON).content(body)
                .exchange();
    }

    @ParameterizedTest
    @CsvSource({ "0, 120000000000", "1, 31406250000", "2, 16640625000", "3, 1875000000" })
    void zeroPaperFigure1ShouldMatchEveryStage(int stage, long expected) {
        // Rajbhandari et al. 2019, Figure 1: 7.5B parameters, mixed-precision Adam, N_d = 64
        MvcTestResult result = post("model-states", """
                {"parameters": 7500000000, "training": {"precision": "MIXED_FP16", "optimizer": "ADAM", "zeroStage": %d},
                 "parallelism": {"data": 64}}""".formatted(stage));
        assertThat(result).hasStatusOk();
        assertThat(result).bodyJson().extractingPath("$.perGpu.totalBytes").convertTo(Long.class).isEqualTo(expected);
        assertThat(result).bodyJson().extractingPath("$.bytesPerParameter").isEqualTo(16);
    }

    @Test
    void megatronConventionShouldBe18BytesPerParameter() {
        MvcTestResult result = post("model-states", """
                {"model": {"preset": "llama-2-7b"}, "training": {"precision": "MIXED_BF16_FP32_GRADS"}}""");
        assertThat(result).bodyJson().extractingPath("$.bytesPerParameter").isEqualTo(18);
        assertThat(result).bodyJson().extractingPath("$.perGpu.totalBytes").isEqualTo(18 * 6_738_415_616L);
        assertThat(result).bodyJson().extractingPath("$.perGpu.gradientsBytes").isEqualTo(4 * 6_738_415_616L);
        assertThat(result).bodyJson().extractingPath("$.documentFormula.expression").asString().contains("16Φ");
        assertThat(result).bodyJson().extractingPath("$.documentFormula.exact").isEqualTo(false);
    }

    @Test
    void huggingFaceConfigShouldWorkLikeThePresetItDescribes() {
        // the config.json form is resolved by the same ModelResolver on every endpoint
        MvcTestResult fromConfig = post("model-states", "{\"model\": {\"huggingFaceConfig\": "
                + HfConfigs.text("qwen3-8b") + "}, \"parallelism\": {\"pipeline\": 4}}");
        MvcTestResult fromPreset = post("model-states",
                "{\"model\": {\"preset\": \"qwen3-8b\"}, \"parallelism\": {\"pipeline\": 4}}");
        assertThat(fromConfig).hasStatusOk();
        assertThat(fromConfig).bodyJson().extractingPath("$.parameters").isEqualTo(8_190_735_360L);
        JsonMapper json = JsonMapper.builder().build();
        assertThat(json.readTree(fromConfig.getResponse().getContentAsByteArray()).get("perGpu"))
                .isEqualTo(json.readTree(fromPreset.getResponse().getContentAsByteArray()).get("perGpu"));
        assertProblem(post("inference", "{\"model\": {\"huggingFaceConfig\": {\"model_type\": \"qwen3\"}}, "
                + "\"weightPrecision\": \"BF16\"}"), 422, "model.huggingFaceConfig.vocab_size");
    }

    @Test
    void defaultsShouldBeEchoed() {
        MvcTestResult result = post("model-states", "{\"model\": {\"preset\": \"gpt2\"}}");
        assertThat(result).bodyJson().extractingPath("$.training.precision").isEqualTo("MIXED_BF16");
        assertThat(result).bodyJson().extractingPath("$.training.optimizer").isEqualTo("ADAMW");
        assertThat(result).bodyJson().extractingPath("$.training.zeroStage").isEqualTo(0);
        assertThat(result).bodyJson().extractingPath("$.parallelism.data").isEqualTo(1);
        assertThat(result).bodyJson().extractingPath("$.perGpu.totalBytes").convertTo(Long.class)
                .isEqualTo(16 * 124_439_808L);
        assertThat(result).bodyJson().extractingPath("$.documentFormula.exact").isEqualTo(true);
    }

    @Test
    void pipelineZeroOneShouldCarryTheDocumentsFormula() {
        MvcTestResult result = post("model-states", """
                {"parameters": 7500000000, "training": {"zeroStage": 1},
                 "parallelism": {"data": 16, "tensor": 2, "pipeline": 2}}""");
        // 2Φ/4 + 2Φ/4 + 12Φ/64 = 7.5e9 + 1.40625e9
        assertThat(result).bodyJson().extractingPath("$.perGpu.totalBytes").isEqualTo(8_906_250_000L);
        assertThat(result).bodyJson().extractingPath("$.documentFormula.value").isEqualTo(8_906_250_000L);
        assertThat(result).bodyJson().extractingPath("$.documentFormula.exact").isEqualTo(true);
    }

    @Test
    void badModelStateRequestsShouldNameTheField() {
        assertProblem(post("model-states", "{}"), 400, "model");
        assertProblem(post("model-states", "{\"parameters\": 10, \"model\": {\"preset\": \"gpt2\"}}"), 400, "model");
        assertProblem(post("model-states", "{\"parameters\": -1}"), 400, "parameters");
        assertProblem(post("model-states", "{\"parameters\": 10, \"training\": {\"zeroStage\": 4}}"), 400,
                "training.zeroStage");
        assertProblem(post("model-states", "{\"parameters\": 10, \"training\": {\"optimizer\": \"LAMB\"}}"), 400,
                "training.optimizer");
        assertProblem(post("model-states", "{\"parameters\": 10, \"parallelism\": {\"data\": 0}}"), 400,
                "parallelism.data");
        assertProblem(post("model-states", "{\"model\": {\"preset\": \"llama-2-7b\"}, \"parallelism\": {\"tensor\": 3}}"),
                422, "parallelism.tensor");
        assertProblem(post("model-states", "{\"parameters\": 10, \"parallelism\": {\"data\": 2, \"expert\": 2}}"), 422,
                "parallelism.expert");
        assertProblem(post("model-states", "{\"parameters\": 9223372036854775807}"), 422, "perGpu.weightsBytes");
    }

    @Test
    void inferenceShouldFollowTheDocumentsTableWithInt4AtHalfAByte() {
        MvcTestResult result = post("inference", "{\"model\": {\"preset\": \"llama-2-7b\"}, \"weightPrecision\": \"INT4\"}");
        assertThat(result).bodyJson().extractingPath("$.weightsBytes").isEqualTo(3_369_207_808L);
        assertThat(result).bodyJson().extractingPath("$.documentFormula.expression").isEqualTo("INT4: <1Φ");
        MvcTestResult fp32 = post("inference", "{\"parameters\": 1000, \"weightPrecision\": \"FP32\"}");
        assertThat(fp32).bodyJson().extractingPath("$.totalBytes").isEqualTo(4000);
    }

    @Test
    void inferenceWithKvCacheShouldAddIt() {
        MvcTestResult result = post("inference", """
                {"model": {"preset": "llama-2-7b"}, "weightPrecision": "BF16",
                 "kvCache": {"batchSize": 1, "sequenceLength": 4096}}""");
        // 2 · 32 layers · 32 heads · 128 · 2 bytes · 4096 tokens = 2 GiB
        assertThat(result).bodyJson().extractingPath("$.kvCacheBytes").isEqualTo(2_147_483_648L);
        assertThat(result).bodyJson().extractingPath("$.totalBytes").isEqualTo(2 * 6_738_415_616L + 2_147_483_648L);
    }

    @Test
    void badInferenceRequestsShouldNameTheField() {
        assertProblem(post("inference", "{\"parameters\": 10}"), 400, "weightPrecision");
        assertProblem(post("inference", "{\"parameters\": 10, \"weightPrecision\": \"INT2\"}"), 400, "weightPrecision");
        assertProblem(post("inference", "{\"parameters\": 10, \"weightPrecision\": \"BF16\", "
                + "\"kvCache\": {\"batchSize\": 1, \"sequenceLength\": 8}}"), 400, "kvCache");
        assertProblem(post("inference", "{\"model\": {\"preset\": \"gpt2\"}, \"weightPrecision\": \"BF16\", "
                + "\"kvCache\": {\"batchSize\": 0, \"sequenceLength\": 8}}"), 400, "kvCache.batchSize");
        assertProblem(post("inference", "{\"model\": {\"preset\": \"gpt2\"}, \"weightPrecision\": \"BF16\", "
                + "\"kvCache\": {\"batchSize\": 9223372036854775807, \"sequenceLength\": 9223372036854775807}}"), 422,
                "kvCacheBytes");
    }
}
