package dev.llmcalc.api.compute;

import static dev.llmcalc.api.ProblemAssertions.assertProblem;
import static dev.llmcalc.api.ProblemAssertions.number;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

@WebMvcTest(ScalingLawController.class)
class ScalingLawControllerTests {

    @Autowired
    private MockMvcTester mvc;

    private MvcTestResult post(String body) {
        return this.mvc.post().uri("/api/v1/scaling-law").contentType(MediaType.APPLICATION_JSON).content(body)
                .exchange();
    }

    @Test
    void parametersAndTokensWhenChinchillaShouldGiveTheReferenceLoss() {
        // cases.json "scalingLaw": L(70e9, 1.4e12) = 1.9366; C = 6 · 70e9 · 1.4e12 = 5.88e23
        MvcTestResult result = post("{\"parameters\": 70000000000, \"tokens\": 1400000000000}");
        assertThat(result).hasStatusOk();
        assertThat(number(result, "$.loss")).isCloseTo(1.9366, within(1e-4));
        assertThat(result).bodyJson().extractingPath("$.computeBudgetFlops").isEqualTo(5.88e23);
        assertThat(result).bodyJson().extractingPath("$.documentFormula.value").isEqualTo(5.88e23);
        assertThat(result).bodyJson().extractingPath("$.approach")
                .isEqualTo("Chinchilla Approach 3 fit, Hoffmann et al. 2022 eq. 10");
        assertThat(result).bodyJson().extractingPath("$.constants.e").isEqualTo(1.69);
        assertThat(result).bodyJson().extractingPath("$.constants.beta").isEqualTo(0.28);
        assertThat(number(result, "$.computeOptimalLoss")).isLessThan(number(result, "$.loss"));
        assertThat(result).bodyJson().extractingPath("$.assumptions").asArray()
                .anySatisfy((line) -> assertThat(line).asString().contains("32B"));
    }

    @Test
    void budgetWhenChinchillaShouldGiveThe32BOptimum() {
        // G·(5.76e23/6)^(0.28/0.62) = 32.19e9 parameters, C/(6·N) = 2.98e12 tokens (Approach 1 says 67B)
        MvcTestResult result = post("{\"computeBudgetFlops\": 5.76e23}");
        assertThat(result).hasStatusOk();
        assertThat(number(result, "$.computeOptimalParameters")).isCloseTo(32.19e9, withinPercentage(0.1));
        assertThat(number(result, "$.computeOptimalTokens")).isCloseTo(2.982e12, withinPercentage(0.1));
        assertThat(number(result, "$.parameters")).isEqualTo(number(result, "$.computeOptimalParameters"));
        assertThat(result).bodyJson().doesNotHavePath("$.documentFormula");
    }

    @Test
    void budgetWithParametersShouldDeriveTokens() {
        // 5.88e23 / (6 · 70e9) = 1.4e12
        MvcTestResult result = post("{\"computeBudgetFlops\": 5.88e23, \"parameters\": 70000000000}");
        assertThat(number(result, "$.tokens")).isCloseTo(1.4e12, withinPercentage(1e-10));
        assertThat(number(result, "$.loss")).isCloseTo(1.9366, within(1e-4));
    }

    @Test
    void parametersAloneShouldBeMadeComputeOptimal() {
        MvcTestResult result = post("{\"parameters\": 7000000000}");
        assertThat(number(result, "$.computeOptimalParameters")).isCloseTo(7e9, withinPercentage(1e-8));
        assertThat(number(result, "$.tokens")).isEqualTo(number(result, "$.computeOptimalTokens"));
    }

    @Test
    void formsThatMakeNoSenseShouldBeRejectedNamingTheField() {
        assertProblem(post("{}"), 400, "parameters");
        assertProblem(post("{\"parameters\": 1, \"tokens\": 1, \"computeBudgetFlops\": 6}"), 400, "computeBudgetFlops");
        // 1e9 FLOPs cannot train 70e9 parameters on even one token
        assertProblem(post("{\"computeBudgetFlops\": 1e9, \"parameters\": 70000000000}"), 422, "computeBudgetFlops");
        assertProblem(post("{\"computeBudgetFlops\": 1}"), 422, "computeBudgetFlops");
    }

    @Test
    void outOfRangeAndMalformedInputShouldBe400() {
        assertProblem(post("{\"parameters\": -7}"), 400, "parameters");
        assertProblem(post("{\"tokens\": 0}"), 400, "tokens");
        assertProblem(post("{\"computeBudgetFlops\": 0}"), 400, "computeBudgetFlops");
        assertProblem(post("{\"computeBudgetFlops\": 1e400}"), 400, "computeBudgetFlops");
        assertProblem(post("{\"computeBudgetFlops\": \"lots\"}"), 400, "computeBudgetFlops");
        assertProblem(post("{\"parameters\": 1.5}"), 400, "parameters");
        assertProblem(post("{\"flops\": 1}"), 400, "flops");
        assertProblem(post("{\"parameters\": "), 400, null);
    }
}
