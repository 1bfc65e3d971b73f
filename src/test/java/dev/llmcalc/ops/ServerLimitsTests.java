package dev.llmcalc.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.GracefulShutdownResult;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * The real server (Tomcat on a random port), for what MockMvc cannot show: bodies without Content-Length,
 * header and connection limits, CORS when it is configured, the container probe and graceful shutdown. The
 * connection timeout is shortened to 1 s so the idle-connection test is quick; production uses 10 s.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "llmcalc.cors.allowed-origins=https://ui.example, https://*.tools.example",
        "server.tomcat.connection-timeout=1s" })
@Import(ServerLimitsTests.TestEndpoints.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ServerLimitsTests {

    private static final String JSON = "application/json";

    private static final String PRESET = "{\"model\": {\"preset\": \"gpt2\"}}";

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @LocalServerPort
    private int port;

    @Autowired
    private WebServerApplicationContext context;

    @Autowired
    private MeterRegistry registry;

    /** Endpoints under /api/v1 that only this test has: any JSON, and a slow answer. */
    @RestController
    static class TestEndpoints {

        @PostMapping(path = "/api/v1/test-echo", consumes = JSON, produces = JSON)
        JsonNode echo(@RequestBody JsonNode body) {
            return body;
        }

        /** Counted down when the slow request has reached its handler. */
        static final CountDownLatch SLOW_STARTED = new CountDownLatch(1);

        @PostMapping(path = "/api/v1/test-slow", produces = JSON)
        String slow() throws InterruptedException {
            SLOW_STARTED.countDown();
            Thread.sleep(700);
            return "{\"done\": true}";
        }
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + this.port + path);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return this.client.send(request.timeout(Duration.ofSeconds(20)).build(), BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, BodyPublisher body) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", JSON).POST(body));
    }

    private static BodyPublisher chunked(byte[] body) {
        // an input stream publisher has no length: the client sends Transfer-Encoding: chunked
        return BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body));
    }

    private static byte[] spaces(int count) {
        byte[] body = new byte[count];
        Arrays.fill(body, (byte) ' ');
        return body;
    }

    private void assertProblem(HttpResponse<String> response, int status, String detail) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(response.body()).contains("\"status\":" + status).contains(detail)
                .doesNotContain("Exception").doesNotContain("tools.jackson");
    }

    private void assertHealthy() throws IOException, InterruptedException {
        HttpResponse<String> health = send(HttpRequest.newBuilder(uri("/actuator/health")));
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"UP\"");
    }

    @Test
    void twoMebibyteBodyWithContentLengthShouldBe413() throws Exception {
        assertProblem(post("/api/v1/parameters", BodyPublishers.ofByteArray(spaces(2 * 1024 * 1024))), 413,
                "larger than 1048576 bytes");
        assertHealthy();
    }

    @Test
    void twoMebibyteBodyWithoutContentLengthShouldBe413() throws Exception {
        assertProblem(post("/api/v1/parameters", chunked(spaces(2 * 1024 * 1024))), 413, "larger than 1048576 bytes");
        assertHealthy();
    }

    @Test
    void smallChunkedBodyShouldBeReadAsUsual() throws Exception {
        HttpResponse<String> response = post("/api/v1/parameters", chunked(PRESET.getBytes(StandardCharsets.UTF_8)));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"totalParameters\":124439808");
    }

    @Test
    void tenThousandDeepArrayShouldBe400AndTheServerStayHealthy() throws Exception {
        String deep = "[".repeat(10_000) + "]".repeat(10_000);
        assertProblem(post("/api/v1/parameters", BodyPublishers.ofString(deep)), 400, "must be a JSON object");
        // an endpoint that takes any JSON parses until the nesting limit
        assertProblem(post("/api/v1/test-echo", BodyPublishers.ofString(deep)), 400,
                "Document nesting depth (33) exceeds the maximum allowed (32)");
        assertProblem(post("/api/v1/test-echo", chunked(deep.getBytes(StandardCharsets.UTF_8))), 400, "nesting depth");
        assertHealthy();
        assertThat(post("/api/v1/parameters", BodyPublishers.ofString(PRESET)).statusCode()).isEqualTo(200);
        // any endpoint under /api/v1 is counted, without being listed anywhere
        assertThat(this.registry.get(EstimateMetrics.METER).tag("calculator", "test-echo").tag("outcome", "client_error")
                .counter().count()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void oversizedHeadersShouldBe431ProblemJsonNamingTheLimit() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/v1/gpus")).header("X-Big", "a".repeat(9 * 1024)));
        assertThat(response.statusCode()).isEqualTo(431);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json;charset=UTF-8");
        JsonNode problem = tools.jackson.databind.json.JsonMapper.builder().build().readTree(response.body());
        assertThat(problem.path("status").asInt()).isEqualTo(431);
        assertThat(problem.path("title").asString()).isEqualTo("Request headers too large");
        assertThat(problem.path("type").asString()).isEqualTo("urn:llmcalc:problem:request-headers-too-large");
        assertThat(problem.path("detail").asString()).contains("8 KB", "server.max-http-request-header-size");
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("Tomcat").doesNotContain("java.")
                .doesNotContain("<html");
        assertHealthy();
    }

    @Test
    void aMalformedRequestLineShouldBe400ProblemJsonNotTomcatsPage() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", this.port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write("GET /api/v1/gp{us HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 400").contains("Content-Type: application/problem+json")
                    .contains("\"status\":400", "\"title\":\"Bad Request\"", "could not read the request as HTTP")
                    .doesNotContain("<html").doesNotContain("Tomcat");
        }
    }

    @Test
    void idleConnectionShouldBeClosedAfterTheConnectionTimeout() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", this.port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write("GET /actuator/health HTTP/1.1\r\nHost: localhost\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush(); // the request never ends: a slow or stuck client
            long start = System.nanoTime();
            InputStream in = socket.getInputStream();
            byte[] answer = in.readAllBytes(); // returns when the server closes the connection
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(waited).isBetween(500L, 5_000L);
            assertThat(new String(answer, StandardCharsets.US_ASCII)).doesNotContain("200 OK");
        }
    }

    @Test
    void corsShouldAllowConfiguredOriginsOnly() throws Exception {
        for (String origin : new String[] { "https://ui.example", "https://team.tools.example" }) {
            HttpResponse<String> preflight = send(HttpRequest.newBuilder(uri("/api/v1/parameters"))
                    .method("OPTIONS", BodyPublishers.noBody()).header("Origin", origin)
                    .header("Access-Control-Request-Method", "POST").header("Access-Control-Request-Headers", "content-type"));
            assertThat(preflight.statusCode()).isEqualTo(200);
            assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue(origin);
            assertThat(preflight.headers().firstValue("Access-Control-Allow-Credentials")).isEmpty();
        }
        HttpResponse<String> actual = send(HttpRequest.newBuilder(uri("/api/v1/parameters")).header("Origin", "https://ui.example")
                .header("Content-Type", JSON).POST(BodyPublishers.ofString(PRESET)));
        assertThat(actual.statusCode()).isEqualTo(200);
        assertThat(actual.headers().firstValue("Access-Control-Allow-Origin")).hasValue("https://ui.example");
        assertThat(actual.headers().firstValue("Access-Control-Expose-Headers").orElse("")).contains(RequestLogFilter.HEADER);

        HttpResponse<String> denied = send(HttpRequest.newBuilder(uri("/api/v1/parameters")).method("OPTIONS", BodyPublishers.noBody())
                .header("Origin", "https://evil.example").header("Access-Control-Request-Method", "POST"));
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(denied.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
    }

    @Test
    void healthProbeShouldReportReadinessWithoutSpringOnItsClassPath() throws Exception {
        assertThat(HealthProbe.isHealthy(uri(HealthProbe.READINESS_PATH))).isTrue();
        assertThat(HealthProbe.isHealthy(uri("/actuator/health/nothing-here"))).isFalse();
        assertThat(HealthProbe.defaultUrl(null)).isEqualTo("http://127.0.0.1:8080/actuator/health/readiness");
        assertThat(HealthProbe.defaultUrl("9090")).isEqualTo("http://127.0.0.1:9090/actuator/health/readiness");
        assertThat(HealthProbe.defaultUrl("80; rm -rf /")).isEqualTo("http://127.0.0.1:8080/actuator/health/readiness");
        // as the Dockerfile runs it: the application classes only, no jars
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process probe = new ProcessBuilder(java.toString(), "-Xmx16m", "-cp", "target/classes", HealthProbe.class.getName(),
                uri(HealthProbe.READINESS_PATH).toString()).redirectErrorStream(true).start();
        assertThat(probe.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(probe.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).contains("healthy: ");
        assertThat(probe.exitValue()).isZero();
    }

    @Test
    @Order(Integer.MAX_VALUE)
    @DirtiesContext(methodMode = DirtiesContext.MethodMode.AFTER_METHOD)
    void shutdownShouldLetTheRequestInFlightFinish() throws Exception {
        CompletableFuture<HttpResponse<String>> inFlight = this.client.sendAsync(
                HttpRequest.newBuilder(uri("/api/v1/test-slow")).POST(BodyPublishers.noBody()).build(), BodyHandlers.ofString());
        // wait until the request is being handled (a fixed sleep was flaky on a loaded machine)
        assertThat(TestEndpoints.SLOW_STARTED.await(30, TimeUnit.SECONDS)).isTrue();
        AtomicReference<GracefulShutdownResult> result = new AtomicReference<>();
        this.context.getWebServer().shutDownGracefully(result::set);
        HttpResponse<String> response = inFlight.get(10, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("done");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (result.get() == null && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(result.get()).isEqualTo(GracefulShutdownResult.IDLE);
    }
}
