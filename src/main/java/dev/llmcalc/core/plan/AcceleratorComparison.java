package dev.llmcalc.core.plan;

import static dev.llmcalc.core.unit.InvalidInputException.require;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

import dev.llmcalc.core.compute.EnergyOptions;
import dev.llmcalc.core.compute.RunEnergy;
import dev.llmcalc.core.compute.TrainingTime;
import dev.llmcalc.core.hardware.Cluster;
import dev.llmcalc.core.unit.Exact;
import dev.llmcalc.core.unit.Units;

/**
 * Plans one run on several accelerators and GPU counts (the planner's best layout on each, with today's step-time
 * model), prices each with the run's token budget, and names the cheapest and the fastest that fit.
 */
public final class AcceleratorComparison {

    /** At most this many accelerator × count searches in one request. */
    public static final int MAX_OPTIONS = 64;

    private AcceleratorComparison() {
    }

    /**
     * One accelerator at one count.
     *
     * @param cluster the GPUs
     * @param pricePerGpuHour price of one GPU-hour, or null
     */
    public record Offer(Cluster cluster, Double pricePerGpuHour) {

        public Offer {
            require(pricePerGpuHour == null || (pricePerGpuHour > 0 && Double.isFinite(pricePerGpuHour)),
                    "pricePerGpuHour", "must be positive");
        }
    }

    /**
     * @param offers the accelerators and counts, in the order to report them
     * @param searchFor the plan search of one cluster (the request's model, batch and limits on it)
     * @param tokens the whole run's tokens
     * @param maxTrainingDays a deadline, or null
     */
    public static Comparison compare(List<Offer> offers, Function<Cluster, PlanSearch> searchFor, long tokens,
            Double maxTrainingDays, EnergyOptions energy) {
        require(!offers.isEmpty(), "cluster.gpu", "must list at least one GPU");
        require(offers.size() <= MAX_OPTIONS, "cluster.gpu", "asks for " + offers.size()
                + " accelerator × count searches; at most " + MAX_OPTIONS + " in one request");
        require(tokens >= 1, "tokens", "must be at least 1");
        require(maxTrainingDays == null || maxTrainingDays > 0, "maxTrainingDays", "must be positive");
        List<Comparison.Option> options = new ArrayList<>();
        long tokensPerStep = 0;
        long evaluated = 0;
        long fitting = 0;
        long priced = 0;
        for (Offer offer : offers) {
            PlanSearch search = searchFor.apply(offer.cluster());
            tokensPerStep = Exact.multiply("tokensPerStep", search.globalBatchSize(), search.sequenceLength());
            PlanResult result = Planner.search(search);
            evaluated = Exact.add("evaluated", evaluated, result.evaluated());
            fitting = Exact.add("fitting", fitting, result.fitting());
            priced = Exact.add("communicationEvaluated", priced, result.communicationEvaluated());
            options.add(option(offer, search, result, tokens, tokensPerStep, maxTrainingDays, energy));
        }
        Integer cheapest = pick(options, (o) -> o.cost() != null, CHEAPEST);
        Integer fastest = pick(options, (o) -> true, FASTEST);
        Integer inTime = maxTrainingDays == null ? null
                : pick(options, (o) -> o.cost() != null && Boolean.TRUE.equals(o.withinMaxTrainingDays()), CHEAPEST);
        return new Comparison(tokens, tokensPerStep, maxTrainingDays, List.copyOf(options), cheapest, fastest, inTime,
                evaluated, fitting, priced, notes(options, cheapest, fastest, maxTrainingDays, inTime));
    }

    private static Comparison.Option option(Offer offer, PlanSearch search, PlanResult result, long tokens,
            long tokensPerStep, Double maxTrainingDays, EnergyOptions energy) {
        if (result.plans().isEmpty()) {
            return new Comparison.Option(offer.cluster(), offer.pricePerGpuHour(), search, result, null, null, null,
                    null, null, null);
        }
        Plan best = result.plans().get(0);
        double seconds = CapacityCheck.trainingSeconds(tokens, tokensPerStep, best.step().totalSeconds());
        double days = seconds / Units.SECONDS_PER_DAY;
        double gpuHours = TrainingTime.gpuHours(seconds, offer.cluster().gpuCount());
        Double cost = offer.pricePerGpuHour() != null ? TrainingTime.cost(gpuHours, offer.pricePerGpuHour()) : null;
        return new Comparison.Option(offer.cluster(), offer.pricePerGpuHour(), search, result, seconds, days,
                gpuHours, cost, maxTrainingDays != null ? days <= maxTrainingDays : null,
                RunEnergy.of(gpuHours, offer.cluster().gpu(), energy));
    }

    private static final Comparator<Comparison.Option> CHEAPEST = Comparator
            .comparing(Comparison.Option::cost)
            .thenComparing(Comparison.Option::trainingDays)
            .thenComparingInt((o) -> o.cluster().gpuCount());

    private static final Comparator<Comparison.Option> FASTEST = Comparator
            .comparing(Comparison.Option::trainingDays)
            .thenComparing((o) -> o.cost() != null ? o.cost() : Double.MAX_VALUE)
            .thenComparingInt((o) -> o.cluster().gpuCount());

    /** The index of the best fitting option that passes {@code eligible}, first in order on ties; null if none. */
    private static Integer pick(List<Comparison.Option> options, java.util.function.Predicate<Comparison.Option> eligible,
            Comparator<Comparison.Option> order) {
        Integer best = null;
        for (int i = 0; i < options.size(); i++) {
            Comparison.Option option = options.get(i);
            if (option.fits() && eligible.test(option)
                    && (best == null || order.compare(option, options.get(best)) < 0)) {
                best = i;
            }
        }
        return best;
    }

    private static List<String> notes(List<Comparison.Option> options, Integer cheapest, Integer fastest,
            Double maxTrainingDays, Integer inTime) {
        List<String> notes = new ArrayList<>();
        notes.add("Each option is the planner's fastest layout for that accelerator and count (POST /api/v1/plans with "
                + "limit 1); trainingSeconds = tokens ÷ (global batch × sequence length) × step time, as POST "
                + "/api/v1/checks computes trainingDays; gpuHours = GPUs × seconds ÷ 3600; cost = gpuHours × "
                + "pricePerGpuHour.");
        notes.add("cheapest: lowest cost among the options that fit and have a price (ties: fewer days, then fewer "
                + "GPUs); fastest: fewest days among the options that fit (ties: lower cost, then fewer GPUs).");
        if (fastest == null) {
            notes.add("No option fits: no cheapest or fastest choice.");
        }
        else if (cheapest == null) {
            notes.add("No fitting option has a pricePerGpuHour: no cheapest choice.");
        }
        if (maxTrainingDays != null && inTime == null && fastest != null) {
            notes.add("No priced option that fits finishes within maxTrainingDays = " + maxTrainingDays + ".");
        }
        return List.copyOf(notes);
    }
}
