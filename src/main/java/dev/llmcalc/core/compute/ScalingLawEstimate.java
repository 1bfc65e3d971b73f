package dev.llmcalc.core.compute;

import static dev.llmcalc.core.unit.InvalidInputException.require;

/**
 * A point (N, D) on a compute budget C = 6·N·D, its predicted loss, and the compute-optimal point on the
 * same budget. N and D are real numbers here: they come from a power-law fit, not from counting.
 *
 * @param parameters N
 * @param tokens D
 * @param computeBudgetFlops C = 6·N·D
 * @param loss L(N, D)
 * @param computeOptimalParameters N_opt(C)
 * @param computeOptimalTokens D_opt(C)
 * @param computeOptimalLoss L(N_opt, D_opt), the lowest loss the fit predicts for C
 */
public record ScalingLawEstimate(double parameters, double tokens, double computeBudgetFlops, double loss,
        double computeOptimalParameters, double computeOptimalTokens, double computeOptimalLoss) {

    /** The point (N, D) and the optimum on its budget 6·N·D. */
    public static ScalingLawEstimate at(ChinchillaFit fit, double parameters, double tokens) {
        require(parameters >= 1, "parameters", "must be at least 1");
        require(tokens >= 1, "tokens", "must be at least 1");
        return point(fit, parameters, tokens, ChinchillaFit.budget(parameters, tokens));
    }

    /** The compute-optimal point of a budget. */
    public static ScalingLawEstimate forBudget(ChinchillaFit fit, double computeBudgetFlops) {
        requireBudget(computeBudgetFlops);
        return optimum(fit, computeBudgetFlops, "computeBudgetFlops");
    }

    /** A model of N parameters trained on the tokens a budget buys: D = C/(6·N). */
    public static ScalingLawEstimate forBudgetAndParameters(ChinchillaFit fit, double computeBudgetFlops,
            double parameters) {
        requireBudget(computeBudgetFlops);
        double tokens = ChinchillaFit.otherFactor(computeBudgetFlops, parameters);
        require(tokens >= 1, "computeBudgetFlops", "is less than 6 × parameters: not enough for one token");
        return at(fit, parameters, tokens);
    }

    /** D tokens through the largest model a budget allows: N = C/(6·D). */
    public static ScalingLawEstimate forBudgetAndTokens(ChinchillaFit fit, double computeBudgetFlops, double tokens) {
        requireBudget(computeBudgetFlops);
        double parameters = ChinchillaFit.otherFactor(computeBudgetFlops, tokens);
        require(parameters >= 1, "computeBudgetFlops", "is less than 6 × tokens: not enough for one parameter");
        return at(fit, parameters, tokens);
    }

    /** N parameters trained on the tokens that make N compute-optimal. */
    public static ScalingLawEstimate forParameters(ChinchillaFit fit, double parameters) {
        require(parameters >= 1, "parameters", "must be at least 1");
        return optimum(fit, fit.budgetWhereOptimal(parameters), "parameters");
    }

    /** D tokens through the model size that makes D compute-optimal. */
    public static ScalingLawEstimate forTokens(ChinchillaFit fit, double tokens) {
        require(tokens >= 1, "tokens", "must be at least 1");
        return optimum(fit, fit.budgetWhereOptimalForTokens(tokens), "tokens");
    }

    private static ScalingLawEstimate optimum(ChinchillaFit fit, double budget, String field) {
        double parameters = fit.optimalParameters(budget);
        double tokens = fit.optimalTokens(budget);
        require(parameters >= 1 && tokens >= 1, field,
                "is too small: the compute-optimal point would have less than one parameter or token");
        return point(fit, parameters, tokens, budget);
    }

    private static ScalingLawEstimate point(ChinchillaFit fit, double parameters, double tokens, double budget) {
        double optimalParameters = fit.optimalParameters(budget);
        double optimalTokens = fit.optimalTokens(budget);
        return new ScalingLawEstimate(parameters, tokens, budget, fit.loss(parameters, tokens), optimalParameters,
                optimalTokens, fit.loss(optimalParameters, optimalTokens));
    }

    private static void requireBudget(double computeBudgetFlops) {
        require(computeBudgetFlops > 0 && Double.isFinite(computeBudgetFlops), "computeBudgetFlops",
                "must be a positive, finite number of FLOPs");
    }
}
