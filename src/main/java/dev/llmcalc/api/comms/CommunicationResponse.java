package dev.llmcalc.api.comms;

import java.util.List;
import java.util.stream.Stream;

import dev.llmcalc.api.ActivationsSpec;
import dev.llmcalc.api.BatchSpec;
import dev.llmcalc.api.FormulaView;
import dev.llmcalc.api.ParallelismSpec;
import dev.llmcalc.api.TrainingSpec;
import dev.llmcalc.core.comms.Collective;
import dev.llmcalc.core.comms.CommunicationEstimate;
import dev.llmcalc.core.comms.CommunicationEstimate.GroupPlacement;
import dev.llmcalc.core.comms.LinkKind;
import dev.llmcalc.core.comms.OverlapWindow;
import dev.llmcalc.core.comms.ParallelismKind;
import dev.llmcalc.core.comms.StageTraffic;
import dev.llmcalc.core.comms.Transfer;
import dev.llmcalc.core.hardware.Cluster;
import io.swagger.v3.oas.annotations.media.Schema;

/** Answer of {@code POST /api/v1/communication}. Seconds are present only when a cluster was given. */
public record CommunicationResponse(
        @Schema(description = "the preset id or 'architecture'") String model,
        BatchSpec batch,
        TrainingSpec training,
        @Schema(description = "the options used, every default written out") ActivationsSpec activations,
        ParallelismSpec parallelism,
        @Schema(description = "rank order, innermost first") String placement,
        @Schema(description = "m, micro-batches per optimizer step") long microBatchesPerStep,
        @Schema(description = "GPU id, or 'custom'") String gpu,
        Integer gpusPerNode,
        @Schema(description = "pipeline stage of the most-loaded GPU (the one that sends most)") int pipelineStage,
        @Schema(description = "layers on that stage") int layersOnStage,
        @Schema(description = "one entry per source of traffic on that GPU, per optimizer step") List<TransferView> perGpuPerStep,
        @Schema(description = "bytes that GPU sends in one step") long totalBytes,
        @Schema(description = "sum of the entries' seconds") Double totalSeconds,
        @Schema(description = "the part not hidden behind compute") Double exposedSeconds,
        @Schema(description = "bytes the pipeline's stage boundaries carry in one step, all stages of one pipeline") long pipelineBytesPerStep,
        @Schema(description = "every pipeline stage's total") List<StageTrafficView> stages,
        @Schema(description = "where each communication group sits and which link it uses") List<CommunicationGroupView> groups,
        List<String> assumptions) {

    /** One source of traffic. */
    public record TransferView(
            ParallelismKind parallelism,
            @Schema(description = "what is sent, when and why") String source,
            Collective collective,
            @Schema(description = "calls per step") long count,
            @Schema(description = "S of one call, bytes (NCCL's convention: the full buffer)") long messageBytes,
            @Schema(description = "bytes this GPU sends in the step: count × bytes sent per rank of one call") long bytes,
            @Schema(description = "ranks in one call") long groupSize,
            LinkKind link,
            @Schema(description = "count × (α·steps + busiest bytes / β)") Double seconds,
            @Schema(description = "the part not hidden behind compute") Double exposedSeconds,
            @Schema(description = "whether the framework overlaps it with compute") boolean overlappable,
            FormulaView documentFormula,
            @Schema(description = "overlapped layer by layer (ZeRO-3 prefetch: behind its forward or backward phase's "
                    + "compute only, as /checks' step time prices it) rather than behind the whole step")
            boolean layerByLayer,
            @Schema(description = "the compute an overlapped transfer hides behind in /checks' step time: NONE (critical "
                    + "path), STEP (the whole step), LAST_BACKWARD (the last micro-batch's backward: once-per-step "
                    + "gradient reductions), EACH_BACKWARD (its own micro-batch's backward: ZeRO-2), WEIGHT_GRADIENT "
                    + "(the weight-gradient GEMMs: the tensor-parallel input-gradient collectives, as "
                    + "kernelEfficiency.tensorOverlap says), LAYER_PHASE (ZeRO-3 prefetch), ATTENTION_BLOCK (ring "
                    + "attention); /checks may also hide NONE transfers when kernelEfficiency asks (tensorOverlap FULL, "
                    + "parameterGatherOverlap, expertOverlap, pipelineOverlap for an interleaved schedule's boundary "
                    + "sends)")
            OverlapWindow overlapsWith) {

        static TransferView of(Transfer t) {
            return new TransferView(t.parallelism(), t.source(), t.collective(), t.count(), t.messageBytes(), t.bytes(),
                    t.groupSize(), t.link(), t.seconds(), t.exposedSeconds(), t.overlappable(),
                    FormulaView.of(t.documentFormula()), t.layerByLayer(), t.overlapsWith());
        }
    }

    /** One stage's totals. */
    public record StageTrafficView(int pipelineStage, int layers, int moeLayers, long totalBytes, Double totalSeconds,
            Double exposedSeconds) {

        static StageTrafficView of(StageTraffic s) {
            return new StageTrafficView(s.pipelineStage(), s.layers(), s.moeLayers(), s.totalBytes(), s.totalSeconds(),
                    s.exposedSeconds());
        }
    }

    /**
     * @param name what the group does
     * @param size ranks in it
     * @param stride rank distance along its innermost dimension
     * @param span width of the aligned block of consecutive ranks that holds it
     * @param link INTRA_NODE when every copy fits in a node (with a cluster)
     */
    public record CommunicationGroupView(String name, long size, long stride, long span, LinkKind link) {

        static CommunicationGroupView of(GroupPlacement g) {
            return new CommunicationGroupView(g.group().name(), g.group().size(), g.group().stride(), g.group().span(), g.link());
        }
    }

    static CommunicationResponse of(String model, CommunicationEstimate e,
            BatchSpec batch, TrainingSpec training, ActivationsSpec activations, ParallelismSpec parallelism,
            Cluster cluster, List<String> layoutAssumptions) {
        StageTraffic busiest = e.busiest();
        return new CommunicationResponse(model, batch, training, activations, parallelism, e.order().toString(),
                e.microBatches(), cluster != null ? cluster.gpu().id() : null,
                cluster != null ? cluster.gpusPerNode() : null, busiest.pipelineStage(), busiest.layers(),
                busiest.transfers().stream().map(TransferView::of).toList(), busiest.totalBytes(),
                busiest.totalSeconds(), busiest.exposedSeconds(), e.pipelineBytesPerStep(),
                e.stages().stream().map(StageTrafficView::of).toList(), e.groups().stream().map(CommunicationGroupView::of).toList(),
                Stream.concat(layoutAssumptions.stream(), e.assumptions().stream()).toList());
    }
}
