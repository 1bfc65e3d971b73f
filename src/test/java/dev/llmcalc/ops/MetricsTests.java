package dev.llmcalc.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/** The service's own metrics, read back through {@code /actuator/prometheus} as Prometheus scrapes them. */
@SpringBootTest
@AutoConfigureMockMvc
class MetricsTests {

    @Autowired
    private MockMvcTester mvc;

    @Autowired
    private MeterRegistry registry;

    @Autowired
    private PlannerMetrics plannerMetrics;

    private MvcTestResult post(String path, String body) {
        return this.mvc.post().uri(path).contentType(MediaType.APPLICATION_JSON).content(body).exchange();
    }

    private double estimates(String calculator, String outcome) {
        var counter = this.registry.find(EstimateMetrics.METER).tag("calculator", calculator).tag("outcome", outcome)
                .counter();
        return counter == null ? 0 : counter.count();
    }

    private String scrape() {
        MvcTestResult result = this.mvc.get().uri("/actuator/prometheus").exchange();
        assertThat(result).hasStatusOk();
        return new String(result.getResponse().getContentAsByteArray(), StandardCharsets.UTF_8);
    }

    @Test
    void estimatesShouldBeCountedByCalculatorAndOutcome() {
        double ok = estimates("parameters", "ok");
        double invalid = estimates("parameters", "client_error");
        double trainingInvalid = estimates("memory/training", "client_error");
        assertThat(post("/api/v1/parameters", "{\"model\": {\"preset\": \"gpt2\"}}")).hasStatusOk();
        assertThat(post("/api/v1/parameters", "{\"model\": {}}")).hasStatus(400);
        assertThat(post("/api/v1/parameters", "{\"model\": {\"preset\": \"no-such-model\"}}")).hasStatus(404);
        assertThat(post("/api/v1/memory/training", "{}")).hasStatus(400);
        assertThat(estimates("parameters", "ok")).isEqualTo(ok + 1);
        assertThat(estimates("parameters", "client_error")).isEqualTo(invalid + 2);
        assertThat(estimates("memory/training", "client_error")).isEqualTo(trainingInvalid + 1);
        assertThat(scrape()).contains("llmcalc_estimates_total{application=\"llm-training-calculator\","
                + "calculator=\"parameters\",outcome=\"ok\"}");
    }

    @Test
    void requestsThatAreNoEstimatesShouldNotBeCounted() {
        double before = this.registry.find(EstimateMetrics.METER).counters().stream().mapToDouble((c) -> c.count()).sum();
        this.mvc.get().uri("/api/v1/parameters").exchange();
        this.mvc.get().uri("/actuator/health").exchange();
        this.mvc.post().uri("/api/v1/parameters").contentType(MediaType.TEXT_PLAIN).content("x").exchange();
        double after = this.registry.find(EstimateMetrics.METER).counters().stream().mapToDouble((c) -> c.count()).sum();
        assertThat(after).isEqualTo(before);
    }

    @Test
    void outcomeShouldFollowTheStatusClass() {
        assertThat(EstimateMetrics.outcome(200)).isEqualTo("ok");
        assertThat(EstimateMetrics.outcome(413)).isEqualTo("client_error");
        assertThat(EstimateMetrics.outcome(422)).isEqualTo("client_error");
        assertThat(EstimateMetrics.outcome(500)).isEqualTo("server_error");
    }

    @Test
    void plannerSearchesShouldBeTimedWithTheLayoutsTheyEvaluated() {
        long searches = this.registry.get(PlannerMetrics.SEARCH_TIMER).timer().count();
        String plan = this.plannerMetrics.search(() -> "tp=2,pp=4", (result) -> 1_234);
        this.plannerMetrics.record(Duration.ofMillis(40), 56);
        assertThat(plan).isEqualTo("tp=2,pp=4");
        assertThat(this.registry.get(PlannerMetrics.SEARCH_TIMER).timer().count()).isEqualTo(searches + 2);
        assertThat(this.registry.get(PlannerMetrics.LAYOUTS_SUMMARY).summary().max()).isGreaterThanOrEqualTo(1_234);
        assertThat(scrape()).contains("llmcalc_planner_search_seconds_count", "llmcalc_planner_search_seconds_bucket",
                "llmcalc_planner_layouts_evaluated_count", "llmcalc_planner_layouts_evaluated_bucket{application=\"llm-training-calculator\",le=\"10000.0\"}");
    }

    @Test
    void buildInfoAndHttpMetricsShouldBeScraped() {
        post("/api/v1/parameters", "{\"model\": {\"preset\": \"gpt2\"}}");
        assertThat(scrape())
                .containsPattern("llmcalc_build_info\\{application=\"llm-training-calculator\",artifact=\"llm-training-calculator\","
                        + "built=\"[^\"]+\",java=\"[^\"]+\",version=\"[^\"]+\"} 1")
                .contains("http_server_requests_seconds_bucket{application=\"llm-training-calculator\"")
                .contains("uri=\"/api/v1/parameters\"");
    }
}
