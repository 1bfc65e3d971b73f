package dev.llmcalc.core.compute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

import org.junit.jupiter.api.Test;

import dev.llmcalc.core.unit.InvalidInputException;

class ScalingLawTests {

    private static final ChinchillaFit FIT = ChinchillaFit.APPROACH_3;

    @Test
    void lossWhenChinchillaShouldMatchTheReferenceCase() {
        // cases.json "scalingLaw": 1.69 + 406.4/(70e9)^0.34 + 410.7/(1.4e12)^0.28 = 1.69 + 0.0830 + 0.1636 = 1.9366
        assertThat(FIT.loss(70e9, 1.4e12)).isCloseTo(1.9366, within(1e-4));
    }

    @Test
    void gShouldFollowFromTheConstants() {
        // (0.34 · 406.4 / (0.28 · 410.7))^(1/0.62) = (138.176 / 114.996)^1.6129 = 1.20157^1.6129 = 1.3447
        assertThat(FIT.g()).isCloseTo(1.3447, within(1e-4));
    }

    @Test
    void optimumWhenChinchillaBudgetShouldBe32BNotApproach1s70B() {
        // C = 5.76e23 (Chinchilla's budget): G·(C/6)^(0.28/0.62) = 32.19e9 parameters, D = C/(6·N) = 2.98e12 tokens;
        // the paper's Approach 1 (Table 3) gives 67B and its Chinchilla has 70B: eq. 10's rounded constants favour
        // smaller models
        double budget = 5.76e23;
        assertThat(FIT.optimalParameters(budget)).isCloseTo(32.19e9, withinPercentage(0.1)).isLessThan(67e9);
        assertThat(FIT.optimalTokens(budget)).isCloseTo(2.982e12, withinPercentage(0.1));
        assertThat(6 * FIT.optimalParameters(budget) * FIT.optimalTokens(budget)).isCloseTo(budget,
                withinPercentage(1e-10));
    }

    @Test
    void pointWhenParametersAndTokensShouldSpendSixNd() {
        ScalingLawEstimate chinchilla = ScalingLawEstimate.at(FIT, 70e9, 1.4e12);
        assertThat(chinchilla.computeBudgetFlops()).isEqualTo(5.88e23);
        assertThat(chinchilla.loss()).isCloseTo(1.9366, within(1e-4));
        assertThat(chinchilla.computeOptimalLoss()).isLessThanOrEqualTo(chinchilla.loss());
        assertThat(6 * chinchilla.computeOptimalParameters() * chinchilla.computeOptimalTokens())
                .isCloseTo(5.88e23, withinPercentage(1e-10));
    }

    @Test
    void budgetAloneShouldGiveTheOptimum() {
        ScalingLawEstimate optimum = ScalingLawEstimate.forBudget(FIT, 5.76e23);
        assertThat(optimum.parameters()).isEqualTo(optimum.computeOptimalParameters());
        assertThat(optimum.loss()).isEqualTo(optimum.computeOptimalLoss());
        assertThat(optimum.computeBudgetFlops()).isCloseTo(5.76e23, withinPercentage(1e-10));
    }

    @Test
    void budgetWithOneFactorShouldDeriveTheOther() {
        // 5.88e23 / (6 · 70e9) = 1.4e12 tokens; 5.88e23 / (6 · 1.4e12) = 70e9 parameters
        assertThat(ScalingLawEstimate.forBudgetAndParameters(FIT, 5.88e23, 70e9).tokens())
                .isCloseTo(1.4e12, withinPercentage(1e-10));
        assertThat(ScalingLawEstimate.forBudgetAndTokens(FIT, 5.88e23, 1.4e12).parameters())
                .isCloseTo(70e9, withinPercentage(1e-10));
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> ScalingLawEstimate.forBudgetAndParameters(FIT, 1e9, 70e9))
                .satisfies((ex) -> assertThat(ex.field()).isEqualTo("computeBudgetFlops"));
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> ScalingLawEstimate.forBudget(FIT, 1.0))
                .satisfies((ex) -> assertThat(ex.field()).isEqualTo("computeBudgetFlops"));
    }

    @Test
    void oneFactorAloneShouldBeMadeComputeOptimal() {
        ScalingLawEstimate forSevenBillion = ScalingLawEstimate.forParameters(FIT, 7e9);
        assertThat(forSevenBillion.computeOptimalParameters()).isCloseTo(7e9, withinPercentage(1e-8));
        assertThat(forSevenBillion.tokens()).isEqualTo(forSevenBillion.computeOptimalTokens());
        ScalingLawEstimate forTwoTrillionTokens = ScalingLawEstimate.forTokens(FIT, 2e12);
        assertThat(forTwoTrillionTokens.computeOptimalTokens()).isCloseTo(2e12, withinPercentage(1e-8));
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> ScalingLawEstimate.forParameters(FIT, 1))
                .satisfies((ex) -> assertThat(ex.field()).isEqualTo("parameters"));
    }
}
