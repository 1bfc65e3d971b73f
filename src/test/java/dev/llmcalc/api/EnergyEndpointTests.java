package dev.llmcalc.api;

import static dev.llmcalc.api.ProblemAssertions.assertProblem;
import static dev.llmcalc.api.ProblemAssertions.number;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

/** Energy and emissions on {@code /compute} and {@code /checks}. */
@SpringBootTest
@AutoConfigureMockMvc
class EnergyEndpointTests {

    private static final String COMPUTE = """
            {"model": {"preset": "llama-2-7b"}, "tokens": 2000000000000, "batch": {"sequenceLength": 4096},
             "cluster": {"gpu": %s, "gpuCount": 1024}, "mfu": 0.5%s}""";

    @Autowired
    private MockMvcTester mvc;

    private MvcTestResult post(String path, String body) {
        return this.mvc.post().uri(path).contentType(MediaType.APPLICATION_JSON).content(body).exchange();
    }

    @Test
    void computeShouldReportEnergyAtBoardPowerAndEmissionsOnlyWithAGrid() {
        MvcTestResult plain = post("/api/v1/compute", COMPUTE.formatted("\"a100-sxm-80gb\"", ""));
        assertThat(plain).hasStatusOk();
        // A100 SXM 400 W: kWh = GPU-hours × 0.4; no grid intensity given, no emissions
        double gpuHours = number(plain, "$.gpuHours");
        assertThat(number(plain, "$.energy.gpuHours")).isEqualTo(gpuHours);
        assertThat(number(plain, "$.energy.boardPowerWatts")).isEqualTo(400);
        assertThat(number(plain, "$.energy.energyKwh")).isCloseTo(gpuHours * 0.4, within(1e-9 * gpuHours));
        assertThat(plain).bodyJson().doesNotHavePath("$.energy.emissionsKgCo2e");
        MvcTestResult grid = post("/api/v1/compute", COMPUTE.formatted("\"a100-sxm-80gb\"",
                ", \"energy\": {\"utilization\": 0.8, \"pue\": 1.2, \"gridKgCo2PerKwh\": 0.414}"));
        double kwh = number(grid, "$.energy.energyKwh");
        assertThat(kwh).isCloseTo(gpuHours * 0.4 * 0.8 * 1.2, within(1e-9 * kwh));
        assertThat(number(grid, "$.energy.emissionsKgCo2e")).isCloseTo(kwh * 0.414, within(1e-9 * kwh));
        assertThat(number(grid, "$.energy.emissionsTonnesCo2e")).isCloseTo(kwh * 0.414 / 1000, within(1e-9 * kwh));
    }

    @Test
    void computeOnAGpuWithoutPowerShouldSayWhyEnergyIsMissing() {
        MvcTestResult custom = post("/api/v1/compute", COMPUTE.formatted("{\"memoryBytes\": 68719476736, "
                + "\"peakFlops\": 5e14, \"intraNodeBandwidth\": 2e11, \"interNodeBandwidth\": 2.5e10}", ""));
        assertThat(custom).hasStatusOk();
        assertThat(custom).bodyJson().extractingPath("$.energy.reported").isEqualTo(false);
        assertThat(custom).bodyJson().extractingPath("$.energy.reason").asString()
                .contains("board power of GPU 'custom' is unknown").contains("boardPowerWatts");
        // the same GPU with its power given
        MvcTestResult powered = post("/api/v1/compute", COMPUTE.formatted("{\"memoryBytes\": 68719476736, "
                + "\"peakFlops\": 5e14, \"intraNodeBandwidth\": 2e11, \"interNodeBandwidth\": 2.5e10, "
                + "\"boardPowerWatts\": 500}", ""));
        assertThat(number(powered, "$.energy.energyKwh")).isCloseTo(number(powered, "$.gpuHours") * 0.5,
                within(1e-3));
    }

    @Test
    void checksWithATokenBudgetShouldReportGpuHoursAndEnergy() throws Exception {
        String plan = Files.readString(Path.of("examples/plan.json"), StandardCharsets.UTF_8);
        MvcTestResult result = post("/api/v1/checks", plan.replaceFirst("\\}\\s*$",
                ", \"energy\": {\"gridKgCo2PerKwh\": 0.414}}"));
        assertThat(result).hasStatusOk();
        // 64 H100 × trainingDays × 24 h; × 700 W; × 0.414 kg/kWh
        double gpuHours = number(result, "$.estimate.gpuHours");
        assertThat(gpuHours).isCloseTo(64 * 24 * number(result, "$.estimate.trainingDays"), within(1e-6 * gpuHours));
        double kwh = number(result, "$.estimate.energy.energyKwh");
        assertThat(kwh).isCloseTo(gpuHours * 0.7, within(1e-9 * kwh));
        assertThat(number(result, "$.estimate.energy.emissionsKgCo2e")).isCloseTo(kwh * 0.414, within(1e-9 * kwh));
        // without the token budget there is no run length: no energy
        MvcTestResult noTokens = post("/api/v1/checks", plan.replace(", \"maxTrainingDays\": 240, \"tokens\": 1000000000000", ""));
        assertThat(noTokens).hasStatusOk();
        assertThat(noTokens).bodyJson().doesNotHavePath("$.estimate.energy");
    }

    @Test
    void badEnergyOptionsShouldBe400NamingTheField() {
        assertProblem(post("/api/v1/compute", COMPUTE.formatted("\"a100-sxm-80gb\"", ", \"energy\": {\"pue\": 0.5}")),
                400, "energy.pue");
        assertProblem(post("/api/v1/compute", COMPUTE.formatted("\"a100-sxm-80gb\"",
                ", \"energy\": {\"utilization\": 0}")), 400, "energy.utilization");
        assertProblem(post("/api/v1/compute", COMPUTE.formatted("\"a100-sxm-80gb\"",
                ", \"energy\": {\"gridKgCo2PerKwh\": -1}")), 400, "energy.gridKgCo2PerKwh");
        assertProblem(post("/api/v1/compute", COMPUTE.formatted(
                "{\"base\": \"a100-sxm-80gb\", \"boardPowerWatts\": -5}", "")), 400, "cluster.gpu.boardPowerWatts");
    }
}
