package dev.llmcalc.core.activation;

import dev.llmcalc.core.unit.Exact;

/**
 * The per-micro-batch totals a layout search needs, computed once per (model, micro-batch, tensor and
 * context degree, options) and reused for every pipeline and data-parallel degree: stage bytes then follow
 * by arithmetic, exactly as {@link ActivationCalculator#estimate} adds them (entry by entry when interleaved, as it
 * rounds each entry up).
 *
 * @param denseLayerBytes one dense layer
 * @param moeLayerBytes one MoE layer
 * @param firstStageBytes outside the layers on the first stage
 * @param lastStageBytes outside the layers on the last stage
 * @param rebuiltDenseBytes a dense layer rebuilt under full recomputation (0 otherwise)
 * @param rebuiltMoeBytes a MoE layer rebuilt under full recomputation (0 otherwise)
 * @param logitsBytes the logits' transient on the last stage
 * @param denseEntryBytes one dense layer's ledger entries (their sum is {@code denseLayerBytes}); not to be modified
 * @param moeEntryBytes one MoE layer's ledger entries; not to be modified
 */
public record ActivationProfile(long denseLayerBytes, long moeLayerBytes, long firstStageBytes, long lastStageBytes,
        long rebuiltDenseBytes, long rebuiltMoeBytes, long logitsBytes, long[] denseEntryBytes, long[] moeEntryBytes) {

    private static final String Q = ActivationLedger.QUANTITY;

    /** Kept bytes of a stage with these layers and in-flight micro-batches (1F1B without interleaving). */
    public long keptBytes(int denseLayers, int moeLayers, long inFlight, boolean first, boolean last) {
        long layers = Exact.add(Q, Exact.multiply(Q, this.denseLayerBytes, denseLayers),
                Exact.multiply(Q, this.moeLayerBytes, moeLayers));
        long outside = (first ? this.firstStageBytes : 0) + (last ? this.lastStageBytes : 0);
        return Exact.multiply(Q, Exact.add(Q, layers, outside), inFlight);
    }

    /**
     * The same on an interleaved pipeline of p stages and v chunks per stage: each layer entry scaled as
     * {@link ActivationCalculator#interleaved} scales it, the stage's outside bytes not.
     */
    public long keptBytes(int denseLayers, int moeLayers, long inFlight, boolean first, boolean last, int pipeline,
            int virtualPipeline) {
        if (virtualPipeline == 1) {
            return keptBytes(denseLayers, moeLayers, inFlight, first, last);
        }
        long bytes = Exact.add(Q, entries(this.denseEntryBytes, denseLayers, inFlight, pipeline, virtualPipeline),
                entries(this.moeEntryBytes, moeLayers, inFlight, pipeline, virtualPipeline));
        if (first) {
            bytes = Exact.add(Q, bytes, Exact.multiply(Q, this.firstStageBytes, inFlight));
        }
        if (last) {
            bytes = Exact.add(Q, bytes, Exact.multiply(Q, this.lastStageBytes, inFlight));
        }
        return bytes;
    }

    private static long entries(long[] entryBytes, int layers, long inFlight, int pipeline, int virtualPipeline) {
        long total = 0;
        for (long entry : entryBytes) {
            total = Exact.add(Q, total, ActivationCalculator.interleaved(entry, layers, inFlight, pipeline,
                    virtualPipeline));
        }
        return total;
    }

    /** The largest transient of such a stage: a rebuilt layer, or the logits on the last stage. */
    public long transientBytes(int denseLayers, int moeLayers, boolean last) {
        long rebuilt = Math.max(denseLayers > 0 ? this.rebuiltDenseBytes : 0, moeLayers > 0 ? this.rebuiltMoeBytes : 0);
        return last ? Math.max(rebuilt, this.logitsBytes) : rebuilt;
    }
}
