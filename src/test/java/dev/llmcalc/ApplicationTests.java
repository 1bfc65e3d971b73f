package dev.llmcalc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/**
 * The whole application: the checked-in OpenAPI file matches what the app serves, and the ops
 * endpoints answer. Regenerate the file with {@code ./mvnw verify -Dopenapi.update=true}.
 */
@SpringBootTest
@AutoConfigureMockMvc
class ApplicationTests {

    private static final Path SPEC = Path.of("openapi", "openapi.yaml");

    @Autowired
    private MockMvcTester mvc;

    @Test
    void servedOpenApiShouldMatchTheCheckedInFile() throws IOException {
        MvcTestResult result = this.mvc.get().uri("/v3/api-docs.yaml").exchange();
        assertThat(result).hasStatusOk();
        String served = result.getResponse().getContentAsString(StandardCharsets.UTF_8);
        if (Boolean.getBoolean("openapi.update")) {
            Files.createDirectories(SPEC.getParent());
            Files.writeString(SPEC, served, StandardCharsets.UTF_8);
        }
        assertThat(SPEC).as("openapi/openapi.yaml is missing: run ./mvnw verify -Dopenapi.update=true").exists();
        assertThat(served).as("the served spec drifted from openapi/openapi.yaml; review the change and run "
                + "./mvnw verify -Dopenapi.update=true").isEqualTo(Files.readString(SPEC, StandardCharsets.UTF_8));
        assertThat(served).contains("/api/v1/parameters", "/api/v1/memory/model-states", "/api/v1/memory/inference",
                "/api/v1/models", "/api/v1/models/{id}", "/api/v1/models/import");
    }

    @Test
    void healthShouldBeUp() {
        assertThat(this.mvc.get().uri("/actuator/health").exchange()).hasStatusOk().bodyJson()
                .extractingPath("$.status").isEqualTo("UP");
        assertThat(this.mvc.get().uri("/actuator/health/readiness").exchange()).hasStatusOk();
        assertThat(this.mvc.get().uri("/actuator/health/liveness").exchange()).hasStatusOk();
    }

    @Test
    void infoShouldCarryTheBuild() {
        assertThat(this.mvc.get().uri("/actuator/info").exchange()).hasStatusOk().bodyJson()
                .extractingPath("$.build.artifact").isEqualTo("llm-training-calculator");
    }

    @Test
    void prometheusShouldExposeHttpMetrics() {
        this.mvc.post().uri("/api/v1/parameters").contentType(MediaType.APPLICATION_JSON)
                .content("{\"model\": {\"preset\": \"gpt2\"}}").exchange();
        MvcTestResult result = this.mvc.get().uri("/actuator/prometheus").exchange();
        assertThat(result).hasStatusOk();
        assertThat(result.getResponse().getContentAsByteArray()).asString(StandardCharsets.UTF_8)
                .contains("http_server_requests_seconds_count").contains("jvm_memory_used_bytes");
    }

    @Test
    void swaggerUiShouldBeServed() {
        assertThat(this.mvc.get().uri("/swagger-ui/index.html").exchange()).hasStatusOk();
    }

    @Test
    void getWithAnUnacceptableAcceptShouldBeTheDocumented406() {
        // the spec documents a 406 problem for every GET (a 4xx for each, as linters ask)
        for (String uri : List.of("/api/v1/models", "/api/v1/gpus", "/api/v1/models/llama-2-7b", "/api/v1/gpus/h100-sxm-80gb")) {
            MvcTestResult result = this.mvc.get().uri(uri).accept(MediaType.TEXT_PLAIN).exchange();
            assertThat(result).as(uri).hasStatus(406);
            assertThat(result).contentType().isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        }
    }
}
