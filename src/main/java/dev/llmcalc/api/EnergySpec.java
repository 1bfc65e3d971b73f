package dev.llmcalc.api;

import dev.llmcalc.core.compute.EnergyOptions;
import dev.llmcalc.core.compute.RunEnergy;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.PositiveOrZero;

/** The {@code energy} object: how a run's energy and emissions are estimated; defaults in brackets. */
@Schema(description = "Energy and emissions: energy = GPU-hours × board power × utilization × pue; emissions = energy "
        + "× gridKgCo2PerKwh (only when given)")
public record EnergySpec(
        @Schema(description = "[1] average fraction of the board power (TDP) drawn, as model cards assume 1")
        @DecimalMin(value = "0", inclusive = false) @DecimalMax("1") Double utilization,
        @Schema(description = "[1] power usage effectiveness of the data centre (facility ÷ IT energy)", example = "1.1")
        @DecimalMin("1") @DecimalMax("10") Double pue,
        @Schema(description = "grid carbon intensity, kg CO2e per kWh; no default: without it no emissions are reported",
                example = "0.414") @PositiveOrZero @DecimalMax("10") Double gridKgCo2PerKwh) {

    public static EnergyOptions toCore(EnergySpec spec) {
        return spec == null ? EnergyOptions.DEFAULT
                : EnergyOptions.of(spec.utilization, spec.pue, spec.gridKgCo2PerKwh);
    }

    /** A run's energy and emissions as answered. */
    @Schema(description = "Energy and emissions of the run; reported false (with the reason) when the GPU's board power "
            + "is unknown")
    public record View(boolean reported, @Schema(description = "why energy is not reported") String reason,
            double gpuHours, @Schema(description = "the GPU's rated board power (TDP), watts") int boardPowerWatts,
            double utilization, double pue,
            @Schema(description = "gpuHours × boardPowerWatts × utilization × pue ÷ 1000") Double energyKwh,
            Double gridKgCo2PerKwh,
            @Schema(description = "energyKwh × gridKgCo2PerKwh (absent without gridKgCo2PerKwh)") Double emissionsKgCo2e,
            @Schema(description = "emissionsKgCo2e in tonnes (1,000 kg)") Double emissionsTonnesCo2e) {

        public static View of(RunEnergy energy) {
            return energy == null ? null : new View(energy.reported(), energy.reason(), energy.gpuHours(),
                    energy.boardPowerWatts(), energy.utilization(), energy.pue(), energy.energyKwh(),
                    energy.gridKgCo2PerKwh(), energy.emissionsKgCo2e(), energy.emissionsTonnesCo2e());
        }
    }
}
