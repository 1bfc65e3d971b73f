package dev.llmcalc.api.parameters;

import static dev.llmcalc.api.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

import dev.llmcalc.core.ReferenceCases;
import dev.llmcalc.core.model.hf.HfConfigs;
import tools.jackson.databind.JsonNode;

@WebMvcTest(ParametersController.class)
class ParametersControllerTests {

    private static final String LLAMA_2_7B = """
            {"model": {"architecture": {"vocabSize": 32000, "hiddenSize": 4096, "numLayers": 32,
              "numAttentionHeads": 32, "intermediateSize": 11008}}}""";

    @Autowired
    private MockMvcTester mvc;

    private MvcTestResult post(String body) {
        return this.mvc.post().uri("/api/v1/parameters").contentType(MediaType.APPLICATION_JSON).content(body).exchange();
    }

    @Test
    void architectureWhenLlama2ShouldCountExactlyWithDocumentFormula() {
        MvcTestResult result = post(LLAMA_2_7B);
        assertThat(result).hasStatusOk();
        assertThat(result).bodyJson().extractingPath("$.totalParameters").isEqualTo(6_738_415_616L);
        assertThat(result).bodyJson().extractingPath("$.breakdown.mlpPerLayer").isEqualTo(135_266_304);
        assertThat(result).bodyJson().extractingPath("$.documentFormula.value").isEqualTo(6_738_415_616L);
        assertThat(result).bodyJson().extractingPath("$.documentFormula.exact").isEqualTo(true);
        assertThat(result).bodyJson().extractingPath("$.architecture.numKeyValueHeads").isEqualTo(32);
        assertThat(result).bodyJson().extractingPath("$.assumptions").asArray().isNotEmpty();
    }

    @Test
    void architectureWhenGpt2ShouldCount124M() {
        MvcTestResult result = post("""
                {"model": {"architecture": {"vocabSize": 50257, "hiddenSize": 768, "numLayers": 12,
                  "numAttentionHeads": 12, "intermediateSize": 3072, "mlp": "STANDARD", "norm": "LAYER_NORM",
                  "qkvBias": true, "attentionOutputBias": true, "mlpBias": true, "tiedEmbeddings": true,
                  "positionEmbedding": "LEARNED", "maxPositionEmbeddings": 1024}}}""");
        assertThat(result).bodyJson().extractingPath("$.totalParameters").isEqualTo(124_439_808);
        assertThat(result).bodyJson().extractingPath("$.documentFormula.exact").isEqualTo(false);
    }

    @Test
    void architectureWhenMixtralShouldReportActiveParameters() {
        MvcTestResult result = post("""
                {"model": {"architecture": {"vocabSize": 32000, "hiddenSize": 4096, "numLayers": 32,
                  "numAttentionHeads": 32, "numKeyValueHeads": 8, "intermediateSize": 14336,
                  "moe": {"numExperts": 8, "numExpertsPerToken": 2, "expertIntermediateSize": 14336}}}}""");
        assertThat(result).bodyJson().extractingPath("$.totalParameters").isEqualTo(46_702_792_704L);
        assertThat(result).bodyJson().extractingPath("$.activeParametersPerToken").isEqualTo(12_879_925_248L);
        assertThat(result).bodyJson().extractingPath("$.breakdown.routerPerLayer").isEqualTo(32_768);
    }

    @Test
    void architectureWhenQwen25ShouldCount494M() {
        MvcTestResult result = post("""
                {"model": {"architecture": {"vocabSize": 151936, "hiddenSize": 896, "numLayers": 24,
                  "numAttentionHeads": 14, "numKeyValueHeads": 2, "intermediateSize": 4864, "qkvBias": true,
                  "tiedEmbeddings": true}}}""");
        assertThat(result).bodyJson().extractingPath("$.totalParameters").isEqualTo(494_032_768);
    }

    @Test
    void presetShouldBeMatchedCaseInsensitively() {
        MvcTestResult result = post("{\"model\": {\"preset\": \"Mixtral-8x7B\"}}");
        assertThat(result).hasStatusOk();
        assertThat(result).bodyJson().extractingPath("$.model").isEqualTo("mixtral-8x7b");
        assertThat(result).bodyJson().extractingPath("$.totalParameters").isEqualTo(46_702_792_704L);
    }

    @Test
    void unknownPresetShouldBe404WithClosestIds() {
        MvcTestResult result = post("{\"model\": {\"preset\": \"llama-2-7\"}}");
        assertProblem(result, 404, "model.preset");
        assertThat(result).bodyJson().extractingPath("$.closest[0]").isEqualTo("llama-2-7b");
    }

    @Test
    void malformedJsonShouldBe400() {
        // a syntax error is reported at the innermost object Jackson was reading
        assertProblem(post("{\"model\": {\"preset\": "), 400, "model");
        assertProblem(post(""), 400, "body");
        assertProblem(post("[1, 2]"), 400, "body");
        assertProblem(post("{\"model\": {\"preset\": \"gpt2\"}} trailing"), 400, "body");
    }

    @Test
    void missingFieldsShouldBeNamed() {
        assertProblem(post("{}"), 400, "model");
        assertProblem(post("{\"model\": {}}"), 400, "model");
        MvcTestResult result = post("{\"model\": {\"architecture\": {\"vocabSize\": 32000}}}");
        assertProblem(result, 400, "model.architecture.hiddenSize");
        assertThat(result).bodyJson().extractingPath("$.errors['model.architecture.numLayers']").isEqualTo("must not be null");
    }

    @Test
    void bothFormsShouldBeRejected() {
        assertProblem(post("{\"model\": {\"preset\": \"gpt2\", \"architecture\": {\"vocabSize\": 1, \"hiddenSize\": 1, "
                + "\"numLayers\": 1, \"numAttentionHeads\": 1, \"intermediateSize\": 1}}}"), 400, "model");
    }

    @Test
    void outOfRangeAndWrongTypesShouldBe400NamingTheField() {
        assertProblem(post(LLAMA_2_7B.replace("\"numLayers\": 32", "\"numLayers\": 0")), 400,
                "model.architecture.numLayers");
        assertProblem(post(LLAMA_2_7B.replace("\"numLayers\": 32", "\"numLayers\": -5")), 400,
                "model.architecture.numLayers");
        assertProblem(post(LLAMA_2_7B.replace("\"numLayers\": 32", "\"numLayers\": \"many\"")), 400,
                "model.architecture.numLayers");
        assertProblem(post(LLAMA_2_7B.replace("\"numLayers\": 32", "\"numLayers\": 3.5")), 400,
                "model.architecture.numLayers");
        assertProblem(post(LLAMA_2_7B.replace("\"numLayers\": 32", "\"numLayers\": 99999999999")), 400,
                "model.architecture.numLayers");
        assertProblem(post(LLAMA_2_7B.replace("\"numLayers\": 32", "\"numLayers\": null")), 400,
                "model.architecture.numLayers");
        assertProblem(post(LLAMA_2_7B.replace("\"numLayers\": 32", "\"numLayers\": NaN")), 400, "model.architecture");
    }

    @Test
    void unknownEnumValueShouldListTheAllowedOnes() {
        MvcTestResult result = post(LLAMA_2_7B.replace("\"numLayers\": 32", "\"numLayers\": 32, \"mlp\": \"SWIGLU\""));
        assertProblem(result, 400, "model.architecture.mlp");
        assertThat(result).bodyJson().extractingPath("$.errors['model.architecture.mlp']").asString()
                .contains("GATED", "STANDARD");
    }

    @Test
    void unknownFieldShouldBeRejectedNotIgnored() {
        assertProblem(post(LLAMA_2_7B.replace("\"numLayers\": 32", "\"numLayers\": 32, \"numLayer\": 30")), 400,
                "model.architecture.numLayer");
    }

    @Test
    void impossibleShapeShouldBe422NamingTheField() {
        assertProblem(post(LLAMA_2_7B.replace("\"numLayers\": 32", "\"numLayers\": 32, \"numKeyValueHeads\": 5")),
                422, "model.architecture.numKeyValueHeads");
        assertProblem(post(LLAMA_2_7B.replace("\"numAttentionHeads\": 32", "\"numAttentionHeads\": 33")), 422,
                "model.architecture.headDim");
        assertProblem(post(LLAMA_2_7B.replace("\"numLayers\": 32", "\"numLayers\": 32, \"positionEmbedding\": \"LEARNED\"")),
                422, "model.architecture.maxPositionEmbeddings");
        assertProblem(post(LLAMA_2_7B.replace("\"numLayers\": 32",
                "\"numLayers\": 32, \"moe\": {\"numExperts\": 4, \"numExpertsPerToken\": 8, \"expertIntermediateSize\": 8}")),
                422, "model.architecture.moe.numExpertsPerToken");
    }

    @Test
    void overflowShouldBe422NotAWrappedNumber() {
        MvcTestResult result = post("""
                {"model": {"architecture": {"vocabSize": 2147483647, "hiddenSize": 2147483647, "numLayers": 32,
                  "numAttentionHeads": 1, "intermediateSize": 1}}}""");
        assertProblem(result, 422, "totalParameters");
        assertThat(result).bodyJson().extractingPath("$.type").isEqualTo("urn:llmcalc:problem:overflow");
    }

    static Stream<JsonNode> referenceCases() {
        return StreamSupport.stream(ReferenceCases.root().get("parameterCounts").spliterator(), false);
    }

    @ParameterizedTest
    @MethodSource("referenceCases")
    void huggingFaceConfigWhenReferenceCaseShouldCountExactly(JsonNode entry) {
        MvcTestResult result = post("{\"model\": {\"huggingFaceConfig\": " + entry.get("huggingFaceConfig") + "}}");
        assertThat(result).hasStatusOk();
        assertThat(result).bodyJson().extractingPath("$.model").isEqualTo("huggingFaceConfig");
        assertThat(result).bodyJson().extractingPath("$.totalParameters").convertTo(Long.class)
                .isEqualTo(entry.get("totalParameters").asLong());
        assertThat(result).bodyJson().extractingPath("$.nonEmbeddingParameters").convertTo(Long.class)
                .isEqualTo(entry.get("nonEmbeddingParameters").asLong());
        assertThat(result).bodyJson().extractingPath("$.warnings").asArray().isNotEmpty();
    }

    @Test
    void huggingFaceConfigWhenPublishedShouldGiveThePresetCount() {
        MvcTestResult result = post("{\"model\": {\"huggingFaceConfig\": " + HfConfigs.text("gemma-2-9b") + "}}");
        assertThat(result).bodyJson().extractingPath("$.totalParameters").isEqualTo(9_241_705_984L);
        assertThat(result).bodyJson().extractingPath("$.architecture.normsPerLayer").isEqualTo(4);
        // the other forms carry no warnings
        assertThat(post(LLAMA_2_7B)).bodyJson().doesNotHavePath("$.warnings");
    }

    @Test
    void huggingFaceConfigErrorsShouldNameTheConfigKey() {
        String config = """
                {"model_type": "llama", "vocab_size": 32000, "hidden_size": 4096, "num_hidden_layers": 32,
                 "num_attention_heads": 32, "intermediate_size": 11008}""";
        assertProblem(post(wrap(config.replace("\"hidden_size\": 4096, ", ""))), 422,
                "model.huggingFaceConfig.hidden_size");
        assertProblem(post(wrap(config.replace("\"num_attention_heads\": 32", "\"num_attention_heads\": -4"))), 400,
                "model.huggingFaceConfig.num_attention_heads");
        assertProblem(post(wrap(config.replace("\"num_attention_heads\": 32", "\"num_attention_heads\": 30"))), 422,
                "model.huggingFaceConfig.num_attention_heads");
        assertProblem(post(wrap(config.replace("4096", "\"4096\""))), 400, "model.huggingFaceConfig.hidden_size");
        assertProblem(post(wrap(config.replace("32000", "32000.0"))), 400, "model.huggingFaceConfig.vocab_size");
        assertProblem(post(wrap("{}")), 422, "model.huggingFaceConfig.hidden_size");
        assertProblem(post("{\"model\": {\"huggingFaceConfig\": \"llama\"}}"), 400, "model.huggingFaceConfig");
        assertProblem(post("{\"model\": {\"preset\": \"gpt2\", \"huggingFaceConfig\": " + config + "}}"), 400, "model");
    }

    @Test
    void huggingFaceConfigOfAnUnknownFamilyShouldBe422UnlessModelApproximate() {
        String fork = """
                {"model_type": "llama_fork", "vocab_size": 32000, "hidden_size": 4096, "num_hidden_layers": 32,
                 "num_attention_heads": 32, "intermediate_size": 11008}""";
        assertProblem(post(wrap(fork)), 422, "model.huggingFaceConfig.model_type");
        MvcTestResult approximate = post("{\"model\": {\"huggingFaceConfig\": " + fork + ", \"approximate\": true}}");
        assertThat(approximate).hasStatusOk();
        // read as Llama-2-7B, and the answer says the count is a guess
        assertThat(approximate).bodyJson().extractingPath("$.totalParameters").isEqualTo(6_738_415_616L);
        assertThat(approximate).bodyJson().extractingPath("$.warnings[0]").asString().startsWith("Not modelled");
        // approximate belongs to a config.json: with a preset or an architecture it is a 400 naming it
        assertProblem(post("{\"model\": {\"preset\": \"gpt2\", \"approximate\": true}}"), 400, "model.approximate");
    }

    private static String wrap(String config) {
        return "{\"model\": {\"huggingFaceConfig\": " + config + "}}";
    }

    @Test
    void wrongMediaTypeShouldBe415ProblemJson() {
        MvcTestResult result = this.mvc.post().uri("/api/v1/parameters").contentType(MediaType.TEXT_PLAIN)
                .content(LLAMA_2_7B).exchange();
        assertProblem(result, 415, null);
    }

    @Test
    void loraWhenLlama2OnQueryAndValueShouldReport4194304Trainable() {
        // issue 9: 32 layers × 2 × 8 × (4096 + 4096) = 4,194,304
        MvcTestResult result = post("""
                {"model": {"preset": "llama-2-7b"},
                 "training": {"method": "LORA", "lora": {"rank": 8, "alpha": 32, "targetModules": ["q", "v"]}}}""");
        assertThat(result).hasStatusOk();
        assertThat(result).bodyJson().extractingPath("$.totalParameters").isEqualTo(6_738_415_616L);
        assertThat(result).bodyJson().extractingPath("$.fineTuning.trainableParameters").isEqualTo(4_194_304);
        assertThat(result).bodyJson().extractingPath("$.fineTuning.frozenParameters").isEqualTo(6_738_415_616L);
        assertThat(result).bodyJson().extractingPath("$.fineTuning.adapterParametersByModule.v").isEqualTo(2_097_152);
        assertThat(result).bodyJson().extractingPath("$.fineTuning.scaling").isEqualTo(4.0);
        assertThat(result).bodyJson().doesNotHavePath("$.fineTuning.quantization");
    }

    @Test
    void qloraWhenGroupedQueryAttentionShouldUseKeyValueWidthAndStateTheFormula() {
        // Llama-3-8B r = 8 on q, k, v, o: 32 × (2 × 8 × 8192 + 2 × 8 × 5120) = 6,815,744
        MvcTestResult result = post("""
                {"model": {"preset": "llama-3-8b"}, "training": {"method": "QLORA"}}""");
        assertThat(result).hasStatusOk();
        assertThat(result).bodyJson().extractingPath("$.fineTuning.trainableParameters").isEqualTo(6_815_744);
        assertThat(result).bodyJson().extractingPath("$.fineTuning.adapterParametersByModule.k").isEqualTo(32 * 40_960);
        assertThat(result).bodyJson().extractingPath("$.fineTuning.quantization.bitsPerWeight").isEqualTo(4.126953125);
        assertThat(result).bodyJson().extractingPath("$.fineTuning.quantization.formula").asString()
                .contains("4 + 8/64 + 32/(64·256)");
    }

    @Test
    void trainingWhenAbsentShouldLeaveTheAnswerUnchanged() {
        assertThat(post(LLAMA_2_7B)).bodyJson().doesNotHavePath("$.fineTuning");
    }

    @Test
    void badLoraInputShouldNameTheField() {
        assertProblem(post("""
                {"model": {"preset": "llama-2-7b"}, "training": {"method": "LORA", "lora": {"rank": 0}}}"""), 400,
                "training.lora.rank");
        assertProblem(post("""
                {"model": {"preset": "llama-2-7b"}, "training": {"method": "LORA", "lora": {"targetModules": ["qkv"]}}}"""),
                400, "training.lora.targetModules[0]");
        assertProblem(post("""
                {"model": {"preset": "llama-2-7b"},
                 "training": {"method": "LORA", "lora": {"quantization": {"format": "NF4"}}}}"""), 422,
                "training.lora.quantization");
        assertProblem(post("""
                {"model": {"preset": "deepseek-v3"}, "training": {"method": "LORA"}}"""), 422,
                "training.lora.targetModules");
    }
}
