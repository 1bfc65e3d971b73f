package dev.llmcalc.core.params;

import dev.llmcalc.core.DocumentFormula;
import dev.llmcalc.core.model.Architecture;

/**
 * @param totalParameters unique trainable parameters (tied weights once)
 * @param activeParametersPerToken parameters one token passes through (MoE: k of E experts + shared)
 * @param nonEmbeddingParameters total minus token embedding, position table and untied LM head
 * @param expertParameters parameters inside routed experts (sharded by expert parallelism)
 * @param breakdown where they are
 * @param architecture the shape counted
 */
public record ParameterCount(long totalParameters, long activeParametersPerToken, long nonEmbeddingParameters,
        long expertParameters, ParameterBreakdown breakdown, Architecture architecture) {

    /** The document's Φ expression for this shape (built on demand: it formats text). */
    public DocumentFormula documentFormula() {
        return ParameterCounter.documentFormula(this.architecture, this.totalParameters);
    }
}
