package dev.llmcalc.core.memory;

import dev.llmcalc.core.unit.Exact;

/**
 * Model-state bytes on one GPU. The fp32 master copy is inside {@code optimizerStatesBytes}, as the
 * source document counts it (M_optim = 4Φ + 4Φ + 4Φ).
 */
public record ModelStateBytes(long weightsBytes, long gradientsBytes, long optimizerStatesBytes) {

    public long totalBytes() {
        return Exact.sum("perGpu.totalBytes", this.weightsBytes, this.gradientsBytes, this.optimizerStatesBytes);
    }
}
