package dev.llmcalc.core.compute;

import dev.llmcalc.core.hardware.GpuSpec;

/**
 * The electricity a run draws and, with a grid carbon intensity, its emissions: GPU-hours × board power ×
 * utilisation × PUE, as model cards state them (Llama 3.1 model card, "Training Energy Use": 39.3M H100-80GB
 * GPU-hours at 700 W TDP; Luccioni et al. 2022 for BLOOM: energy × the grid's carbon intensity).
 *
 * @param reported whether the energy could be estimated (false when the GPU's board power is unknown)
 * @param reason why not, when not reported
 * @param gpuHours the run's GPU-hours
 * @param boardPowerWatts the GPU's rated board power (TDP), 0 when unknown
 * @param utilization fraction of the board power assumed drawn
 * @param pue power usage effectiveness assumed
 * @param energyKwh GPU-hours × power × utilisation × PUE, kWh (null when not reported)
 * @param gridKgCo2PerKwh the carbon intensity given, or null
 * @param emissionsKgCo2e energy × intensity, kg CO2e (null without an intensity or an energy)
 * @param emissionsTonnesCo2e the same in tonnes (1,000 kg)
 */
public record RunEnergy(boolean reported, String reason, double gpuHours, int boardPowerWatts, double utilization,
        double pue, Double energyKwh, Double gridKgCo2PerKwh, Double emissionsKgCo2e, Double emissionsTonnesCo2e) {

    private static final double WATT_HOURS_PER_KWH = 1_000;

    private static final double KG_PER_TONNE = 1_000;

    /** The energy of {@code gpuHours} on {@code gpu}; not reported, with the reason, when its power is unknown. */
    public static RunEnergy of(double gpuHours, GpuSpec gpu, EnergyOptions options) {
        int watts = gpu.boardPowerWatts();
        if (watts <= 0) {
            return new RunEnergy(false, "energy is not reported: the board power of GPU '" + gpu.id()
                    + "' is unknown (" + (gpu.vendor() != null ? gpu.vendor() + " publishes none" : "none was given")
                    + "); give cluster.gpu as {\"base\": \"" + gpu.id() + "\", \"boardPowerWatts\": W} to set it",
                    gpuHours, 0, options.utilization(), options.pue(), null, options.gridKgCo2PerKwh(), null, null);
        }
        double kwh = energyKwh(gpuHours, watts, options.utilization(), options.pue());
        Double kg = options.gridKgCo2PerKwh() != null ? emissionsKg(kwh, options.gridKgCo2PerKwh()) : null;
        return new RunEnergy(true, null, gpuHours, watts, options.utilization(), options.pue(), kwh,
                options.gridKgCo2PerKwh(), kg, kg != null ? kg / KG_PER_TONNE : null);
    }

    // Llama 3.1 model card: energy = GPU-hours × peak power per device (TDP); × utilisation × PUE (Patterson et al. 2021)
    public static double energyKwh(double gpuHours, int boardPowerWatts, double utilization, double pue) {
        return gpuHours * boardPowerWatts * utilization * pue / WATT_HOURS_PER_KWH;
    }

    // location-based emissions = energy × grid carbon intensity (Llama 3.1 model card; GHG Protocol scope 2)
    public static double emissionsKg(double energyKwh, double gridKgCo2PerKwh) {
        return energyKwh * gridKgCo2PerKwh;
    }

    /** The formula in words, for a response's assumptions. */
    public String assumption() {
        String energy = "Energy = GPU-hours × board power (TDP) × utilisation " + this.utilization + " × PUE " + this.pue
                + " (the Llama 3.1 model card's method at utilisation 1 and PUE 1)";
        return energy + (this.gridKgCo2PerKwh != null
                ? "; emissions = energy × " + this.gridKgCo2PerKwh + " kg CO2e/kWh (location-based)."
                : "; no energy.gridKgCo2PerKwh given, so no emissions are reported (no grid intensity is assumed).");
    }
}
