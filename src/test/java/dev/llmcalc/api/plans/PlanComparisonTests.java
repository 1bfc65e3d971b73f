package dev.llmcalc.api.plans;

import static dev.llmcalc.api.ProblemAssertions.assertProblem;
import static dev.llmcalc.api.ProblemAssertions.number;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import tools.jackson.databind.json.JsonMapper;

import dev.llmcalc.ops.PlannerMetrics;

/** {@code POST /api/v1/plans} with {@code cluster.gpu} as a list: the accelerator comparison. */
@WebMvcTest({ PlansController.class, ChecksController.class })
@Import(PlanComparisonTests.Metrics.class)
class PlanComparisonTests {

    @TestConfiguration
    static class Metrics {

        @Bean
        PlannerMetrics plannerMetrics() {
            return new PlannerMetrics(new SimpleMeterRegistry());
        }
    }

    // Llama-3-70B (llama-3.1-70b has the same architecture and 70,553,706,496 parameters; only RoPE scaling differs),
    // 2·10^12 tokens at s = 8192 and 512 sequences a step (4 Mi tokens), on three accelerators at illustrative prices
    static final String LLAMA_70B_ON_THREE = """
            {"model": {"preset": "llama-3.1-70b"}, "batch": {"sequenceLength": 8192, "globalBatchSize": 512},
             "cluster": {"gpu": [{"preset": "a100-sxm-80gb", "pricePerGpuHour": 1.8},
                                 {"preset": "h100-sxm-80gb", "pricePerGpuHour": 3.0},
                                 {"preset": "h200-sxm-141gb", "pricePerGpuHour": 3.8}],
                         "gpuCounts": [64, 128, 256]},
             "tokens": 2000000000000%s}""";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    private MockMvcTester mvc;

    private MvcTestResult post(String path, String body) {
        return this.mvc.post().uri(path).contentType(MediaType.APPLICATION_JSON).content(body).exchange();
    }

    private static Map<String, Object> json(MvcTestResult result) {
        return JSON.readValue(new String(result.getResponse().getContentAsByteArray(), StandardCharsets.UTF_8), Map.class);
    }

    @Test
    void llama70bOnThreeAcceleratorsShouldNameCheapestAndFastestEachAsChecksSeesIt() {
        MvcTestResult result = post("/api/v1/plans", LLAMA_70B_ON_THREE.formatted(""));
        assertThat(result).hasStatusOk();
        Map<String, Object> comparison = (Map<String, Object>) json(result).get("comparison");
        List<Map<String, Object>> options = (List<Map<String, Object>>) comparison.get("options");
        assertThat(options).hasSize(9);
        assertThat(options).allSatisfy((o) -> assertThat(o.get("fits")).isEqualTo(true));
        // 2·10^12 tokens ÷ 4,194,304 tokens a step = 476,837.158… steps
        assertThat(comparison.get("tokensPerStep")).isEqualTo(4_194_304);
        Map<String, Object> cheapest = (Map<String, Object>) comparison.get("cheapest");
        Map<String, Object> fastest = (Map<String, Object>) comparison.get("fastest");
        assertThat(cheapest).isNotNull();
        assertThat(fastest).isNotNull();
        double minCost = options.stream().mapToDouble((o) -> ((Number) o.get("cost")).doubleValue()).min().orElseThrow();
        double minDays = options.stream().mapToDouble((o) -> ((Number) o.get("trainingDays")).doubleValue()).min()
                .orElseThrow();
        assertThat(((Number) cheapest.get("cost")).doubleValue()).isEqualTo(minCost);
        assertThat(((Number) fastest.get("trainingDays")).doubleValue()).isEqualTo(minDays);
        for (Map<String, Object> option : options) {
            double seconds = ((Number) option.get("trainingSeconds")).doubleValue();
            // steps × step time; GPU-hours = GPUs × seconds / 3600; cost = GPU-hours × price
            assertThat(seconds).isCloseTo(2e12 / 4_194_304 * ((Number) option.get("stepSeconds")).doubleValue(),
                    within(1e-6 * seconds));
            double gpuHours = ((Number) option.get("gpuHours")).doubleValue();
            assertThat(gpuHours).isCloseTo(((Number) option.get("gpuCount")).intValue() * seconds / 3600,
                    within(1e-9 * gpuHours));
            assertThat(((Number) option.get("cost")).doubleValue()).isCloseTo(
                    gpuHours * ((Number) option.get("pricePerGpuHour")).doubleValue(), within(1e-9 * gpuHours));
        }
        // the fastest is on the most GPUs of the fastest part; whatever the choice, /checks sees the same plan
        assertThat(fastest.get("gpuCount")).isEqualTo(256);
        for (Map<String, Object> choice : List.of(cheapest, fastest)) {
            Map<String, Object> option = options.get((Integer) choice.get("option"));
            MvcTestResult check = post("/api/v1/checks", checkBody(option));
            assertThat(check).hasStatusOk();
            assertThat(check).bodyJson().extractingPath("$.pass").isEqualTo(true);
            Map<String, Object> plan = (Map<String, Object>) option.get("plan");
            assertThat(number(check, "$.estimate.perGpuBytes")).isEqualTo(((Number) plan.get("perGpuBytes")).longValue());
            assertThat(number(check, "$.estimate.step.totalSeconds")).isEqualTo(option.get("stepSeconds"));
            assertThat(number(check, "$.estimate.trainingDays")).isEqualTo(option.get("trainingDays"));
            assertThat(number(check, "$.estimate.gpuHours")).isEqualTo(option.get("gpuHours"));
            assertThat(number(check, "$.estimate.energy.energyKwh"))
                    .isEqualTo(((Map<String, Object>) option.get("energy")).get("energyKwh"));
        }
    }

    /** The /checks body of a comparison option's plan, with the run's tokens. */
    private static String checkBody(Map<String, Object> option) {
        Map<String, Object> plan = (Map<String, Object>) option.get("plan");
        Map<String, Object> par = (Map<String, Object>) plan.get("parallelism");
        return """
                {"model": {"preset": "llama-3.1-70b"},
                 "batch": {"microBatchSize": %s, "sequenceLength": 8192, "globalBatchSize": 512},
                 "training": {"zeroStage": %s},
                 "activations": {"recomputation": "%s", "attention": "FLASH", "sequenceParallel": %s},
                 "parallelism": {"data": %s, "tensor": %s, "pipeline": %s, "context": %s, "expert": %s,
                                 "virtualPipeline": %s},
                 "cluster": {"gpu": "%s", "gpuCount": %s},
                 "requirements": {"tokens": 2000000000000}}""".formatted(plan.get("microBatchSize"),
                plan.get("zeroStage"), plan.get("recomputation"), plan.get("sequenceParallel"), par.get("data"),
                par.get("tensor"), par.get("pipeline"), par.get("context"), par.get("expert"),
                par.get("virtualPipeline"), option.get("gpu"),
                option.get("gpuCount"));
    }

    @Test
    void deadlineShouldNameTheCheapestThatFinishesInTime() {
        MvcTestResult result = post("/api/v1/plans", LLAMA_70B_ON_THREE.formatted(", \"maxTrainingDays\": 200"));
        assertThat(result).hasStatusOk();
        Map<String, Object> comparison = (Map<String, Object>) json(result).get("comparison");
        List<Map<String, Object>> options = (List<Map<String, Object>>) comparison.get("options");
        Map<String, Object> inTime = (Map<String, Object>) comparison.get("cheapestWithinMaxTrainingDays");
        assertThat(inTime).isNotNull();
        assertThat(((Number) inTime.get("trainingDays")).doubleValue()).isLessThanOrEqualTo(200);
        double cheapestInTime = options.stream().filter((o) -> Boolean.TRUE.equals(o.get("withinMaxTrainingDays")))
                .mapToDouble((o) -> ((Number) o.get("cost")).doubleValue()).min().orElseThrow();
        assertThat(((Number) inTime.get("cost")).doubleValue()).isEqualTo(cheapestInTime);
        assertThat(options).anySatisfy((o) -> assertThat(o.get("withinMaxTrainingDays")).isEqualTo(false));
    }

    @Test
    void energyShouldBeReportedPerOptionWithEmissionsOnlyWithAGridIntensity() {
        String body = """
                {"model": {"preset": "llama-2-7b"}, "batch": {"sequenceLength": 4096, "globalBatchSize": 1024},
                 "cluster": {"gpu": ["h100-sxm-80gb", {"preset": "tpu-v5p-95gb", "gpuCount": 8}], "gpuCount": 8},
                 "tokens": 1000000000000%s}""";
        MvcTestResult plain = post("/api/v1/plans", body.formatted(""));
        assertThat(plain).hasStatusOk();
        // H100: 700 W; no grid intensity, so no emissions; no prices, so no cheapest
        double gpuHours = number(plain, "$.comparison.options[0].gpuHours");
        assertThat(number(plain, "$.comparison.options[0].energy.energyKwh")).isCloseTo(gpuHours * 0.7,
                within(1e-9 * gpuHours));
        assertThat(plain).bodyJson().doesNotHavePath("$.comparison.options[0].energy.emissionsKgCo2e");
        assertThat(plain).bodyJson().doesNotHavePath("$.comparison.cheapest");
        assertThat(plain).bodyJson().extractingPath("$.comparison.fastest.option").isNotNull();
        // a TPU has no published board power: energy not reported, and why
        assertThat(plain).bodyJson().extractingPath("$.comparison.options[1].energy.reported").isEqualTo(false);
        assertThat(plain).bodyJson().extractingPath("$.comparison.options[1].energy.reason").asString()
                .contains("board power").contains("tpu-v5p-95gb");
        MvcTestResult grid = post("/api/v1/plans", body.formatted(
                ", \"energy\": {\"pue\": 1.1, \"gridKgCo2PerKwh\": 0.4}"));
        double kwh = number(grid, "$.comparison.options[0].energy.energyKwh");
        assertThat(kwh).isCloseTo(gpuHours * 0.7 * 1.1, within(1e-9 * kwh));
        assertThat(number(grid, "$.comparison.options[0].energy.emissionsKgCo2e")).isCloseTo(kwh * 0.4,
                within(1e-9 * kwh));
    }

    @Test
    void singleGpuSearchShouldKeepItsAnswerAndRefuseComparisonFields() {
        String single = """
                {"model": {"preset": "llama-2-7b"}, "batch": {"sequenceLength": 4096, "globalBatchSize": 1024},
                 "cluster": {"gpu": "h100-sxm-80gb", "gpuCount": 8}, "limit": 1%s}""";
        MvcTestResult result = post("/api/v1/plans", single.formatted(""));
        assertThat(result).hasStatusOk();
        assertThat(result).bodyJson().extractingPath("$.gpu").isEqualTo("h100-sxm-80gb");
        assertThat(result).bodyJson().doesNotHavePath("$.comparison");
        assertProblem(post("/api/v1/plans", single.formatted(", \"tokens\": 1000")), 400, "tokens");
        assertProblem(post("/api/v1/plans", single.formatted(", \"maxTrainingDays\": 3")), 400, "maxTrainingDays");
        assertProblem(post("/api/v1/plans", single.replace("\"gpuCount\": 8", "\"gpuCounts\": [8]")
                .formatted("")), 400, "cluster.gpuCounts");
    }

    @Test
    void badComparisonsShouldBe400NamingTheField() {
        String body = """
                {"model": {"preset": "llama-2-7b"}, "batch": {"sequenceLength": 4096, "globalBatchSize": 1024},
                 "cluster": {"gpu": %s, "gpuCount": 8}, "tokens": 1000000000000}""";
        assertProblem(post("/api/v1/plans", body.formatted("[]")), 400, "cluster.gpu");
        assertProblem(post("/api/v1/plans", body.formatted("[{\"preset\": \"h100-sxm-80gb\", \"pricePerGpuHour\": 0}]")),
                400, "cluster.gpu[0].pricePerGpuHour");
        assertProblem(post("/api/v1/plans", body.formatted(
                "[\"a100-sxm-80gb\", {\"preset\": \"h100-sxm-80gb\", \"pricePerGpuHour\": -2}]")),
                400, "cluster.gpu[1].pricePerGpuHour");
        assertProblem(post("/api/v1/plans", body.formatted(
                "[\"a100-sxm-80gb\", {\"base\": \"h100-sxm-80gb\", \"boardPowerWatts\": 0}]")),
                400, "cluster.gpu[1].boardPowerWatts");
        assertProblem(post("/api/v1/plans", body.formatted("[{\"preset\": \"h100-sxm-80gb\", \"gpuCounts\": []}]")),
                400, "cluster.gpu[0].gpuCounts");
        assertProblem(post("/api/v1/plans", body.formatted("[{\"preset\": \"h100-sxm-80gb\", \"gpuCounts\": [8, 8]}]")),
                400, "cluster.gpu[0].gpuCounts");
        assertProblem(post("/api/v1/plans", body.formatted("[\"h100-sxm-80gb\"]").replace(", \"tokens\": 1000000000000",
                "")), 400, "tokens");
        assertProblem(post("/api/v1/plans", body.formatted("[\"h100-sxm-80gb\"]").replace("\"gpuCount\": 8",
                "\"gpusPerNode\": 8")), 400, "cluster.gpu[0].gpuCount");
        assertProblem(post("/api/v1/plans", body.formatted("[\"h100-sxm-80gb\"]")
                .replace("}, \"tokens\"", "}, \"energy\": {\"pue\": 0.9}, \"tokens\"")), 400, "energy.pue");
        assertProblem(post("/api/v1/plans", body.formatted("[\"h800x\"]")), 404, "cluster.gpu[0]");
    }
}
