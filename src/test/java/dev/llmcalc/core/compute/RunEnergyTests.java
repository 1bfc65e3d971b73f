package dev.llmcalc.core.compute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

import dev.llmcalc.core.hardware.GpuPresets;
import dev.llmcalc.core.hardware.GpuSpec;
import dev.llmcalc.core.unit.InvalidInputException;

class RunEnergyTests {

    private static final GpuSpec H100 = GpuPresets.find("h100-sxm-80gb").orElseThrow();

    @Test
    void llama31ModelCardShouldGiveItsEnergyAndLocationBasedEmissions() {
        // Llama 3.1 model card, "Training Energy Use": 39.3M H100-80GB GPU-hours at 700 W TDP;
        // 39.3e6 h × 700 W = 27,510,000 kWh; × 0.414 kg CO2e/kWh = 11,389,140 kg ≈ 11,390 t (the card's 11,390 t)
        RunEnergy energy = RunEnergy.of(39.3e6, H100, new EnergyOptions(1, 1, 0.414));
        assertThat(energy.reported()).isTrue();
        assertThat(energy.boardPowerWatts()).isEqualTo(700);
        assertThat(energy.energyKwh()).isCloseTo(27_510_000, within(1e-6));
        assertThat(energy.emissionsKgCo2e()).isCloseTo(11_389_140, within(1e-6));
        assertThat(Math.round(energy.emissionsTonnesCo2e() / 10) * 10).isEqualTo(11_390);
    }

    @Test
    void utilisationAndPueShouldScaleEnergyAndNoGridShouldReportNoEmissions() {
        // 1,000 GPU-hours × 700 W × 0.8 × 1.2 = 672 kWh
        RunEnergy energy = RunEnergy.of(1_000, H100, EnergyOptions.of(0.8, 1.2, null));
        assertThat(energy.energyKwh()).isCloseTo(672, within(1e-9));
        assertThat(energy.emissionsKgCo2e()).isNull();
        assertThat(energy.assumption()).contains("no emissions are reported");
    }

    @Test
    void gpuWithoutPublishedPowerShouldSayEnergyIsNotReportedAndWhy() {
        RunEnergy energy = RunEnergy.of(1_000, GpuPresets.find("tpu-v5e-16gb").orElseThrow(), EnergyOptions.DEFAULT);
        assertThat(energy.reported()).isFalse();
        assertThat(energy.energyKwh()).isNull();
        assertThat(energy.reason()).contains("board power of GPU 'tpu-v5e-16gb' is unknown").contains("GOOGLE publishes none");
    }

    @Test
    void optionsOutOfRangeShouldNameTheField() {
        assertThatExceptionOfType(InvalidInputException.class).isThrownBy(() -> new EnergyOptions(0, 1, null))
                .satisfies((ex) -> assertThat(ex.field()).isEqualTo("energy.utilization"));
        assertThatExceptionOfType(InvalidInputException.class).isThrownBy(() -> new EnergyOptions(1, 0.9, null))
                .satisfies((ex) -> assertThat(ex.field()).isEqualTo("energy.pue"));
        assertThatExceptionOfType(InvalidInputException.class).isThrownBy(() -> new EnergyOptions(1, 1, -0.1))
                .satisfies((ex) -> assertThat(ex.field()).isEqualTo("energy.gridKgCo2PerKwh"));
    }
}
