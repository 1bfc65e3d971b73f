package dev.llmcalc.core.activation;

import java.util.List;

import dev.llmcalc.core.DocumentFormula;

/**
 * Activation memory of a training run.
 *
 * @param perLayerBytes one layer, one micro-batch, one GPU (the MoE layer for MoE models)
 * @param denseLayer the ledger of a dense layer (empty when every layer is MoE)
 * @param moeLayer the ledger of a MoE layer (empty for dense models)
 * @param firstStage tensors outside the layers kept on the first stage, per micro-batch
 * @param lastStage tensors outside the layers kept on the last stage, per micro-batch
 * @param stages every pipeline stage
 * @param mostLoaded the stage with the highest peak
 * @param documentFormula the source document's M_act for this shape
 * @param referenceFormula Korthikanti et al. Table 2 per layer, for GPT-shaped blocks (else null)
 * @param assumptions what is kept and why
 */
public record ActivationEstimate(long perLayerBytes, List<LedgerEntry> denseLayer, List<LedgerEntry> moeLayer,
        List<LedgerEntry> firstStage, List<LedgerEntry> lastStage, List<StageActivations> stages,
        StageActivations mostLoaded, DocumentFormula documentFormula, DocumentFormula referenceFormula,
        List<String> assumptions) {

    /** Kept activations of the most-loaded GPU. */
    public long totalBytes() {
        return this.mostLoaded.keptBytes();
    }

    public long transientBytes() {
        return this.mostLoaded.transientBytes();
    }

    public long peakBytes() {
        return this.mostLoaded.peakBytes();
    }
}
