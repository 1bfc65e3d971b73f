package dev.llmcalc.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.logging.logback.StructuredLogEncoder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** One log line per request, with the request id that the response echoes; JSON when structured logging is on. */
@SpringBootTest
@AutoConfigureMockMvc
class RequestLoggingTests {

    private static final String UUID = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

    private static final String BODY = "{\"model\": {\"preset\": \"secret-model-name\"}}";

    @Autowired
    private MockMvcTester mvc;

    private final Logger logger = (Logger) LoggerFactory.getLogger(RequestLogFilter.LOGGER);

    private final ListAppender<ILoggingEvent> appender = new ListAppender<>() {
        @Override
        protected void append(ILoggingEvent event) {
            event.prepareForDeferredProcessing(); // copies the MDC while the request still has it
            super.append(event);
        }
    };

    @BeforeEach
    void attach() {
        this.appender.setContext(this.logger.getLoggerContext());
        this.appender.start();
        this.logger.addAppender(this.appender);
    }

    @AfterEach
    void detach() {
        this.logger.detachAppender(this.appender);
    }

    private MvcTestResult post(String requestId) {
        var request = this.mvc.post().uri("/api/v1/parameters?debug=1").contentType(MediaType.APPLICATION_JSON).content(BODY);
        if (requestId != null) {
            request.header(RequestLogFilter.HEADER, requestId);
        }
        return request.exchange();
    }

    private List<ILoggingEvent> linesFor(String requestId) {
        return this.appender.list.stream()
                .filter((event) -> requestId.equals(event.getMDCPropertyMap().get(RequestLogFilter.MDC_KEY)))
                .toList();
    }

    @Test
    void generatedIdsShouldBeDistinctVersion4Uuids() {
        java.util.Set<java.util.UUID> ids = new java.util.HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            java.util.UUID id = RequestLogFilter.randomUuid();
            assertThat(id.version()).isEqualTo(4);
            assertThat(id.variant()).isEqualTo(2);
            ids.add(id);
        }
        assertThat(ids).hasSize(10_000);
        assertThat(RequestLogFilter.requestId(null)).matches(UUID);
        assertThat(RequestLogFilter.requestId("abc-123")).isEqualTo("abc-123");
    }

    @Test
    void requestIdShouldBeEchoedAndLoggedWithOneLinePerRequest() {
        MvcTestResult result = post("client-id-42");
        assertThat(result).hasStatus(404);
        assertThat(result).headers().hasValue(RequestLogFilter.HEADER, "client-id-42");
        List<ILoggingEvent> lines = linesFor("client-id-42");
        assertThat(lines).hasSize(1);
        ILoggingEvent line = lines.get(0);
        assertThat(line.getLevel()).isEqualTo(Level.INFO);
        assertThat(line.getFormattedMessage()).matches("POST /api/v1/parameters 404 \\d+ms");
        Map<String, Object> pairs = line.getKeyValuePairs().stream()
                .collect(Collectors.toMap((pair) -> pair.key, (pair) -> pair.value));
        assertThat(pairs).containsEntry("method", "POST").containsEntry("path", "/api/v1/parameters")
                .containsEntry("status", 404).containsKey("durationMs");
        // no body, no query string
        assertThat(line.getFormattedMessage() + pairs).doesNotContain("secret-model-name").doesNotContain("debug");
    }

    @Test
    void missingRequestIdShouldBeGenerated() {
        MvcTestResult result = post(null);
        String id = result.getResponse().getHeader(RequestLogFilter.HEADER);
        assertThat(id).matches(UUID);
        assertThat(linesFor(id)).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "has space", "line\nbreak", "<script>", "quote\"d", "ünïcode", "x-65-characters-long-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx" })
    void unsafeRequestIdShouldBeReplaced(String incoming) {
        assertThat(RequestLogFilter.requestId(incoming)).matches(UUID);
    }

    @ParameterizedTest
    @ValueSource(strings = { "a", "0af7651916cd43dd8448eb211c80319c", "req-2026.11.29:17_x", "123e4567-e89b-12d3-a456-426614174000" })
    void safeRequestIdShouldBeKept(String incoming) {
        assertThat(RequestLogFilter.requestId(incoming)).isEqualTo(incoming);
    }

    @Test
    void actuatorRequestsShouldNotBeLoggedAtInfo() {
        this.mvc.get().uri("/actuator/health").header(RequestLogFilter.HEADER, "probe-1").exchange();
        assertThat(linesFor("probe-1")).allSatisfy((line) -> assertThat(line.getLevel()).isEqualTo(Level.DEBUG));
    }

    @Test
    void structuredLoggingShouldWriteTheLineAsJsonWithTheRequestId() {
        post("json-line-1");
        ILoggingEvent line = linesFor("json-line-1").get(0);
        for (String format : List.of("ecs", "logstash")) {
            // what logging.structured.format.console=<format> installs on the console appender
            StructuredLogEncoder encoder = new StructuredLogEncoder();
            encoder.setFormat(format);
            encoder.setContext(this.logger.getLoggerContext());
            encoder.start();
            JsonNode json = JsonMapper.shared().readTree(new String(encoder.encode(line), StandardCharsets.UTF_8));
            assertThat(json.get("requestId").asString()).as(format).isEqualTo("json-line-1");
            assertThat(json.get("message").asString()).as(format).startsWith("POST /api/v1/parameters 404");
            assertThat(json.get("status").asInt()).as(format).isEqualTo(404);
            assertThat(json.get("path").asString()).as(format).isEqualTo("/api/v1/parameters");
            encoder.stop();
        }
    }
}
