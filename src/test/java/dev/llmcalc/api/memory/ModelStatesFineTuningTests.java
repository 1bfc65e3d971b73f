package dev.llmcalc.api.memory;

import static dev.llmcalc.api.ProblemAssertions.assertProblem;
import static dev.llmcalc.api.ProblemAssertions.number;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/** {@code training.method} LORA and QLORA on the memory endpoints (model states, activations, training). */
@WebMvcTest(MemoryController.class)
class ModelStatesFineTuningTests {

    @Autowired
    private MockMvcTester mvc;

    private MvcTestResult post(String path, String body) {
        return this.mvc.post().uri("/api/v1/memory/" + path).contentType(MediaType.APPLICATION_JSON).content(body)
                .exchange();
    }

    @Test
    void loraWhenLlama2OnQueryAndValueShouldKeepFrozenBf16AndTrainAdapters() {
        // frozen 6,738,415,616 × 2 = 13,476,831,232; adapters 4,194,304 × (2 + 2 + 12) = 67,108,864
        MvcTestResult result = post("model-states", """
                {"model": {"preset": "llama-2-7b"},
                 "training": {"method": "LORA", "lora": {"rank": 8, "alpha": 16, "targetModules": ["q", "v"]}}}""");
        assertThat(result).hasStatusOk();
        assertThat(result).bodyJson().extractingPath("$.perGpu.frozenWeightsBytes").convertTo(Long.class)
                .isEqualTo(13_476_831_232L);
        assertThat(result).bodyJson().extractingPath("$.perGpu.adapterWeightsBytes").convertTo(Long.class)
                .isEqualTo(8_388_608L);
        assertThat(result).bodyJson().extractingPath("$.perGpu.weightsBytes").convertTo(Long.class)
                .isEqualTo(13_485_219_840L);
        assertThat(result).bodyJson().extractingPath("$.perGpu.gradientsBytes").convertTo(Long.class).isEqualTo(8_388_608L);
        assertThat(result).bodyJson().extractingPath("$.perGpu.totalBytes").convertTo(Long.class)
                .isEqualTo(13_543_940_096L);
        assertThat(result).bodyJson().doesNotHavePath("$.perGpu.dequantizationBufferBytes");
        assertThat(result).bodyJson().extractingPath("$.fineTuning.trainableParameters").convertTo(Long.class)
                .isEqualTo(4_194_304L);
        assertThat(result).bodyJson().extractingPath("$.training.method").isEqualTo("LORA");
        assertThat(result).bodyJson().extractingPath("$.training.lora.targetModules").asArray().containsExactly("q", "v");
        assertThat(result).bodyJson().extractingPath("$.assumptions").asArray().isNotEmpty();
    }

    @Test
    void qloraWhenDefaultsShouldUseNf4Block64DoubleQuantization() {
        // r 8 on q, k, v, o (defaults): 32 × 4 × 8 × 8192 = 8,388,608 adapters × 16 B = 134,217,728
        // frozen 3,340,771,328 (NF4 linear matrices) + 524,820,480 (16-bit rest); buffer 4096 × 11008 × 2 = 90,177,536
        MvcTestResult result = post("model-states", """
                {"model": {"preset": "llama-2-7b"}, "training": {"method": "QLORA"}}""");
        assertThat(result).hasStatusOk();
        assertThat(result).bodyJson().extractingPath("$.fineTuning.quantization.bitsPerWeight").isEqualTo(4.126953125);
        assertThat(result).bodyJson().extractingPath("$.fineTuning.quantization.formula").asString()
                .contains("b + 8/B + 32/(B·256)");
        assertThat(result).bodyJson().extractingPath("$.training.lora.quantization.format").isEqualTo("NF4");
        assertThat(result).bodyJson().extractingPath("$.perGpu.frozenWeightsBytes").convertTo(Long.class)
                .isEqualTo(3_865_591_808L);
        assertThat(result).bodyJson().extractingPath("$.perGpu.dequantizationBufferBytes").convertTo(Long.class)
                .isEqualTo(90_177_536L);
        assertThat(result).bodyJson().extractingPath("$.perGpu.totalBytes").convertTo(Long.class)
                .isEqualTo(3_865_591_808L + 134_217_728L + 90_177_536L);
    }

    @Test
    void methodWhenAbsentShouldLeaveFullTrainingUnchanged() {
        MvcTestResult result = post("model-states", "{\"model\": {\"preset\": \"llama-2-7b\"}}");
        assertThat(result).bodyJson().extractingPath("$.perGpu.totalBytes").convertTo(Long.class)
                .isEqualTo(16L * 6_738_415_616L);
        assertThat(result).bodyJson().doesNotHavePath("$.fineTuning");
        assertThat(result).bodyJson().doesNotHavePath("$.perGpu.frozenWeightsBytes");
    }

    @Test
    void badFineTuningInputShouldNameTheField() {
        assertProblem(post("model-states", """
                {"model": {"preset": "llama-2-7b"}, "training": {"method": "LORA", "lora": {"rank": 0}}}"""), 400,
                "training.lora.rank");
        assertProblem(post("model-states", """
                {"model": {"preset": "llama-2-7b"}, "training": {"method": "LORA", "lora": {"targetModules": ["q", "x"]}}}"""),
                400, "training.lora.targetModules[1]");
        assertProblem(post("model-states", """
                {"model": {"preset": "llama-2-7b"},
                 "training": {"method": "LORA", "lora": {"quantization": {"format": "NF4"}}}}"""), 422,
                "training.lora.quantization");
        assertProblem(post("model-states", """
                {"model": {"preset": "llama-2-7b"}, "training": {"lora": {"rank": 8}}}"""), 422, "training.lora");
        assertProblem(post("model-states", """
                {"model": {"preset": "llama-2-7b"}, "training": {"method": "DORA"}}"""), 400, "training.method");
        assertProblem(post("model-states", """
                {"model": {"preset": "llama-2-7b"},
                 "training": {"method": "QLORA", "lora": {"quantization": {"blockSize": 0}}}}"""), 400,
                "training.lora.quantization.blockSize");
        assertProblem(post("model-states", """
                {"model": {"preset": "gpt2"}, "training": {"method": "LORA", "lora": {"targetModules": ["gate"]}}}"""),
                422, "training.lora.targetModules");
        assertProblem(post("model-states", """
                {"parameters": 7000000000, "training": {"method": "LORA"}}"""), 422, "parameters");
        assertProblem(post("model-states", """
                {"model": {"preset": "llama-2-7b"}, "training": {"method": "LORA"}, "parallelism": {"tensor": 3}}"""),
                422, "parallelism.tensor");
    }

    @Test
    void trainingMemoryWhenLlama3On24GbShouldFitWithLoraAndQloraButNotFullTraining() {
        // b 1, s 2048, full recomputation: activations 32 layer inputs 536,870,912 + fp32 loss 1,050,673,152 +
        // final-norm input, LM-head input and norm statistics 33,579,008 = 1,621,123,072; logits 1,576,009,728
        String run = """
                {"model": {"preset": "llama-3-8b"}, "batch": {"microBatchSize": 1, "sequenceLength": 2048},
                 "activations": {"recomputation": "FULL"}, "cluster": {"gpu": "rtx-4090-24gb", "gpuCount": 1},
                 "training": %s}""";
        String adapters = "\"lora\": {\"rank\": 16, \"targetModules\": [\"q\", \"k\", \"v\", \"o\", "
                + "\"gate\", \"up\", \"down\"]}";
        MvcTestResult full = post("training", run.formatted("{\"method\": \"FULL\"}"));
        MvcTestResult lora = post("training", run.formatted("{\"method\": \"LORA\", " + adapters + "}"));
        MvcTestResult qlora = post("training", run.formatted("{\"method\": \"QLORA\", " + adapters + "}"));
        for (MvcTestResult result : new MvcTestResult[] { full, lora, qlora }) {
            assertThat(result).hasStatusOk();
            assertThat(result).bodyJson().extractingPath("$.perGpu.activationsBytes").convertTo(Long.class)
                    .isEqualTo(1_621_123_072L);
            assertThat(result).bodyJson().extractingPath("$.perGpu.transientBytes").convertTo(Long.class)
                    .isEqualTo(1_576_009_728L);
        }
        assertThat(full).bodyJson().extractingPath("$.perGpu.modelStatesBytes").convertTo(Long.class)
                .isEqualTo(128_484_179_968L);
        assertThat(full).bodyJson().extractingPath("$.fits").isEqualTo(false);
        assertThat(full).bodyJson().doesNotHavePath("$.fineTuning");
        // the model states are /memory/model-states' numbers (README worked example)
        assertThat(lora).bodyJson().extractingPath("$.perGpu.modelStatesBytes").convertTo(Long.class)
                .isEqualTo(16_731_611_136L);
        assertThat(lora).bodyJson().extractingPath("$.perGpu.frozenWeightsBytes").convertTo(Long.class)
                .isEqualTo(16_060_522_496L);
        assertThat(lora).bodyJson().extractingPath("$.perGpu.gradientsBytes").convertTo(Long.class)
                .isEqualTo(83_886_080L);
        assertThat(lora).bodyJson().extractingPath("$.fits").isEqualTo(true);
        assertThat(lora).bodyJson().extractingPath("$.maxMicroBatchSize").convertTo(Long.class).isEqualTo(1L);
        assertThat(lora).bodyJson().extractingPath("$.fineTuning.trainableParameters").convertTo(Long.class)
                .isEqualTo(41_943_040L);
        assertThat(lora).bodyJson().extractingPath("$.training.method").isEqualTo("LORA");
        assertThat(qlora).bodyJson().extractingPath("$.perGpu.modelStatesBytes").convertTo(Long.class)
                .isEqualTo(6_490_824_704L);
        assertThat(qlora).bodyJson().extractingPath("$.perGpu.dequantizationBufferBytes").convertTo(Long.class)
                .isEqualTo(117_440_512L);
        assertThat(qlora).bodyJson().extractingPath("$.maxMicroBatchSize").convertTo(Long.class).isEqualTo(5L);
        assertThat(qlora).bodyJson().extractingPath("$.assumptions").asArray()
                .anySatisfy((line) -> assertThat(line.toString()).contains("4.126953125"))
                .anySatisfy((line) -> assertThat(line.toString()).contains("r-wide intermediate"));
    }

    @Test
    void activationsWhenLoraShouldAddTheAdapterIntermediatesAndEchoTheMethod() {
        // Llama-2-7B, b 1, s 4096, r 8 on q and v: 32 layers × 2 × 8 × 4096 × 2 bytes = 4,194,304
        MvcTestResult result = post("activations", """
                {"model": {"preset": "llama-2-7b"}, "batch": {"sequenceLength": 4096},
                 "training": {"method": "LORA", "lora": {"rank": 8, "targetModules": ["q", "v"]}}}""");
        MvcTestResult base = post("activations", """
                {"model": {"preset": "llama-2-7b"}, "batch": {"sequenceLength": 4096}}""");
        assertThat(result).hasStatusOk();
        assertThat(result).bodyJson().extractingPath("$.training.method").isEqualTo("LORA");
        assertThat(result).bodyJson().extractingPath("$.breakdown[?(@.tensor == 'LoRA intermediates (x·A, r wide)')].bytes")
                .asArray().containsExactly(4_194_304);
        assertThat(number(result, "$.totalBytes") - number(base, "$.totalBytes")).isEqualTo(4_194_304.0);
    }

    @Test
    void trainingMemoryWhenLoraOverTensorAndPipelineRanksShouldReportTheMostLoadedStage() {
        // t 2, p 2, r 8 on q, v: each stage holds 16 layers' frozen weights / 2 (16 × 101,195,776) + the embedding or
        // the head / 2 (65,536,000; the last stage also the final norm) and 16 × 2 × 8 · 8192 / 2 = 1,048,576 adapter
        // parameters; stage 0 keeps two micro-batches in flight under 1F1B and is the most loaded in total, stage 1
        // (the final norm) in model states alone
        MvcTestResult result = post("training", """
                {"model": {"preset": "llama-2-7b"}, "batch": {"sequenceLength": 2048},
                 "training": {"method": "LORA", "lora": {"rank": 8, "targetModules": ["q", "v"]}},
                 "parallelism": {"tensor": 2, "pipeline": 2}}""");
        assertThat(result).hasStatusOk();
        assertThat(result).bodyJson().extractingPath("$.pipelineStage").isEqualTo(0);
        assertThat(result).bodyJson().extractingPath("$.perGpu.frozenWeightsBytes").convertTo(Long.class)
                .isEqualTo(2 * (16 * 101_195_776L + 65_536_000L));
        assertThat(result).bodyJson().extractingPath("$.perGpu.adapterWeightsBytes").convertTo(Long.class)
                .isEqualTo(2 * 1_048_576L);
        MvcTestResult states = post("model-states", """
                {"model": {"preset": "llama-2-7b"},
                 "training": {"method": "LORA", "lora": {"rank": 8, "targetModules": ["q", "v"]}},
                 "parallelism": {"tensor": 2, "pipeline": 2}}""");
        assertThat(states).bodyJson().extractingPath("$.perGpu.frozenWeightsBytes").convertTo(Long.class)
                .isEqualTo(2 * (16 * 101_195_776L + 65_536_000L + 4096));
        assertThat(states).bodyJson().extractingPath("$.localParameters.pipelineStage").isEqualTo(1);
    }

    @Test
    void unsupportedTargetsShouldBeRefusedNotIgnored() {
        assertProblem(post("training", """
                {"model": {"preset": "gpt2"}, "batch": {"sequenceLength": 1024},
                 "training": {"method": "LORA", "lora": {"targetModules": ["gate"]}}}"""), 422,
                "training.lora.targetModules");
    }
}
