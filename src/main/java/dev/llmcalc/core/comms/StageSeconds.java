package dev.llmcalc.core.comms;

/**
 * One stage's communication seconds in a step, split by what compute can hide them ({@link OverlapWindow}).
 *
 * @param total every transfer's seconds
 * @param exposed the ledger's exposed seconds: transfers on the critical path, and what ring-attention passes leave
 *        beyond their block's attention
 * @param layerByLayer ZeRO-3's per-layer gathers and reduce-scatters ({@link OverlapWindow#LAYER_PHASE})
 * @param lastBackward gradient reductions behind the last micro-batch's backward ({@link OverlapWindow#LAST_BACKWARD})
 * @param eachBackward gradient reductions behind each micro-batch's backward, all micro-batches together
 *        ({@link OverlapWindow#EACH_BACKWARD})
 */
public record StageSeconds(double total, double exposed, double layerByLayer, double lastBackward,
        double eachBackward) {

    /** What hides behind the whole step's compute ({@link OverlapWindow#STEP}). */
    public double stepOverlapped() {
        return this.total - this.exposed - this.layerByLayer - this.lastBackward - this.eachBackward;
    }
}
