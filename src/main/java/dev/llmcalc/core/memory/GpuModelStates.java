package dev.llmcalc.core.memory;

import java.util.List;

import dev.llmcalc.core.DocumentFormula;
import dev.llmcalc.core.parallel.LocalParameters;

/**
 * The model states of the most-loaded GPU, whatever is trained: every parameter ({@link ModelStates}) or LoRA /
 * QLoRA adapters over frozen weights ({@link AdapterModelStates}).
 */
public sealed interface GpuModelStates permits ModelStates, AdapterModelStates {

    /** The parameters that GPU holds before ZeRO partitioning, and its pipeline stage. */
    LocalParameters local();

    /** Weights + gradients + optimizer bytes per trained parameter before partitioning (16, 18, …). */
    int bytesPerParameter();

    /** Per-GPU bytes divided by the parameters the GPU serves (falls with ZeRO). */
    double effectiveBytesPerParameter();

    /** Ranks the dense ZeRO partitions are spread over (data × context). */
    long zeroShards();

    /** The document's formula for this case (built on demand: it formats text). */
    DocumentFormula documentFormula();

    /** What the numbers assume, in words. */
    List<String> assumptions();
}
