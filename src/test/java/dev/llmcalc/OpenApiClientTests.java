package dev.llmcalc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.File;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import dev.llmcalc.client.ApiClient;
import dev.llmcalc.client.ApiException;
import dev.llmcalc.client.api.MemoryApi;
import dev.llmcalc.client.api.ParametersApi;
import dev.llmcalc.client.model.BatchSpec;
import dev.llmcalc.client.model.ClusterSpec;
import dev.llmcalc.client.model.GpuChoice;
import dev.llmcalc.client.model.GpuObject;
import dev.llmcalc.client.model.ModelSpec;
import dev.llmcalc.client.model.ParametersRequest;
import dev.llmcalc.client.model.PeakFlops;
import dev.llmcalc.client.model.TrainingMemoryRequest;
import dev.llmcalc.client.model.TrainingMemoryResponse;
import dev.llmcalc.client.model.TrainingSpec;

/**
 * What a real client makes of {@code openapi/openapi.yaml}. The build already validated it with OpenAPI Generator and
 * compiled the Java client generated from it ({@code openapi-generator-maven-plugin} in the pom, into the test
 * sources); here that client calls the running app, and Redocly CLI lints the file with its recommended rules.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class OpenApiClientTests {

    private static final Path SPEC = Path.of("openapi", "openapi.yaml");

    @LocalServerPort
    private int port;

    private ApiClient client() {
        return new ApiClient().setHost("localhost").setPort(this.port).setScheme("http");
    }

    @Test
    void generatedClientShouldSendAGpuAsAStringId() throws ApiException {
        // the README's "will it fit?" request, as a generated client writes it: cluster.gpu is the string id
        TrainingMemoryRequest request = new TrainingMemoryRequest()
                .model(new ModelSpec().preset("llama-2-7b"))
                .batch(new BatchSpec().sequenceLength(4096L).globalBatchSize(1024L))
                .training(new TrainingSpec().zeroStage(1))
                .cluster(new ClusterSpec().gpu(new GpuChoice("h100-sxm-80gb")).gpuCount(8));
        TrainingMemoryResponse response = new MemoryApi(client()).training(request);
        assertThat(response.getGpu().getId()).isEqualTo("h100-sxm-80gb");
        assertThat(response.getGpu().getMemoryBytes()).isEqualTo(85_899_345_920L);
        // no parallelism: data fills the 8 GPUs, and the answer says so
        assertThat(response.getParallelism().getData()).isEqualTo(8);
        assertThat(response.getAssumptions().get(0)).startsWith("parallelism.data not given: 8");
        assertThat(response.getFits()).isTrue();
    }

    @Test
    void generatedClientShouldSendAGpuAsAnObject() throws ApiException {
        // a base preset with 96 GiB (the README's example): 96 · 2^30 bytes
        GpuObject h100With96GiB = new GpuObject().base("h100-sxm-80gb").memoryGiB(96.0);
        TrainingMemoryResponse response = new MemoryApi(client()).training(new TrainingMemoryRequest()
                .model(new ModelSpec().preset("llama-2-7b"))
                .batch(new BatchSpec().sequenceLength(4096L).globalBatchSize(1024L))
                .cluster(new ClusterSpec().gpu(new GpuChoice(h100With96GiB)).gpuCount(8)));
        assertThat(response.getGpu().getId()).isEqualTo("h100-sxm-80gb+overrides");
        assertThat(response.getGpu().getMemoryBytes()).isEqualTo(103_079_215_104L);
        // a described GPU whose peak is one number
        GpuObject described = new GpuObject().memoryBytes(25_769_803_776L)
                .peakFlops(new PeakFlops(new BigDecimal("1.65e14"))).intraNodeBandwidth(3.2e10).interNodeBandwidth(1.25e10);
        TrainingMemoryResponse custom = new MemoryApi(client()).training(new TrainingMemoryRequest()
                .model(new ModelSpec().preset("qwen2.5-0.5b")).batch(new BatchSpec().sequenceLength(2048L))
                .cluster(new ClusterSpec().gpu(new GpuChoice(described))));
        assertThat(custom.getGpu().getId()).isEqualTo("custom");
        assertThat(custom.getGpu().getMemoryBytes()).isEqualTo(25_769_803_776L);
    }

    @Test
    void generatedClientShouldReadTheExactCount() throws ApiException {
        ParametersApi parameters = new ParametersApi(client());
        assertThat(parameters.parameters(new ParametersRequest().model(new ModelSpec().preset("llama-2-7b")))
                .getTotalParameters()).isEqualTo(6_738_415_616L);
        // a 4xx arrives as the client's exception, with the problem body
        assertThat(catchThrowableOfType(ApiException.class,
                () -> parameters.parameters(new ParametersRequest().model(new ModelSpec().preset("llama-2-7")))))
                .satisfies((ex) -> assertThat(ex.getCode()).isEqualTo(404))
                .satisfies((ex) -> assertThat(ex.getResponseBody()).contains("llama-2-7b"));
    }

    /**
     * Redocly CLI (pinned in {@code openapi/lint/package.json}, installed by npm into {@code target/openapi-lint},
     * offline once npm's cache has it) with {@code openapi/redocly.yaml}: no error and no warning. Skipped only on a
     * machine without Node.js.
     */
    @Test
    void checkedInSpecShouldPassRedoclysRecommendedRules() throws IOException, InterruptedException {
        assumeThat(onPath("node") && onPath("npm")).as("Node.js and npm are not installed: the lint is skipped").isTrue();
        Path lint = Path.of("target", "openapi-lint");
        Files.createDirectories(lint);
        for (String file : List.of("package.json", "package-lock.json")) {
            Files.copy(Path.of("openapi", "lint", file), lint.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        Path redocly = lint.resolve(Path.of("node_modules", "@redocly", "cli", "package.json"));
        if (!Files.exists(redocly)) {
            Run install = run(lint.toFile(), "npm", "ci", "--prefer-offline", "--no-audit", "--no-fund");
            assertThat(install.exit()).as("npm ci in %s:%n%s", lint, install.output()).isZero();
        }
        Path cli = lint.resolve(Path.of("node_modules", "@redocly", "cli", "bin", "cli.js"));
        Run result = run(new File("."), "node", cli.toString(), "lint", SPEC.toString(), "--config",
                "openapi/redocly.yaml", "--format", "stylish");
        assertThat(result.exit()).as("redocly lint %s:%n%s", SPEC, result.output()).isZero();
        // a problem is a "line:column  warning|error  rule" line (Node 20's deprecation banner says "warning" too)
        assertThat(result.output()).contains("Your API description is valid")
                .doesNotContainPattern("\\d+:\\d+\\s+(warning|error)\\s");
    }

    private record Run(int exit, String output) {
    }

    private static Run run(File directory, String... command) throws IOException, InterruptedException {
        Path log = Files.createTempFile("openapi-lint", ".log");
        Process process = new ProcessBuilder(command).directory(directory).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish in 3 minutes");
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.delete(log);
        return new Run(process.exitValue(), output);
    }

    private static boolean onPath(String program) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch((dir) -> Files.isExecutable(Path.of(dir, program)));
    }
}
