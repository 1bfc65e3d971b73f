package dev.llmcalc.core.plan;

import java.util.Map;

/**
 * How a search fared at one expert-parallel degree of a mixture-of-experts model: the best plan with that degree, or
 * why there is none.
 *
 * @param expert the expert-parallel degree (experts split over this many data × context ranks)
 * @param best its fastest fitting plan, ranked as the answer's plans are; {@code null} when none fits
 * @param evaluated candidates with this degree whose memory was estimated
 * @param fitting of which fit the GPU
 * @param rejected its candidates (or the splits it could not use) left out, by reason
 */
public record ExpertDegree(int expert, Plan best, long evaluated, long fitting, Map<String, Long> rejected) {

    public ExpertDegree {
        rejected = Map.copyOf(rejected);
    }
}
