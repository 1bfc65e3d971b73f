package dev.llmcalc.api.comms;

import dev.llmcalc.api.ActivationsSpec;
import dev.llmcalc.api.BadRequestException;
import dev.llmcalc.api.BatchSpec;
import dev.llmcalc.api.ClusterSpec;
import dev.llmcalc.api.ModelSpec;
import dev.llmcalc.api.ParallelismSpec;
import dev.llmcalc.api.TrainingSpec;
import dev.llmcalc.core.comms.Network;
import dev.llmcalc.core.comms.RankOrder;
import dev.llmcalc.core.hardware.Cluster;
import dev.llmcalc.core.hardware.Efficiency;
import dev.llmcalc.core.unit.InvalidInputException;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.Size;

/** Body of {@code POST /api/v1/communication}; defaults in brackets. */
public record CommunicationRequest(
        @NotNull @Valid ModelSpec model,
        @Schema(description = "micro-batch and sequence length (required); globalBatchSize sets the micro-batches per "
                + "step, m = global / (micro-batch × data) [1]") @Valid BatchSpec batch,
        @Schema(description = "precision (gradient, weight and activation element sizes), ZeRO stage, and method: with "
                + "LORA or QLORA only the adapters are reduced") @Valid TrainingSpec training,
        @Schema(description = "recomputation and sequenceParallel are used; the other fields do not change communication")
        @Valid ActivationsSpec activations,
        @Valid ParallelismSpec parallelism,
        @Schema(description = "the GPUs (gpuCount [data × tensor × pipeline × context]; without parallelism.data, data "
                + "fills it); without a cluster: bytes only")
        @Valid ClusterSpec cluster,
        @Schema(description = "[tp-cp-ep-dp-pp, Megatron-Core's default] rank order over the parallel dimensions, "
                + "innermost first", example = "tp-cp-ep-dp-pp") @Size(max = 40) String placement,
        @Schema(description = "per-step latencies α [NCCL's ring/Simple: 3.4e-6 s NVLink, 9.6e-6 s network]")
        @Valid LatencySpec latency,
        @Schema(description = "[0.4] fraction of the dense BF16 peak attention runs at, to tell how much of a "
                + "ring-attention transfer it hides") @DecimalMin(value = "0", inclusive = false) @DecimalMax("1") Double mfu) {

    /** Per-step latencies of the two kinds of link. */
    @Schema(description = "α per step, seconds")
    public record LatencySpec(
            @Schema(description = "[3.4e-6] inside a node") @PositiveOrZero @DecimalMax("1") Double intraNodeSeconds,
            @Schema(description = "[9.6e-6] across nodes") @PositiveOrZero @DecimalMax("1") Double interNodeSeconds) {
    }

    RankOrder order() {
        if (this.placement == null) {
            return RankOrder.MEGATRON;
        }
        try {
            return RankOrder.parse(this.placement);
        }
        catch (InvalidInputException ex) {
            throw new BadRequestException("placement", ex.reason());
        }
    }

    /**
     * The links and rates, or {@code null} without a cluster.
     *
     * @param gpuCount the GPU count the layout on the cluster settled
     */
    Network network(int gpuCount) {
        if (this.cluster == null) {
            if (this.latency != null || this.mfu != null) {
                throw new BadRequestException(this.latency != null ? "latency" : "mfu",
                        "needs a 'cluster': without one only bytes are computed");
            }
            return null;
        }
        Cluster resolved = this.cluster.toCore("cluster", gpuCount);
        double intra = this.latency != null && this.latency.intraNodeSeconds() != null ? this.latency.intraNodeSeconds()
                : Network.DEFAULT_INTRA_NODE_LATENCY;
        double inter = this.latency != null && this.latency.interNodeSeconds() != null ? this.latency.interNodeSeconds()
                : Network.DEFAULT_INTER_NODE_LATENCY;
        return new Network(resolved, intra, inter, this.mfu != null ? this.mfu : Efficiency.DEFAULT_MFU);
    }
}
