package dev.llmcalc.core.compute;

import static dev.llmcalc.core.unit.InvalidInputException.require;

/**
 * How a run's energy and emissions are estimated.
 *
 * @param utilization average fraction of the board power drawn over the run (1 = rated power all the time, what
 *        model cards such as Llama 3.1's report)
 * @param pue the data centre's power usage effectiveness (facility energy ÷ IT energy; 1 = GPUs only)
 * @param gridKgCo2PerKwh carbon intensity of the electricity, kg CO2e per kWh; null when not given (then no
 *        emissions are reported: there is no default to guess)
 */
public record EnergyOptions(double utilization, double pue, Double gridKgCo2PerKwh) {

    /** Rated board power and no facility overhead, as model cards report; no grid intensity. */
    public static final EnergyOptions DEFAULT = new EnergyOptions(1, 1, null);

    public EnergyOptions {
        require(utilization > 0 && utilization <= 1, "energy.utilization", "must be greater than 0 and at most 1");
        require(pue >= 1 && Double.isFinite(pue), "energy.pue", "must be at least 1 (facility energy ÷ IT energy)");
        require(gridKgCo2PerKwh == null || (gridKgCo2PerKwh >= 0 && Double.isFinite(gridKgCo2PerKwh)),
                "energy.gridKgCo2PerKwh", "must not be negative");
    }

    /** These options with the caller's; a null leaves the default (utilisation 1, PUE 1, no grid intensity). */
    public static EnergyOptions of(Double utilization, Double pue, Double gridKgCo2PerKwh) {
        return new EnergyOptions(utilization != null ? utilization : DEFAULT.utilization,
                pue != null ? pue : DEFAULT.pue, gridKgCo2PerKwh);
    }
}
