package dev.llmcalc.api.compute;

import dev.llmcalc.api.BadRequestException;
import dev.llmcalc.core.compute.ChinchillaFit;
import dev.llmcalc.core.compute.ScalingLawEstimate;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.Positive;

/**
 * Body of {@code POST /api/v1/scaling-law}: {@code parameters} and/or {@code tokens}, or a
 * {@code computeBudgetFlops} with at most one of them. What is not given is derived through C = 6·N·D
 * and, where that leaves a choice, the compute-optimal split.
 */
@Schema(description = "parameters and/or tokens, or computeBudgetFlops (optionally with one of the two)")
public record ScalingLawRequest(
        @Schema(description = "N, model parameters", example = "70000000000") @Positive Long parameters,
        @Schema(description = "D, training tokens", example = "1400000000000") @Positive Long tokens,
        @Schema(description = "C, training FLOPs", example = "5.76e23") @Positive @DecimalMax("1e60") Double computeBudgetFlops) {

    /** The estimate for the form of this request; a request with none or all three inputs is a 400. */
    ScalingLawEstimate estimate(ChinchillaFit fit) {
        if (this.computeBudgetFlops == null) {
            if (this.parameters == null && this.tokens == null) {
                throw new BadRequestException("parameters",
                        "send parameters and/or tokens, or computeBudgetFlops (optionally with one of them)");
            }
            if (this.tokens == null) {
                return ScalingLawEstimate.forParameters(fit, this.parameters);
            }
            if (this.parameters == null) {
                return ScalingLawEstimate.forTokens(fit, this.tokens);
            }
            return ScalingLawEstimate.at(fit, this.parameters, this.tokens);
        }
        if (this.parameters != null && this.tokens != null) {
            throw new BadRequestException("computeBudgetFlops",
                    "cannot be sent with both parameters and tokens: the budget is then 6·N·D; send two of the three");
        }
        if (this.parameters != null) {
            return ScalingLawEstimate.forBudgetAndParameters(fit, this.computeBudgetFlops, this.parameters);
        }
        if (this.tokens != null) {
            return ScalingLawEstimate.forBudgetAndTokens(fit, this.computeBudgetFlops, this.tokens);
        }
        return ScalingLawEstimate.forBudget(fit, this.computeBudgetFlops);
    }
}
