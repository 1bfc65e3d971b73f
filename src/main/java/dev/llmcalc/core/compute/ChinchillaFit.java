package dev.llmcalc.core.compute;

import static dev.llmcalc.core.unit.InvalidInputException.require;

/**
 * The parametric loss fit of Hoffmann et al. 2022 (arXiv:2203.15556, "Chinchilla"), L(N, D) = E + A/N^α + B/D^β,
 * and the compute-optimal split of a budget C = 6·N·D that follows from it.
 *
 * @param e E, the irreducible loss (nats per token)
 * @param a A, the parameter term's scale
 * @param b B, the data term's scale
 * @param alpha α, the parameter exponent
 * @param beta β, the data exponent
 */
public record ChinchillaFit(double e, double a, double b, double alpha, double beta) {

    // Hoffmann et al. 2022 §3.3 eq. 10 (Approach 3): E = 1.69, A = 406.4, B = 410.7, α = 0.34, β = 0.28
    public static final ChinchillaFit APPROACH_3 = new ChinchillaFit(1.69, 406.4, 410.7, 0.34, 0.28);

    /** C = 6·N·D: FLOPs per parameter per training token (the document's §2, Kaplan et al. 2020). */
    private static final double FLOPS_PER_PARAMETER_TOKEN = 6.0;

    public ChinchillaFit {
        require(a > 0 && b > 0 && alpha > 0 && beta > 0, "constants", "A, B, α and β must be positive");
    }

    // Hoffmann et al. 2022 eq. 10: L(N, D) = E + A/N^α + B/D^β
    public double loss(double parameters, double tokens) {
        return this.e + this.a / Math.pow(parameters, this.alpha) + this.b / Math.pow(tokens, this.beta);
    }

    // Hoffmann et al. 2022 eq. 4: G = (αA / (βB))^(1/(α+β))
    public double g() {
        return Math.pow(this.alpha * this.a / (this.beta * this.b), 1.0 / (this.alpha + this.beta));
    }

    // Hoffmann et al. 2022 eq. 4: N_opt(C) = G·(C/6)^(β/(α+β))
    public double optimalParameters(double computeFlops) {
        return g() * Math.pow(computeFlops / FLOPS_PER_PARAMETER_TOKEN, this.beta / (this.alpha + this.beta));
    }

    // Hoffmann et al. 2022 eq. 4: D_opt(C) = G⁻¹·(C/6)^(α/(α+β))
    public double optimalTokens(double computeFlops) {
        return Math.pow(computeFlops / FLOPS_PER_PARAMETER_TOKEN, this.alpha / (this.alpha + this.beta)) / g();
    }

    // eq. 4 solved for C: N = N_opt(C) when C/6 = (N/G)^((α+β)/β)
    public double budgetWhereOptimal(double parameters) {
        return FLOPS_PER_PARAMETER_TOKEN * Math.pow(parameters / g(), (this.alpha + this.beta) / this.beta);
    }

    // eq. 4 solved for C: D = D_opt(C) when C/6 = (G·D)^((α+β)/α)
    public double budgetWhereOptimalForTokens(double tokens) {
        return FLOPS_PER_PARAMETER_TOKEN * Math.pow(g() * tokens, (this.alpha + this.beta) / this.alpha);
    }

    // C = 6·N·D solved for one factor given the other: D = C/(6·N), N = C/(6·D)
    public static double otherFactor(double computeFlops, double factor) {
        return computeFlops / (FLOPS_PER_PARAMETER_TOKEN * factor);
    }

    // C = 6·N·D for real-valued N and D
    public static double budget(double parameters, double tokens) {
        return FLOPS_PER_PARAMETER_TOKEN * parameters * tokens;
    }
}
