package dev.llmcalc.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class PlannerMetricsTests {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private final PlannerMetrics metrics = new PlannerMetrics(this.registry);

    @Test
    void metersShouldExistBeforeTheFirstSearch() {
        assertThat(this.registry.get(PlannerMetrics.SEARCH_TIMER).timer().count()).isZero();
        assertThat(this.registry.get(PlannerMetrics.LAYOUTS_SUMMARY).summary().count()).isZero();
    }

    @Test
    void recordShouldAddTimeAndLayouts() {
        this.metrics.record(Duration.ofMillis(250), 96);
        this.metrics.record(Duration.ofMillis(750), 4);
        assertThat(this.registry.get(PlannerMetrics.SEARCH_TIMER).timer().totalTime(TimeUnit.MILLISECONDS)).isEqualTo(1000);
        assertThat(this.registry.get(PlannerMetrics.LAYOUTS_SUMMARY).summary().totalAmount()).isEqualTo(100);
    }

    @Test
    void searchShouldReturnTheResultAndReadLayoutsFromIt() {
        assertThat(this.metrics.search(() -> 42L, (result) -> result)).isEqualTo(42L);
        assertThat(this.registry.get(PlannerMetrics.LAYOUTS_SUMMARY).summary().totalAmount()).isEqualTo(42);
        assertThat(this.registry.get(PlannerMetrics.SEARCH_TIMER).timer().count()).isEqualTo(1);
    }

    @Test
    void negativeValuesShouldBeRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> this.metrics.record(Duration.ofMillis(-1), 1))
                .withMessage("'elapsed' must not be negative");
        assertThatIllegalArgumentException().isThrownBy(() -> this.metrics.record(Duration.ZERO, -1))
                .withMessage("'layoutsEvaluated' must not be negative");
    }
}
