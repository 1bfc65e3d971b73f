package dev.llmcalc.api.models;

import static dev.llmcalc.api.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
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
import dev.llmcalc.core.model.ModelPreset;
import dev.llmcalc.core.model.ModelPresets;
import dev.llmcalc.core.model.hf.HfConfigs;
import tools.jackson.databind.JsonNode;

@WebMvcTest(ModelsController.class)
class ModelsControllerTests {

    /** The model ids api.md lists under "Preset ids". */
    private static final List<String> API_MD_IDS = List.of("llama-2-7b", "llama-2-13b", "llama-2-70b", "llama-3-8b",
            "llama-3.1-8b", "llama-3.1-70b", "llama-3.1-405b", "mistral-7b", "mixtral-8x7b", "qwen2.5-0.5b",
            "qwen2.5-7b", "qwen2.5-72b", "qwen3-0.6b", "qwen3-8b", "qwen3-30b-a3b", "qwen3-235b-a22b", "gemma-2-9b",
            "phi-3-mini", "gpt2", "gpt2-xl", "falcon-7b", "olmo-7b", "deepseek-v3");

    private static final String LLAMA_WITHOUT_HIDDEN = """
            {"model_type": "llama", "vocab_size": 32000, "num_hidden_layers": 32, "num_attention_heads": 32,
             "intermediate_size": 11008}""";

    @Autowired
    private MockMvcTester mvc;

    private MvcTestResult importConfig(String body) {
        return this.mvc.post().uri("/api/v1/models/import").contentType(MediaType.APPLICATION_JSON).content(body)
                .exchange();
    }

    private static String llama(String hidden, String heads) {
        return """
                {"model_type": "llama", "vocab_size": 32000, "hidden_size": %s, "num_hidden_layers": 32,
                 "num_attention_heads": %s, "intermediate_size": 11008}""".formatted(hidden, heads);
    }

    @Test
    void listShouldHoldEveryApiMdIdAndAtLeast25Models() {
        MvcTestResult result = this.mvc.get().uri("/api/v1/models").exchange();
        assertThat(result).hasStatusOk();
        assertThat(result).bodyJson().extractingPath("$.length()").asNumber().satisfies(
                (n) -> assertThat(n.intValue()).isGreaterThanOrEqualTo(25).isEqualTo(ModelPresets.all().size()));
        assertThat(result).bodyJson().extractingPath("$[*].id").asArray().containsAll(API_MD_IDS);
        assertThat(result).bodyJson().extractingPath("$[0]").asMap()
                .containsOnlyKeys("id", "name", "totalParameters", "activeParametersPerToken", "source");
        assertThat(result).bodyJson().extractingPath("$[?(@.id == 'mixtral-8x7b')].activeParametersPerToken")
                .asArray().containsExactly(12_879_925_248L);
    }

    @Test
    void everyListedCountShouldBeThePublishedOneWithASource() {
        MvcTestResult result = this.mvc.get().uri("/api/v1/models").exchange();
        for (ModelPreset preset : ModelPresets.all()) {
            String entry = "$[?(@.id == '" + preset.id() + "')]";
            assertThat(result).bodyJson().extractingPath(entry + ".totalParameters").asArray()
                    .as(preset.id()).singleElement().satisfies((total) ->
                            assertThat(((Number) total).longValue()).isEqualTo(preset.publishedParameters()));
            assertThat(result).bodyJson().extractingPath(entry + ".source").asArray().singleElement().asString()
                    .contains("config.json");
        }
    }

    @Test
    void modelByIdShouldCarryArchitectureAndBeCaseInsensitive() {
        MvcTestResult result = this.mvc.get().uri("/api/v1/models/Qwen3-30B-A3B").exchange();
        assertThat(result).hasStatusOk();
        assertThat(result).bodyJson().extractingPath("$.id").isEqualTo("qwen3-30b-a3b");
        assertThat(result).bodyJson().extractingPath("$.totalParameters").isEqualTo(30_532_122_624L);
        assertThat(result).bodyJson().extractingPath("$.activeParametersPerToken").isEqualTo(3_353_032_704L);
        assertThat(result).bodyJson().extractingPath("$.architecture.moe.numExperts").isEqualTo(128);
        assertThat(result).bodyJson().extractingPath("$.architecture.headDim").isEqualTo(128);
        assertThat(result).bodyJson().extractingPath("$.source").asString().contains("Qwen/Qwen3-30B-A3B");
        // ids with dots are not cut at the dot
        assertThat(this.mvc.get().uri("/api/v1/models/qwen2.5-7b").exchange()).bodyJson()
                .extractingPath("$.totalParameters").isEqualTo(7_615_616_512L);
        assertThat(this.mvc.get().uri("/api/v1/models/olmo-2-7b").exchange()).bodyJson()
                .extractingPath("$.architecture.qkNormScope").isEqualTo("FULL_WIDTH");
    }

    @Test
    void unknownIdShouldBe404WithClosestIds() {
        MvcTestResult result = this.mvc.get().uri("/api/v1/models/llama-3-7b").exchange();
        assertProblem(result, 404, "id");
        assertThat(result).bodyJson().extractingPath("$.closest").asArray().contains("llama-3-8b");
    }

    static Stream<JsonNode> referenceCases() {
        return StreamSupport.stream(ReferenceCases.root().get("parameterCounts").spliterator(), false);
    }

    @ParameterizedTest
    @MethodSource("referenceCases")
    void importShouldCountTheReferenceConfigsExactly(JsonNode entry) {
        MvcTestResult result = importConfig(entry.get("huggingFaceConfig").toString());
        assertThat(result).hasStatusOk();
        assertThat(result).bodyJson().extractingPath("$.totalParameters").convertTo(Long.class)
                .isEqualTo(entry.get("totalParameters").asLong());
        if (entry.has("activeParametersPerToken")) {
            assertThat(result).bodyJson().extractingPath("$.activeParametersPerToken").convertTo(Long.class)
                    .isEqualTo(entry.get("activeParametersPerToken").asLong());
        }
        assertThat(result).bodyJson().extractingPath("$.warnings").asArray().isNotNull();
        assertThat(result).bodyJson().extractingPath("$.architecture.vocabSize")
                .isEqualTo(entry.get("huggingFaceConfig").get("vocab_size").asInt());
    }

    static Stream<ModelPreset> presets() {
        return ModelPresets.all().stream();
    }

    @ParameterizedTest
    @MethodSource("presets")
    void importOfAPresetsPublishedConfigShouldFindThatPreset(ModelPreset preset) {
        MvcTestResult result = importConfig(HfConfigs.text(preset.id()));
        assertThat(result).hasStatusOk();
        assertThat(result).bodyJson().extractingPath("$.totalParameters").convertTo(Long.class)
                .isEqualTo(preset.publishedParameters());
        assertThat(result).bodyJson().extractingPath("$.matchingPresets").asArray().contains(preset.id());
    }

    @Test
    void importShouldReportWarningsNotesAndTheRulesApplied() {
        MvcTestResult result = importConfig(HfConfigs.text("deepseek-v3"));
        assertThat(result).bodyJson().extractingPath("$.modelType").isEqualTo("deepseek_v3");
        assertThat(result).bodyJson().extractingPath("$.family").isEqualTo("DEEPSEEK_V3");
        assertThat(result).bodyJson().extractingPath("$.countedAs").isEqualTo("modeling_deepseek_v3.py");
        assertThat(result).bodyJson().extractingPath("$.warnings").asArray()
                .anySatisfy((w) -> assertThat(w).asString().contains("num_nextn_predict_layers"));
        assertThat(result).bodyJson().extractingPath("$.notes").asArray()
                .anySatisfy((n) -> assertThat(n).asString().contains("e_score_correction_bias"));
        assertThat(result).bodyJson().extractingPath("$.breakdown.moeLayers").isEqualTo(58);
        // a config no preset has: no match, still counted
        MvcTestResult nemo = importConfig(HfConfigs.text("mistral-nemo-12b"));
        assertThat(nemo).bodyJson().extractingPath("$.matchingPresets").asArray().isEmpty();
        assertThat(nemo).bodyJson().extractingPath("$.totalParameters").isEqualTo(12_247_782_400L);
    }

    @Test
    void unknownModelTypeShouldBe422NamingItUnlessApproximate() {
        String fork = llama("4096", "32").replace("\"llama\"", "\"llama_fork\"");
        MvcTestResult refused = importConfig(fork);
        assertProblem(refused, 422, "model_type");
        assertThat(refused).bodyJson().extractingPath("$.errors.model_type").asString()
                .contains("'llama_fork'", "not one this service models");
        assertThat(refused).bodyJson().extractingPath("$.detail").asString().contains("approximate=true");
        // experts of an unknown family are named too
        MvcTestResult moe = importConfig(fork.replace("}", ", \"num_local_experts\": 8}"));
        assertThat(moe).bodyJson().extractingPath("$.errors").asMap().containsOnlyKeys("model_type", "num_local_experts");

        MvcTestResult approximate = this.mvc.post().uri("/api/v1/models/import?approximate=true")
                .contentType(MediaType.APPLICATION_JSON).content(fork).exchange();
        assertThat(approximate).hasStatusOk();
        assertThat(approximate).bodyJson().extractingPath("$.family").isEqualTo("UNKNOWN");
        assertThat(approximate).bodyJson().extractingPath("$.approximate").isEqualTo(true);
        assertThat(approximate).bodyJson().extractingPath("$.totalParameters").isEqualTo(6_738_415_616L);
        assertThat(approximate).bodyJson().extractingPath("$.warnings[0]").asString()
                .startsWith("Not modelled").contains("'llama_fork'");
        // a known family is exact with or without the flag
        MvcTestResult exact = this.mvc.post().uri("/api/v1/models/import?approximate=true")
                .contentType(MediaType.APPLICATION_JSON).content(llama("4096", "32")).exchange();
        assertThat(exact).bodyJson().extractingPath("$.approximate").isEqualTo(false);
    }

    @Test
    void llama4ScoutShouldCountTheLanguageModelAndReportTheVisionTowerApart() {
        MvcTestResult result = importConfig(HfConfigs.text("llama-4-scout-17b-16e"));
        assertThat(result).hasStatusOk();
        assertThat(result).bodyJson().extractingPath("$.family").isEqualTo("LLAMA4");
        assertThat(result).bodyJson().extractingPath("$.countedAs").isEqualTo("modeling_llama4.py");
        // the language model (Llama4ForCausalLM): 107,769,861,120, 17,172,894,720 active (Meta: 17B)
        assertThat(result).bodyJson().extractingPath("$.totalParameters").isEqualTo(107_769_861_120L);
        assertThat(result).bodyJson().extractingPath("$.activeParametersPerToken").isEqualTo(17_172_894_720L);
        assertThat(result).bodyJson().extractingPath("$.matchingPresets").asArray().containsExactly("llama-4-scout-17b-16e");
        // + vision tower 850,960,896 + projector 20,971,520 = the checkpoint's 108,641,793,536 (Meta: 109B)
        assertThat(result).bodyJson().extractingPath("$.otherModules[0].module").isEqualTo("vision_model");
        assertThat(result).bodyJson().extractingPath("$.otherModules[0].parameters").isEqualTo(850_960_896);
        assertThat(result).bodyJson().extractingPath("$.otherModules[1].parameters").isEqualTo(20_971_520);
        assertThat(result).bodyJson().extractingPath("$.checkpointParameters").isEqualTo(108_641_793_536L);
        assertThat(result).bodyJson().extractingPath("$.approximate").isEqualTo(false);
    }

    @Test
    void gptOssShouldMatchItsPresetExactly() {
        MvcTestResult result = importConfig(HfConfigs.text("gpt-oss-120b"));
        assertThat(result).hasStatusOk();
        assertThat(result).bodyJson().extractingPath("$.family").isEqualTo("GPT_OSS");
        // OpenAI gpt-oss model card: 116.83B total
        assertThat(result).bodyJson().extractingPath("$.totalParameters").isEqualTo(116_829_156_672L);
        assertThat(result).bodyJson().extractingPath("$.checkpointParameters").isEqualTo(116_829_156_672L);
        assertThat(result).bodyJson().extractingPath("$.otherModules").asArray().isEmpty();
        assertThat(result).bodyJson().extractingPath("$.architecture.attentionSinks").isEqualTo(true);
        assertThat(result).bodyJson().extractingPath("$.matchingPresets").asArray().containsExactly("gpt-oss-120b");
    }

    @Test
    void missingFieldsShouldBe422NamingEachOne() {
        assertProblem(importConfig(LLAMA_WITHOUT_HIDDEN), 422, "hidden_size");
        MvcTestResult empty = importConfig("{}");
        assertProblem(empty, 422, "vocab_size");
        assertThat(empty).bodyJson().extractingPath("$.errors").asMap()
                .containsKeys("vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads");
        assertProblem(importConfig("{\"model_type\": \"gemma3\"}"), 422, "text_config");
    }

    @Test
    void malformedFieldsShouldBe400NamingTheKey() {
        assertProblem(importConfig(llama("\"4096\"", "32")), 400, "hidden_size");
        assertProblem(importConfig(llama("4096.5", "32")), 400, "hidden_size");
        assertProblem(importConfig(llama("null", "32")), 422, "hidden_size");
        assertProblem(importConfig(llama("4096", "-32")), 400, "num_attention_heads");
        assertProblem(importConfig(llama("4096", "0")), 400, "num_attention_heads");
        assertProblem(importConfig(llama("4096", "99999999999")), 400, "num_attention_heads");
        assertProblem(importConfig(llama("4096", "true")), 400, "num_attention_heads");
        assertProblem(importConfig("""
                {"model_type": "gemma3", "text_config": {"hidden_size": [2560], "intermediate_size": 10240,
                 "num_hidden_layers": 34}}"""), 400, "text_config.hidden_size");
    }

    @Test
    void impossibleShapesShouldBe422NamingTheKey() {
        assertProblem(importConfig(llama("4096", "30")), 422, "num_attention_heads");
        assertProblem(importConfig(llama("4096", "32").replace("}", ", \"num_key_value_heads\": 5}")), 422,
                "num_key_value_heads");
        MvcTestResult overflow = importConfig(llama("2147483647", "1").replace("32000", "2147483647"));
        assertProblem(overflow, 422, "totalParameters");
    }

    @Test
    void bodiesThatAreNotAConfigObjectShouldBe400Or415() {
        assertProblem(importConfig("[1, 2]"), 400, "body");
        assertProblem(importConfig(""), 400, "body");
        assertProblem(importConfig("{\"hidden_size\": "), 400, null);
        assertProblem(this.mvc.post().uri("/api/v1/models/import").contentType(MediaType.TEXT_PLAIN)
                .content(llama("4096", "32")).exchange(), 415, null);
    }
}
