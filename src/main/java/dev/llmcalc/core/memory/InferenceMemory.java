package dev.llmcalc.core.memory;

import java.util.List;

import dev.llmcalc.core.DocumentFormula;

/**
 * @param weightsBytes the weights in the chosen format
 * @param kvCacheBytes keys and values cached for every layer, token and sequence (0 without a cache request)
 * @param kvCacheBytesPerToken cache bytes added by one token of one sequence
 * @param documentFormula the document's table entry
 * @param assumptions what the numbers assume
 */
public record InferenceMemory(long weightsBytes, long kvCacheBytes, long kvCacheBytesPerToken,
        DocumentFormula documentFormula, List<String> assumptions) {

    public long totalBytes() {
        return Math.addExact(this.weightsBytes, this.kvCacheBytes);
    }
}
