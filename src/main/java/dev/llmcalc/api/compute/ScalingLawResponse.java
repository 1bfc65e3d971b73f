package dev.llmcalc.api.compute;

import java.util.ArrayList;
import java.util.List;

import dev.llmcalc.api.FormulaView;
import dev.llmcalc.core.compute.ChinchillaFit;
import dev.llmcalc.core.compute.ScalingLawEstimate;
import dev.llmcalc.core.compute.TrainingFlops;
import io.swagger.v3.oas.annotations.media.Schema;

/** Answer of {@code POST /api/v1/scaling-law}. N and D are real numbers from a fit, not exact counts. */
public record ScalingLawResponse(
        @Schema(description = "N evaluated (given, or derived)") double parameters,
        @Schema(description = "D evaluated (given, or derived)") double tokens,
        @Schema(description = "C = 6·N·D, FLOPs") double computeBudgetFlops,
        @Schema(description = "predicted loss L(N, D), nats per token") double loss,
        @Schema(description = "N_opt(C): the model size with the lowest predicted loss for C") double computeOptimalParameters,
        @Schema(description = "D_opt(C) = C / (6·N_opt)") double computeOptimalTokens,
        @Schema(description = "L(N_opt, D_opt)") double computeOptimalLoss,
        @Schema(description = "which fit") String approach,
        @Schema(description = "the fit's constants E, A, B, α, β") ChinchillaFit constants,
        @Schema(description = "the document's C ≈ 6·N·D, when parameters and tokens were both sent") FormulaView documentFormula,
        List<String> assumptions) {

    static final String APPROACH = "Chinchilla Approach 3 fit, Hoffmann et al. 2022 eq. 10";

    static ScalingLawResponse of(ScalingLawRequest request, ChinchillaFit fit, ScalingLawEstimate estimate) {
        boolean pointGiven = request.parameters() != null && request.tokens() != null;
        return new ScalingLawResponse(estimate.parameters(), estimate.tokens(), estimate.computeBudgetFlops(),
                estimate.loss(), estimate.computeOptimalParameters(), estimate.computeOptimalTokens(),
                estimate.computeOptimalLoss(), APPROACH, fit,
                pointGiven ? FormulaView.of(TrainingFlops.sixNDFormula(request.parameters(), request.tokens(), Double.NaN))
                        : null,
                assumptions(request));
    }

    private static List<String> assumptions(ScalingLawRequest request) {
        List<String> assumptions = new ArrayList<>();
        assumptions.add("loss = E + A/N^α + B/D^β with Hoffmann et al. 2022's Approach 3 constants (eq. 10), in nats "
                + "per token on the paper's MassiveText data and tokenizer; other data shifts it.");
        assumptions.add("C = 6·N·D links budget, parameters and tokens (the document's §2).");
        boolean budget = request.computeBudgetFlops() != null;
        if (!budget && request.tokens() == null) {
            assumptions.add("Only parameters given: tokens are the ones that make this model compute-optimal.");
        }
        else if (!budget && request.parameters() == null) {
            assumptions.add("Only tokens given: parameters are the model size for which these tokens are "
                    + "compute-optimal.");
        }
        else if (budget && request.parameters() == null && request.tokens() == null) {
            assumptions.add("Only a budget given: parameters and tokens are its compute-optimal split.");
        }
        else if (budget) {
            assumptions.add("Budget with " + (request.parameters() != null ? "parameters: tokens = C / (6·N)."
                    : "tokens: parameters = C / (6·D)."));
        }
        assumptions.add("computeOptimal* minimise the fitted loss at C (eq. 4: N_opt = G·(C/6)^(β/(α+β))). These "
                + "rounded constants give N_opt ≈ 32B at Chinchilla's 5.76e23 FLOPs, not the 67–70B of the paper's "
                + "Approach 1 (Table 3): this fit favours smaller models trained on more tokens.");
        return List.copyOf(assumptions);
    }
}
