package dev.llmcalc.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.llmcalc.api.plans.CheckRequest;
import dev.llmcalc.api.plans.Planning;
import tools.jackson.databind.json.JsonMapper;

/** The command line, in process: exit codes 0/1/2 and agreement with POST /api/v1/checks. */
class CliTests {

    private static final Path EXAMPLE = Path.of("examples", "plan.json");

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Cli.run(args, new PrintStream(this.out, true, StandardCharsets.UTF_8),
                new PrintStream(this.err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return this.out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return this.err.toString(StandardCharsets.UTF_8);
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(this.dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    @Test
    void theExamplePlanShouldPassWithExitCode0() {
        assertThat(run("check", EXAMPLE.toString())).isEqualTo(Cli.PASS);
        assertThat(out()).startsWith("PASS: llama-3.1-70b on 64 × h100-sxm-80gb");
    }

    @Test
    void aPlanThatStopsFittingShouldFailWithExitCode1AndPrintTheViolation() throws IOException {
        Path tight = write("tight.json", Files.readString(EXAMPLE).replace("\"maxMemoryFraction\": 0.9",
                "\"maxMemoryFraction\": 0.5"));
        assertThat(run("check", tight.toString())).isEqualTo(Cli.FAIL);
        assertThat(out()).startsWith("FAIL:").contains("violated maxMemoryFraction: limit 0.5000, actual 0.7");
    }

    @Test
    void invalidInputShouldExitWith2AndNameTheField() throws IOException {
        assertThat(run("check", this.dir.resolve("missing.json").toString())).isEqualTo(Cli.INVALID);
        assertThat(err()).contains("no such file");
        Path typo = write("typo.json", Files.readString(EXAMPLE).replace("\"zeroStage\"", "\"zeroStag\""));
        assertThat(run("check", typo.toString())).isEqualTo(Cli.INVALID);
        assertThat(err()).contains("zeroStag");
        Path range = write("range.json", Files.readString(EXAMPLE).replace("\"tensor\": 8", "\"tensor\": 0"));
        assertThat(run("check", range.toString())).isEqualTo(Cli.INVALID);
        assertThat(err()).contains("'parallelism.tensor' must be greater than 0");
        Path impossible = write("impossible.json", Files.readString(EXAMPLE).replace("\"gpuCount\": 64", "\"gpuCount\": 32"));
        assertThat(run("check", impossible.toString())).isEqualTo(Cli.INVALID);
        assertThat(err()).contains("cluster.gpuCount");
        assertThat(run("frobnicate")).isEqualTo(Cli.INVALID);
        assertThat(run()).isEqualTo(Cli.INVALID);
    }

    @Test
    void aMisspeltFieldShouldBeNamedByItsJsonPathWithTheKnownFieldsAndNoJavaClassNames() throws IOException {
        Path typo = write("typo.json", Files.readString(EXAMPLE).replace("\"tensor\": 8", "\"tensr\": 8"));
        assertThat(run("check", typo.toString())).isEqualTo(Cli.INVALID);
        assertThat(err()).isEqualTo("invalid input: 'parallelism.tensr' is not a known field; known fields here: "
                + "context, data, expert, pipeline, tensor, virtualPipeline" + System.lineSeparator());
        Path wrongType = write("type.json", Files.readString(EXAMPLE).replace("\"pipeline\": 2", "\"pipeline\": [2]"));
        assertThat(run("check", wrongType.toString())).isEqualTo(Cli.INVALID);
        assertThat(err()).contains("invalid input: 'parallelism.pipeline' must be ");
        Path broken = write("broken.json", "{\"model\": {\"preset\": \"llama-2-7b\"},\n  \"batch\": }");
        assertThat(run("check", broken.toString())).isEqualTo(Cli.INVALID);
        assertThat(err()).contains("invalid input: 'body' is not valid JSON (line 2, column 12)");
        assertThat(err()).doesNotContain("dev.llmcalc", "class ", "java.", "tools.jackson", "Unrecognized");
    }

    @Test
    void planOnAListOfGpusShouldPrintTheComparisonAndItsChoices() throws IOException {
        Path example = Path.of("examples", "compare-request.json");
        assertThat(run("plan", example.toString())).isEqualTo(Cli.PASS);
        // nine options (three GPUs × 64, 128, 256), then the three named choices
        assertThat(out()).startsWith("llama-3.1-70b for 2000000000000 tokens: 9 options")
                .contains(" 8. 256 × h200-sxm-141gb: ").contains("\ncheapest: option ").contains("\nfastest: option ")
                .contains("\ncheapest within 200.0 days: option ");
        Path free = write("free.json", Files.readString(example).replace("\"pricePerGpuHour\": 1.8",
                "\"pricePerGpuHour\": 0"));
        assertThat(run("plan", free.toString())).isEqualTo(Cli.INVALID);
        assertThat(err()).contains("'cluster.gpu[0].pricePerGpuHour' must be greater than 0");
    }

    @Test
    void cliAndEndpointShouldAgreeOnTheSamePlan() throws IOException {
        CheckRequest request = JsonMapper.builder().build().readValue(Files.readString(EXAMPLE), CheckRequest.class);
        boolean pass = Planning.check(request).pass();
        assertThat(run("check", EXAMPLE.toString())).isEqualTo(pass ? Cli.PASS : Cli.FAIL);
        assertThat(run("check", "--json", EXAMPLE.toString())).isEqualTo(pass ? Cli.PASS : Cli.FAIL);
        assertThat(out()).contains("\"pass\" : " + pass);
    }

    @Test
    void planAndParamsShouldAnswer() {
        assertThat(run("plan", "examples/plan-request.json")).isEqualTo(Cli.PASS);
        assertThat(out()).contains(" 1. d=").contains("layouts evaluated");
        assertThat(run("params", "--preset", "mixtral-8x7b")).isEqualTo(Cli.PASS);
        assertThat(out()).contains("mixtral-8x7b: 46702792704 parameters, 12879925248 active per token");
    }

    @Test
    void paramsShouldReadAConfigJson() throws IOException {
        Path config = write("config.json", """
                {"model_type": "qwen2", "vocab_size": 151936, "hidden_size": 896, "intermediate_size": 4864,
                 "num_hidden_layers": 24, "num_attention_heads": 14, "num_key_value_heads": 2, "tie_word_embeddings": true}""");
        assertThat(run("params", config.toString())).isEqualTo(Cli.PASS);
        assertThat(out()).contains("494032768 parameters");
    }

    @Test
    void paramsShouldRefuseAnUnknownFamilyUnlessApproximate() throws IOException {
        Path config = write("fork.json", """
                {"model_type": "llama_fork", "vocab_size": 32000, "hidden_size": 4096, "num_hidden_layers": 32,
                 "num_attention_heads": 32, "intermediate_size": 11008}""");
        assertThat(run("params", config.toString())).isEqualTo(Cli.INVALID);
        assertThat(err()).contains("model_type", "approximate");
        assertThat(run("params", "--approximate", config.toString())).isEqualTo(Cli.PASS);
        assertThat(out()).contains("warning: Not modelled", "6738415616 parameters");
    }

    @Test
    void paramsShouldNameTheVisionTowerOfALlama4Config() {
        // Scout's language model, and the vision tower and projector the checkpoint also holds (hf-configs)
        assertThat(run("params", "src/test/resources/hf-configs/llama-4-scout-17b-16e.json")).isEqualTo(Cli.PASS);
        assertThat(out()).contains("107769861120 parameters, 17172894720 active per token",
                "not in the count: vision_model, 850960896 parameters",
                "not in the count: multi_modal_projector, 20971520 parameters");
    }

    @Test
    void alignShouldPassAnAlignmentRunThatFitsAndFailOneThatDoesNot() throws IOException {
        Path example = Path.of("examples", "align.json");
        assertThat(run("align", example.toString())).isEqualTo(Cli.PASS);
        // GRPO with LoRA on 8 × H100: the policy's 1.9 GiB of states and the reward model's 1.7, the reference free
        assertThat(out()).startsWith("PASS: GRPO llama-3-8b, model states 3.7 GiB, peak 30.7 GiB (generation) of 80.0 GiB per GPU")
                .contains("REFERENCE frozen  0.0 GiB");
        Path full = write("full.json", Files.readString(example).replace("\"data\": 8", "\"data\": 1")
                .replace("\"method\": \"LORA\", ", "").replace(", \"lora\": {\"rank\": 16, \"targetModules\": "
                        + "[\"q\", \"k\", \"v\", \"o\", \"gate\", \"up\", \"down\"]}", ""));
        assertThat(run("align", full.toString())).isEqualTo(Cli.FAIL);
        assertThat(out()).contains("violated maxMemoryFraction: limit 0.9");
        Path noGpu = write("nogpu.json", Files.readString(example).replace("\"gpu\": \"h100-sxm-80gb\",", ""));
        assertThat(run("align", noGpu.toString())).isEqualTo(Cli.INVALID);
        assertThat(err()).contains("'gpu' is required");
    }
}
