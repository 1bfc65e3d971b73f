package dev.llmcalc.core.memory;

import java.util.List;

import dev.llmcalc.core.DocumentFormula;
import dev.llmcalc.core.parallel.LocalParameters;

/**
 * Model-state memory of the most-loaded GPU.
 *
 * @param perGpu weights, gradients and optimizer states on that GPU
 * @param local the parameters it holds before ZeRO partitioning, and its pipeline stage
 * @param bytesPerParameter weights + gradients + optimizer bytes per parameter before partitioning (16, 18, …)
 * @param effectiveBytesPerParameter per-GPU bytes divided by the parameters the GPU serves (falls with ZeRO)
 * @param zeroShards ranks the dense ZeRO partitions are spread over (data × context)
 * @param documentFormula the document's formula for this case
 * @param assumptions what the numbers assume, in words
 */
public record ModelStates(ModelStateBytes perGpu, LocalParameters local, int bytesPerParameter,
        double effectiveBytesPerParameter, long zeroShards, DocumentFormula documentFormula, List<String> assumptions) {
}
