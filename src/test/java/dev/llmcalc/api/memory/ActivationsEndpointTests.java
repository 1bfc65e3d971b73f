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

import dev.llmcalc.api.ProblemAssertions;
import dev.llmcalc.core.ReferenceCases;

@WebMvcTest(MemoryController.class)
class ActivationsEndpointTests {

    /** GPT-3 175B block of Korthikanti et al. Table 2. */
    private static final String GPT3 = """
            {"vocabSize": 50257, "hiddenSize": 12288, "numLayers": 96, "numAttentionHeads": 96,
             "intermediateSize": 49152, "mlp": "STANDARD", "norm": "LAYER_NORM", "positionEmbedding": "LEARNED",
             "maxPositionEmbeddings": 2048}""";

    @Autowired
    private MockMvcTester mvc;

    private MvcTestResult post(String body) {
        return this.mvc.post().uri("/api/v1/memory/activations").contentType(MediaType.APPLICATION_JSON).content(body)
                .exchange();
    }

    @Test
    void gpt3BlockThroughHttpShouldMatchKorthikantiTable2() {
        // sbh(10 + 24/t + 5as/(ht)) at t = 8: 578,813,952 bytes; the ledger adds 16 bytes/token of LayerNorm statistics
        MvcTestResult result = post("""
                {"model": {"architecture": %s}, "batch": {"sequenceLength": 2048},
                 "activations": {"attention": "EAGER", "dropout": true}, "parallelism": {"tensor": 8}}""".formatted(GPT3));
        assertThat(result).hasStatusOk();
        assertThat(result).bodyJson().extractingPath("$.perLayerBytes").isEqualTo(578_813_952 + 16 * 2048);
        assertThat(result).bodyJson().extractingPath("$.referenceFormula.value").isEqualTo(578_813_952);
        assertThat(result).bodyJson().extractingPath("$.referenceFormula.exact").isEqualTo(true);
        assertThat(result).bodyJson().extractingPath("$.activations.residualDropout").isEqualTo(true);
    }

    @ParameterizedTest
    @CsvSource({ "tp, 8, NONE, false", "tp_sp, 8, NONE, true", "tp_selective, 8, SELECTIVE, false",
            "tp_sp_selective, 8, SELECTIVE, true", "full_recompute, 1, FULL, false", "none, 1, NONE, false" })
    void everyRowOfKorthikantiTable2ShouldHoldThroughHttp(String key, int t, String mode, boolean sp) {
        long expected = ReferenceCases.root().get("activationsPerLayer").get(0).get("bytesPerLayer").get(key).asLong();
        MvcTestResult result = post("""
                {"model": {"architecture": %s}, "batch": {"sequenceLength": 2048},
                 "activations": {"attention": "EAGER", "dropout": true, "recomputation": "%s", "sequenceParallel": %s},
                 "parallelism": {"tensor": %d}}""".formatted(GPT3, mode, sp, t));
        assertThat(result).hasStatusOk();
        // the paper's value exactly, once the ledger's fp32 LayerNorm statistics are set aside
        long statistics = "full_recompute".equals(key) ? 0 : 16L * 2048 / (sp ? t : 1);
        assertThat(ProblemAssertions.number(result, "$.perLayerBytes")).isEqualTo((double) (expected + statistics));
        assertThat(ProblemAssertions.number(result, "$.referenceFormula.value")).isEqualTo((double) expected);
    }

    @Test
    void llamaFlashAndFullRecomputationShouldFollowTheLedgerThroughHttp() {
        // FLASH: 2·b·s²·a replaced by the 4·b·a·s log-sum-exp; FULL keeps 2·b·s·h per layer
        long bsh = 4096L * 4096;
        MvcTestResult flash = post("""
                {"model": {"preset": "llama-2-7b"}, "batch": {"sequenceLength": 4096}, "activations": {"attention": "FLASH"}}""");
        assertThat(ProblemAssertions.number(flash, "$.perLayerBytes"))
                .isEqualTo((double) (16 * bsh + 8L * 4096 * 11_008 + 4L * 32 * 4096 + 8L * 4096));
        MvcTestResult full = post("""
                {"model": {"preset": "llama-2-7b"}, "batch": {"sequenceLength": 4096}, "activations": {"recomputation": "FULL"}}""");
        assertThat(ProblemAssertions.number(full, "$.perLayerBytes")).isEqualTo((double) (2 * bsh));
    }

    @Test
    void llamaShouldCarryTheDocumentFormulaAndTheLedger() {
        MvcTestResult result = post("""
                {"model": {"preset": "llama-2-7b"}, "batch": {"sequenceLength": 4096},
                 "activations": {"attention": "EAGER"}}""");
        // (12 + 4)·bsh + 8·bsf + 2·bs²a + 8·bs = 268,435,456 + 360,710,144 + 1,073,741,824 + 32,768
        assertThat(result).bodyJson().extractingPath("$.perLayerBytes").isEqualTo(1_702_920_192);
        assertThat(result).bodyJson().extractingPath("$.documentFormula.expression")
                .isEqualTo("M_act = L·[(10 + 4·g/a)·b·s·h + 8·b·s·f + 5·b·s²·a] + 4·b·s·h");
        // 32·[14·bsh + 8·bsf + 5·bs²a] + 4·bsh = 32·(234,881,024 + 360,710,144 + 2,684,354,560) + 67,108,864
        //                                 = 104,958,263,296 + 67,108,864
        assertThat(result).bodyJson().extractingPath("$.documentFormula.value").isEqualTo(105_025_372_160L);
        assertThat(result).bodyJson().extractingPath("$.breakdown[?(@.tensor == 'softmax output')].bytes")
                .asArray().containsExactly(32L * 1_073_741_824);
        assertThat(result).bodyJson().extractingPath("$.activationBytes").isEqualTo(2);
    }

    @Test
    void fp32TrainingShouldDoubleActivationElements() {
        MvcTestResult result = post("""
                {"model": {"preset": "gpt2"}, "batch": {"sequenceLength": 1024}, "training": {"precision": "FP32"},
                 "activations": {"recomputation": "FULL"}}""");
        assertThat(result).bodyJson().extractingPath("$.activationBytes").isEqualTo(4);
        // FULL keeps the layer input only: 4 bytes × 1024 × 768
        assertThat(result).bodyJson().extractingPath("$.perLayerBytes").isEqualTo(4 * 1024 * 768);
    }

    @Test
    void badRequestsShouldNameTheField() {
        assertProblem(post("{\"model\": {\"preset\": \"gpt2\"}}"), 400, "batch");
        assertProblem(post("{\"model\": {\"preset\": \"gpt2\"}, \"batch\": {}}"), 400, "batch.sequenceLength");
        assertProblem(post("{\"model\": {\"preset\": \"gpt2\"}, \"batch\": {\"sequenceLength\": 8}, "
                + "\"activations\": {\"recomputation\": \"PARTIAL\"}}"), 400, "activations.recomputation");
        assertProblem(post("{\"model\": {\"preset\": \"gpt2\"}, \"batch\": {\"sequenceLength\": 1001}, "
                + "\"parallelism\": {\"context\": 2}}"), 422, "batch.sequenceLength");
        assertProblem(post("{\"model\": {\"preset\": \"llama-2-7b\"}, \"batch\": {\"sequenceLength\": 4096}, "
                + "\"parallelism\": {\"virtualPipeline\": 2}}"), 422, "parallelism.virtualPipeline");
        assertProblem(post("{\"model\": {\"preset\": \"llama-2-7b\"}, \"batch\": {\"sequenceLength\": 9223372036854775807}}"),
                422, "activationBytes");
    }
}
