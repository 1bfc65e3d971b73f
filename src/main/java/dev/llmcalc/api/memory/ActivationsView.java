package dev.llmcalc.api.memory;

import java.util.List;

import dev.llmcalc.api.FormulaView;
import dev.llmcalc.core.activation.ActivationEstimate;
import dev.llmcalc.core.activation.LedgerEntry;
import dev.llmcalc.core.activation.StageActivations;
import io.swagger.v3.oas.annotations.media.Schema;

/** The activation estimate as JSON, shared by the activations and training-memory answers. */
public record ActivationsView(
        @Schema(description = "one layer, one micro-batch, one GPU (a MoE layer for MoE models)") long perLayerBytes,
        @Schema(description = "activations kept on the most-loaded GPU at its fullest moment") long totalBytes,
        @Schema(description = "largest short-lived addition: the layer rebuilt under FULL recomputation, or the logits") long transientBytes,
        @Schema(description = "totalBytes + transientBytes") long peakBytes,
        @Schema(description = "pipeline stage of the most-loaded GPU") int pipelineStage,
        @Schema(description = "micro-batches that stage holds at once") long inFlightMicroBatches,
        @Schema(description = "totalBytes by tensor kind") List<LedgerEntry> breakdown,
        @Schema(description = "the per-layer ledgers, per micro-batch") LayerLedgers perLayer,
        @Schema(description = "tensors outside the layers, per micro-batch") OutsideLayers outsideLayers,
        @Schema(description = "every pipeline stage") List<StageView> stages,
        FormulaView documentFormula,
        @Schema(description = "Korthikanti et al. Table 2 per layer, for GPT-shaped blocks") FormulaView referenceFormula) {

    /** Per-layer ledgers for one micro-batch. */
    public record LayerLedgers(List<LedgerEntry> dense, List<LedgerEntry> moe) {
    }

    /** Per-micro-batch tensors on the first and last stage. */
    public record OutsideLayers(List<LedgerEntry> firstStage, List<LedgerEntry> lastStage) {
    }

    /** One stage's activations. */
    public record StageView(int pipelineStage, int layers, long inFlightMicroBatches, long keptBytes,
            long transientBytes, long peakBytes) {

        static StageView of(StageActivations s) {
            return new StageView(s.pipelineStage(), s.layers(), s.inFlightMicroBatches(), s.keptBytes(),
                    s.transientBytes(), s.peakBytes());
        }
    }

    static ActivationsView of(ActivationEstimate e) {
        StageActivations busiest = e.mostLoaded();
        return new ActivationsView(e.perLayerBytes(), e.totalBytes(), e.transientBytes(), e.peakBytes(),
                busiest.pipelineStage(), busiest.inFlightMicroBatches(), e.breakdown(),
                new LayerLedgers(e.denseLayer(), e.moeLayer()), new OutsideLayers(e.firstStage(), e.lastStage()),
                e.stages().stream().map(StageView::of).toList(), FormulaView.of(e.documentFormula()),
                FormulaView.of(e.referenceFormula()));
    }
}
