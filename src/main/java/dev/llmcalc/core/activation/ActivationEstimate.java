package dev.llmcalc.core.activation;

import java.util.List;

import dev.llmcalc.core.DocumentFormula;
import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.run.ActivationOptions;
import dev.llmcalc.core.run.BatchShape;

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
 * @param model the architecture
 * @param batch the batch shape
 * @param options what is kept
 * @param parallelism the layout
 * @param microBatches micro-batches per step, or 0 when unknown
 */
public record ActivationEstimate(long perLayerBytes, List<LedgerEntry> denseLayer, List<LedgerEntry> moeLayer,
        List<LedgerEntry> firstStage, List<LedgerEntry> lastStage, List<StageActivations> stages,
        StageActivations mostLoaded, Architecture model, BatchShape batch, ActivationOptions options,
        Parallelism parallelism, long microBatches) {

    /** The source document's M_act for this shape (built on demand: it formats text). */
    public DocumentFormula documentFormula() {
        return ActivationCalculator.documentFormula(this.model, this.batch, totalBytes());
    }

    /** Korthikanti et al. Table 2 per layer, for GPT-shaped blocks (else null). */
    public DocumentFormula referenceFormula() {
        return ActivationCalculator.korthikanti(this.model, this.batch, this.options, this.parallelism,
                ActivationLedger.total(this.denseLayer) - ActivationCalculator.normStatistics(this.denseLayer));
    }

    /** What is kept and why, in words. */
    public List<String> assumptions() {
        return ActivationCalculator.assumptions(this.model, this.options, this.parallelism, this.microBatches);
    }

    /** The most-loaded GPU's kept bytes by tensor kind (built on demand: a layout search does not need it). */
    public List<LedgerEntry> breakdown() {
        return ActivationCalculator.breakdown(this, this.mostLoaded);
    }

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
