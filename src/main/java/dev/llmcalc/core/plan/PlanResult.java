package dev.llmcalc.core.plan;

import java.util.List;
import java.util.Map;

/**
 * @param plans the best plans, fastest first (ties: less memory, then smaller degrees)
 * @param rejected candidates that were left out, by reason
 * @param evaluated candidate layouts whose memory was estimated
 * @param fitting of which fit the GPU
 * @param communicationEvaluated fitting candidates whose communication ledger was computed (the rest were
 *        provably slower than the plans returned)
 * @param assumptions what the ranking assumes
 * @param expertDegrees for a mixture-of-experts model, each expert-parallel degree tried with its best plan or why
 *        none fits; empty for a dense model
 */
public record PlanResult(List<Plan> plans, Map<String, Long> rejected, long evaluated, long fitting,
        long communicationEvaluated, List<String> assumptions, List<ExpertDegree> expertDegrees) {

    public PlanResult {
        expertDegrees = List.copyOf(expertDegrees);
    }
}
