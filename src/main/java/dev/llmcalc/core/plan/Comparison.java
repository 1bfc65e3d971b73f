package dev.llmcalc.core.plan;

import java.util.List;

import dev.llmcalc.core.compute.RunEnergy;
import dev.llmcalc.core.hardware.Cluster;

/**
 * The best plan of a run on each accelerator and GPU count, and which of them is cheapest and which fastest.
 *
 * @param tokens tokens the whole run trains on
 * @param tokensPerStep global batch × sequence length
 * @param maxTrainingDays the deadline, or null
 * @param options one per accelerator and count, in the order asked
 * @param cheapest the fitting option with the lowest cost (ties: fewer days, then fewer GPUs), or null when no
 *        fitting option has a price
 * @param fastest the fitting option with the fewest days (ties: lower cost, then fewer GPUs), or null when none fits
 * @param cheapestWithinMaxTrainingDays the cheapest fitting option that finishes within maxTrainingDays, or null
 * @param evaluated candidate layouts evaluated over all searches
 * @param fitting of which fit
 * @param communicationEvaluated communication ledgers priced over all searches
 * @param notes why a choice is missing, in words
 */
public record Comparison(long tokens, long tokensPerStep, Double maxTrainingDays, List<Option> options,
        Integer cheapest, Integer fastest, Integer cheapestWithinMaxTrainingDays, long evaluated, long fitting,
        long communicationEvaluated, List<String> notes) {

    /**
     * One accelerator at one GPU count.
     *
     * @param cluster the GPUs
     * @param pricePerGpuHour price of a GPU-hour, or null
     * @param search what was searched
     * @param result the search's answer (its first plan is the best)
     * @param trainingSeconds tokens ÷ tokensPerStep × step time, null when nothing fits
     * @param trainingDays the same in days
     * @param gpuHours GPUs × hours
     * @param cost GPU-hours × price, null without a price or a plan
     * @param withinMaxTrainingDays whether it finishes in time (null without a deadline or a plan)
     * @param energy the run's energy and emissions (null when nothing fits)
     */
    public record Option(Cluster cluster, Double pricePerGpuHour, PlanSearch search, PlanResult result,
            Double trainingSeconds, Double trainingDays, Double gpuHours, Double cost, Boolean withinMaxTrainingDays,
            RunEnergy energy) {

        /** The best plan, or null when no layout fits. */
        public Plan best() {
            return this.result.plans().isEmpty() ? null : this.result.plans().get(0);
        }

        public boolean fits() {
            return best() != null;
        }
    }
}
