package dev.llmcalc.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import dev.llmcalc.core.compute.EnergyOptions;
import dev.llmcalc.core.hardware.Cluster;
import dev.llmcalc.core.hardware.KernelEfficiency;
import dev.llmcalc.core.hardware.GpuPresets;
import dev.llmcalc.core.memory.FrameworkAllowance;
import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.model.ModelPresets;
import dev.llmcalc.core.run.AttentionKernel;
import dev.llmcalc.core.run.Optimizer;
import dev.llmcalc.core.run.Precision;
import dev.llmcalc.core.unit.InvalidInputException;

class AcceleratorComparisonTests {

    private static Function<Cluster, PlanSearch> searchOf(String model, long sequence, long globalBatch) {
        Architecture m = ModelPresets.find(model).orElseThrow().architecture();
        return (cluster) -> new PlanSearch(m, sequence, globalBatch, Precision.MIXED_BF16, Optimizer.ADAMW,
                AttentionKernel.FLASH, cluster, PlanConstraints.defaults(m, cluster), KernelEfficiency.A100, 1,
                FrameworkAllowance.DEFAULT);
    }

    private static AcceleratorComparison.Offer offer(String gpu, int count, Double price) {
        return new AcceleratorComparison.Offer(Cluster.of(GpuPresets.find(gpu).orElseThrow(), count, null), price);
    }

    @Test
    void eachOptionShouldBeThePlannersBestPlanPricedForTheRun() {
        Function<Cluster, PlanSearch> search = searchOf("llama-2-7b", 4096, 1024);
        Comparison c = AcceleratorComparison.compare(List.of(offer("h100-sxm-80gb", 8, 3.0), offer("h100-sxm-80gb", 16, 3.0)),
                search, 1_000_000_000_000L, null, EnergyOptions.DEFAULT);
        Comparison.Option eight = c.options().get(0);
        Plan best = Planner.search(search.apply(eight.cluster())).plans().get(0);
        assertThat(eight.best()).isEqualTo(best);
        // 10^12 tokens ÷ (1,024 × 4,096) tokens a step × step seconds; GPU-hours = 8 × seconds / 3600; × 3.0
        double seconds = 1e12 / 4_194_304 * best.step().totalSeconds();
        assertThat(eight.trainingSeconds()).isEqualTo(seconds);
        assertThat(eight.gpuHours()).isEqualTo(8 * seconds / 3600);
        assertThat(eight.cost()).isEqualTo(8 * seconds / 3600 * 3.0);
        assertThat(eight.energy().energyKwh()).isEqualTo(8 * seconds / 3600 * 700 / 1000);
        assertThat(c.tokensPerStep()).isEqualTo(4_194_304);
        // twice the GPUs: faster; the fastest is the 16
        assertThat(c.fastest()).isEqualTo(1);
        assertThat(c.cheapestWithinMaxTrainingDays()).isNull();
    }

    @Test
    void withoutPricesThereShouldBeNoCheapestAndTheNotesShouldSaySo() {
        Comparison c = AcceleratorComparison.compare(List.of(offer("a100-sxm-80gb", 8, null), offer("h100-sxm-80gb", 8, null)),
                searchOf("llama-2-7b", 4096, 1024), 1_000_000_000_000L, 1.0, EnergyOptions.DEFAULT);
        assertThat(c.cheapest()).isNull();
        assertThat(c.fastest()).isEqualTo(1);
        assertThat(c.options()).allSatisfy((o) -> assertThat(o.cost()).isNull());
        assertThat(c.notes()).contains("No fitting option has a pricePerGpuHour: no cheapest choice.");
        // nothing takes under a day: no cheapest within it
        assertThat(c.options()).allSatisfy((o) -> assertThat(o.withinMaxTrainingDays()).isFalse());
        assertThat(c.cheapestWithinMaxTrainingDays()).isNull();
    }

    @Test
    void anOptionThatDoesNotFitShouldBeReportedButNeverChosen() {
        Comparison c = AcceleratorComparison.compare(List.of(offer("a100-sxm-40gb", 8, 1.0)),
                searchOf("llama-3.1-70b", 4096, 1024), 1_000_000_000_000L, null, EnergyOptions.DEFAULT);
        Comparison.Option option = c.options().get(0);
        assertThat(option.fits()).isFalse();
        assertThat(option.cost()).isNull();
        assertThat(option.energy()).isNull();
        assertThat(c.cheapest()).isNull();
        assertThat(c.fastest()).isNull();
        assertThat(c.notes()).contains("No option fits: no cheapest or fastest choice.");
    }

    @Test
    void badInputShouldNameTheField() {
        assertThatExceptionOfType(InvalidInputException.class)
                .isThrownBy(() -> AcceleratorComparison.compare(List.of(), searchOf("llama-2-7b", 4096, 1024), 1, null,
                        EnergyOptions.DEFAULT))
                .satisfies((ex) -> assertThat(ex.field()).isEqualTo("cluster.gpu"));
        assertThatExceptionOfType(InvalidInputException.class).isThrownBy(() -> offer("h100-sxm-80gb", 8, 0.0))
                .satisfies((ex) -> assertThat(ex.field()).isEqualTo("pricePerGpuHour"));
    }
}
