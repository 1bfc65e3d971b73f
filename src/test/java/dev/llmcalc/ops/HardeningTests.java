package dev.llmcalc.ops;

import static dev.llmcalc.api.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;

/** Limits, headers and exposure with the production configuration (the real server: {@link ServerLimitsTests}). */
@SpringBootTest
@AutoConfigureMockMvc
class HardeningTests {

    @Autowired
    private MockMvcTester mvc;

    @Autowired
    private JsonMapper jsonMapper;

    @Autowired
    private Environment environment;

    private MvcTestResult post(String path, String body) {
        return this.mvc.post().uri(path).contentType(MediaType.APPLICATION_JSON).content(body).exchange();
    }

    @Test
    void bodyOverOneMebibyteShouldBe413Problem() {
        MvcTestResult result = post("/api/v1/parameters", " ".repeat(2 * 1024 * 1024));
        assertProblem(result, 413, "body");
        assertThat(result).bodyJson().extractingPath("$.type").isEqualTo(RequestBodyLimitFilter.PROBLEM_TYPE);
        assertThat(result).bodyJson().extractingPath("$.detail").asString().contains("1048576 bytes");
        assertThat(result).headers().hasValue("X-Content-Type-Options", "nosniff")
                .containsHeader(RequestLogFilter.HEADER);
    }

    @Test
    void bodyOfExactlyOneMebibyteShouldBeRead() {
        String body = "{\"model\": {\"preset\": \"gpt2\"}}";
        assertThat(post("/api/v1/parameters", body + " ".repeat(1024 * 1024 - body.length()))).hasStatusOk();
    }

    @Test
    void longStringShouldBe400NamingTheLimit() {
        MvcTestResult result = post("/api/v1/parameters", "{\"model\": {\"preset\": \"" + "x".repeat(10_001) + "\"}}");
        assertProblem(result, 400, "model.preset");
        assertThat(result).bodyJson().extractingPath("$.detail").asString()
                .contains("String value length").contains("maximum allowed (10000)").doesNotContain("StreamReadConstraints");
    }

    @Test
    void longNumberShouldBe400NamingTheLimit() {
        MvcTestResult result = post("/api/v1/memory/model-states", "{\"parameters\": " + "7".repeat(101) + "}");
        assertProblem(result, 400, null);
        assertThat(result).bodyJson().extractingPath("$.detail").asString()
                .contains("Number value length").contains("maximum allowed (100)");
    }

    @Test
    void deeplyNestedArrayShouldBe400AndLeaveTheServiceHealthy() {
        String deep = "[".repeat(10_000) + "]".repeat(10_000);
        assertProblem(post("/api/v1/parameters", deep), 400, "body");
        assertProblem(post("/api/v1/parameters", "{\"model\": " + deep + "}"), 400, "model");
        assertThat(this.mvc.get().uri("/actuator/health").exchange()).hasStatusOk();
    }

    @Test
    void applicationJsonMapperShouldKeepStrictReadingAndEnforceTheLimits() {
        assertThatExceptionOfType(StreamConstraintsException.class)
                .isThrownBy(() -> this.jsonMapper.readTree("[".repeat(33) + "]".repeat(33)))
                .withMessageContaining("nesting depth (33) exceeds the maximum allowed (32");
        assertThat(this.jsonMapper.readTree("[".repeat(32) + "]".repeat(32)).isArray()).isTrue();
        assertThatExceptionOfType(StreamConstraintsException.class)
                .isThrownBy(() -> this.jsonMapper.readTree("{\"" + "n".repeat(257) + "\": 1}"))
                .withMessageContaining("Name length");
        assertThatExceptionOfType(StreamConstraintsException.class)
                .isThrownBy(() -> this.jsonMapper.readTree("[" + "0,".repeat(100_000) + "0]"))
                .withMessageContaining("Token count");
        // spring.jackson.* still applies to the mapper built on the constrained factory
        assertThatExceptionOfType(UnrecognizedPropertyException.class)
                .isThrownBy(() -> this.jsonMapper.readValue("{\"a\": 1, \"b\": 2}", Point.class));
    }

    record Point(int a) {
    }

    @ParameterizedTest
    @ValueSource(strings = { "env", "beans", "configprops", "heapdump", "threaddump", "loggers", "metrics", "mappings",
            "shutdown", "scheduledtasks", "conditions", "sbom", "caches" })
    void onlyHealthInfoAndPrometheusShouldBeExposed(String endpoint) {
        assertThat(this.mvc.get().uri("/actuator/" + endpoint).exchange()).hasStatus(404);
        assertThat(this.mvc.post().uri("/actuator/" + endpoint).exchange()).hasStatus4xxClientError();
    }

    @Test
    void actuatorShouldListOnlyTheThreeEndpoints() {
        MvcTestResult result = this.mvc.get().uri("/actuator").exchange();
        assertThat(result).hasStatusOk();
        assertThat(result).bodyJson().extractingPath("$._links").asMap().containsOnlyKeys("self", "health", "health-path",
                "info", "prometheus");
        assertThat(this.mvc.get().uri("/actuator/health").exchange()).bodyJson().doesNotHavePath("$.components");
    }

    @Test
    void apiAnswersShouldNotBeSniffedOrCached() {
        for (MvcTestResult result : new MvcTestResult[] { post("/api/v1/parameters", "{\"model\": {\"preset\": \"gpt2\"}}"),
                post("/api/v1/parameters", "{"), this.mvc.get().uri("/actuator/prometheus").exchange() }) {
            assertThat(result).headers().hasValue("X-Content-Type-Options", "nosniff")
                    .hasValue(HttpHeaders.CACHE_CONTROL, "no-store");
        }
        assertThat(this.mvc.get().uri("/swagger-ui/index.html").exchange()).headers()
                .hasValue("X-Content-Type-Options", "nosniff");
    }

    @Test
    void corsShouldBeOffByDefault() {
        MvcTestResult preflight = this.mvc.options().uri("/api/v1/parameters").header(HttpHeaders.ORIGIN, "https://ui.example")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST").exchange();
        assertThat(preflight).headers().doesNotContainHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN);
        MvcTestResult cross = this.mvc.post().uri("/api/v1/parameters").header(HttpHeaders.ORIGIN, "https://ui.example")
                .contentType(MediaType.APPLICATION_JSON).content("{\"model\": {\"preset\": \"gpt2\"}}").exchange();
        assertThat(cross).headers().doesNotContainHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN);
    }

    @Test
    void aPostToAPathThatDoesNotExistShouldBe404ListingTheEndpointsWithTheClosestFirst() {
        MvcTestResult result = post("/api/v1/paramters", "{}");
        assertProblem(result, 404, null);
        assertThat(result).bodyJson().extractingPath("$.title").isEqualTo("Unknown endpoint");
        assertThat(result).bodyJson().extractingPath("$.type").isEqualTo("urn:llmcalc:problem:unknown-endpoint");
        assertThat(result).bodyJson().extractingPath("$.detail").asString()
                .startsWith("There is no endpoint POST /api/v1/paramters; the closest is POST /api/v1/parameters.");
        assertThat(result).bodyJson().extractingPath("$.closest[0]").isEqualTo("POST /api/v1/parameters");
        assertThat(result).bodyJson().extractingPath("$.endpoints").asArray().contains("POST /api/v1/parameters",
                "POST /api/v1/memory/training", "POST /api/v1/plans", "POST /api/v1/checks", "GET /api/v1/gpus",
                "GET /api/v1/gpus/{id}", "GET /api/v1/models", "POST /api/v1/models/import")
                .allSatisfy((e) -> assertThat(String.valueOf(e)).matches("(GET|POST) /api/v1/[a-z/{}-]+"));
        // the example: no endpoint is close, but every one is listed, and none is a static resource
        MvcTestResult alignment = post("/api/v1/alignmnet", "{}");
        assertProblem(alignment, 404, null);
        assertThat(alignment).bodyJson().extractingPath("$.detail").asString().doesNotContain("static resource")
                .contains("POST /api/v1/alignmnet");
        assertThat(alignment).bodyJson().extractingPath("$.closest").asArray().hasSize(3);
        assertThat(alignment).bodyJson().extractingPath("$.endpoints").asArray().hasSizeGreaterThanOrEqualTo(14);
        assertThat(this.mvc.get().uri("/api/v1/gpu").exchange()).bodyJson().extractingPath("$.closest[0]")
                .isEqualTo("GET /api/v1/gpus");
    }

    @Test
    void noAnswerShouldCarryStackTracesOrClassNames() {
        MvcTestResult[] answers = {
                this.mvc.get().uri("/api/v1/parameters").exchange(),
                this.mvc.get().uri("/no/such/path").exchange(),
                this.mvc.post().uri("/api/v1/parameters").contentType(MediaType.TEXT_PLAIN).content("x").exchange(),
                this.mvc.post().uri("/api/v1/parameters").contentType(MediaType.APPLICATION_JSON)
                        .accept(MediaType.APPLICATION_XML).content("{}").exchange(),
                post("/api/v1/parameters", "{\"model\": {\"preset\": 12}}"),
                post("/api/v1/parameters", "{\"model\": {\"preset\": \"gpt2\"}, \"extra\": true}"),
                post("/api/v1/parameters", "not json"),
                post("/api/v1/memory/model-states", "{\"parameters\": 99999999999999999999999}"),
                post("/api/v1/parameters", "{\"model\": " + "[".repeat(10_000) + "]".repeat(10_000) + "}") };
        for (MvcTestResult answer : answers) {
            String body = new String(answer.getResponse().getContentAsByteArray(), StandardCharsets.UTF_8);
            assertThat(answer.getResponse().getStatus()).isBetween(400, 499);
            assertThat(body).doesNotContainPattern("Exception|\\bat [a-z]+\\.[a-z]+\\.|tools\\.jackson|java\\.lang|org\\.springframework|dev\\.llmcalc|StreamReadConstraints|trace");
        }
    }

    @Test
    void shutdownShouldBeGracefulAndTimeoutsBounded() {
        assertThat(this.environment.getProperty("server.shutdown")).isEqualTo("graceful");
        assertThat(this.environment.getProperty("spring.lifecycle.timeout-per-shutdown-phase", Duration.class))
                .isEqualTo(Duration.ofSeconds(20));
        assertThat(this.environment.getProperty("server.tomcat.connection-timeout", Duration.class)).isEqualTo(Duration.ofSeconds(10));
        assertThat(this.environment.getProperty("spring.mvc.async.request-timeout", Duration.class)).isEqualTo(Duration.ofSeconds(30));
    }
}
