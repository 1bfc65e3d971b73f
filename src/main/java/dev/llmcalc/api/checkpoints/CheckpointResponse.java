package dev.llmcalc.api.checkpoints;

import java.util.List;

import dev.llmcalc.api.ParallelismSpec;
import dev.llmcalc.api.TrainingSpec;
import dev.llmcalc.core.memory.Checkpoint;
import dev.llmcalc.core.memory.InferencePrecision;
import io.swagger.v3.oas.annotations.media.Schema;

/** Answer of {@code POST /api/v1/checkpoints}. */
public record CheckpointResponse(
        @Schema(description = "the preset id, 'architecture', or 'parameters' for a raw count") String model,
        @Schema(description = "Φ of the whole model") long parameters,
        TrainingSpec training, ParallelismSpec parallelism,
        @Schema(description = "the full training checkpoint: what resuming needs") Full checkpoint,
        @Schema(description = "how it is split over the ranks that write it") Sharding sharding,
        @Schema(description = "the weights alone at exportPrecision") Export export,
        @Schema(description = "save time and its share of training (absent without a storage bandwidth)") Save save,
        List<String> assumptions) {

    /** The full training checkpoint. */
    public record Full(@Schema(description = "parameters whose training state is saved (Φ, or the adapters')")
            long trainedParameters,
            @Schema(description = "working weights at the training precision") long weightsBytes,
            @Schema(description = "fp32 master copy (mixed precision)") long masterWeightsBytes,
            @Schema(description = "optimizer states (Adam: momentum and variance)") long optimizerStatesBytes,
            @Schema(description = "the sum; gradients are not saved") long totalBytes,
            @Schema(description = "totalBytes in GiB (2^30)") double totalGiB) {
    }

    /** The per-rank shards. */
    public record Sharding(@Schema(description = "ranks writing a shard: data × tensor × pipeline × context") long ranks,
            @Schema(description = "the largest shard one rank writes") long perRankBytes,
            @Schema(description = "ranks per node") long ranksPerNode,
            @Schema(description = "what the busiest node writes (perRankBytes × ranksPerNode, at most the total)")
            long perNodeBytes) {
    }

    /** The weights-only export. */
    public record Export(InferencePrecision precision, long bytes, @Schema(description = "bytes in GiB (2^30)") double gib) {
    }

    /** Save time. */
    public record Save(Double writeBandwidthPerNode, Double aggregateWriteBandwidth,
            @Schema(description = "perNodeBytes ÷ writeBandwidthPerNode") Double nodeWriteSeconds,
            @Schema(description = "totalBytes ÷ aggregateWriteBandwidth") Double aggregateWriteSeconds,
            @Schema(description = "the slower of the two: a synchronous save's stall") double seconds,
            Double checkpointEveryMinutes,
            @Schema(description = "seconds ÷ (interval + seconds): share of wall-clock time spent saving")
            Double savingFraction) {
    }

    static CheckpointResponse of(String source, TrainingSpec training, ParallelismSpec parallelism,
            InferencePrecision exportPrecision, CheckpointRequest.Storage storage, Checkpoint c) {
        return new CheckpointResponse(source, c.parameters(), training, parallelism,
                new Full(c.trainedParameters(), c.weightsBytes(), c.masterWeightsBytes(), c.optimizerStatesBytes(),
                        c.totalBytes(), c.totalGiB()),
                new Sharding(c.ranks(), c.perRankBytes(), c.ranksPerNode(), c.perNodeBytes()),
                new Export(exportPrecision, c.exportBytes(), c.exportGiB()),
                c.saveSeconds() == null ? null : new Save(storage.writeBandwidthPerNode(),
                        storage.aggregateWriteBandwidth(), c.nodeWriteSeconds(), c.aggregateWriteSeconds(),
                        c.saveSeconds(), c.everyMinutes(), c.savingFraction()),
                c.assumptions());
    }
}
