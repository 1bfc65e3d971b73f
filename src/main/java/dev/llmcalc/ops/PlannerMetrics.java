package dev.llmcalc.ops;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Metrics of layout searches, for the planner endpoints to call (the core stays free of Micrometer):
 * {@code llmcalc.planner.search} times each search, {@code llmcalc.planner.layouts.evaluated} records how many
 * layouts it looked at (buckets by powers of ten). Both are registered at start-up, so dashboards show zero
 * rather than nothing before the first search.
 *
 * <pre>{@code
 * Plan plan = plannerMetrics.search(() -> Planner.search(request), Plan::layoutsEvaluated);
 * }</pre>
 */
public final class PlannerMetrics {

    static final String SEARCH_TIMER = "llmcalc.planner.search";

    static final String LAYOUTS_SUMMARY = "llmcalc.planner.layouts.evaluated";

    private final Timer searches;

    private final DistributionSummary layouts;

    public PlannerMetrics(MeterRegistry registry) {
        this.searches = Timer.builder(SEARCH_TIMER)
                .description("Time spent in planner layout searches")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
        this.layouts = DistributionSummary.builder(LAYOUTS_SUMMARY)
                .description("Layouts evaluated per planner search")
                .serviceLevelObjectives(1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000)
                .register(registry);
    }

    /**
     * Runs a search, timing it and recording how many layouts it evaluated.
     *
     * @param search the search to run
     * @param layoutsEvaluated reads the number of layouts evaluated from the result
     * @return the search's result
     */
    public <T> T search(Supplier<T> search, ToLongFunction<? super T> layoutsEvaluated) {
        Objects.requireNonNull(search, "search");
        Objects.requireNonNull(layoutsEvaluated, "layoutsEvaluated");
        long start = System.nanoTime();
        T result = search.get();
        record(Duration.ofNanos(System.nanoTime() - start), layoutsEvaluated.applyAsLong(result));
        return result;
    }

    /** Records a search that was timed elsewhere. */
    public void record(Duration elapsed, long layoutsEvaluated) {
        if (elapsed.isNegative()) {
            throw new IllegalArgumentException("'elapsed' must not be negative");
        }
        if (layoutsEvaluated < 0) {
            throw new IllegalArgumentException("'layoutsEvaluated' must not be negative");
        }
        this.searches.record(elapsed);
        this.layouts.record(layoutsEvaluated);
    }
}
