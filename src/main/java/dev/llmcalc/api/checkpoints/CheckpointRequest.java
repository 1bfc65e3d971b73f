package dev.llmcalc.api.checkpoints;

import dev.llmcalc.api.ModelSpec;
import dev.llmcalc.api.ParallelismSpec;
import dev.llmcalc.api.TrainingSpec;
import dev.llmcalc.core.memory.CheckpointStorage;
import dev.llmcalc.core.memory.InferencePrecision;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Positive;

/** Body of {@code POST /api/v1/checkpoints}: {@code model} or {@code parameters}, the run, and the storage. */
public record CheckpointRequest(
        @Schema(description = "the model (exactly one of model / parameters)") @Valid ModelSpec model,
        @Schema(description = "a raw parameter count Φ instead of a model", example = "176247271424") @Positive Long parameters,
        @Schema(description = "precision and optimizer set what the checkpoint holds; LORA / QLORA save the adapters' "
                + "states; zeroStage shards it") @Valid TrainingSpec training,
        @Schema(description = "the layout: every rank writes its shard") @Valid ParallelismSpec parallelism,
        @Schema(description = "[8] GPUs per node, i.e. ranks sharing one node's storage bandwidth") @Positive @Max(1_000_000)
        Integer gpusPerNode,
        @Schema(description = "[BF16] precision of the weights-only export") InferencePrecision exportPrecision,
        @Schema(description = "write bandwidths; without either no save time is reported") @Valid Storage storage,
        @Schema(description = "minutes of training between two saves; gives the share of time spent saving",
                example = "60") @Positive @DecimalMax("1e9") Double checkpointEveryMinutes) {

    /** Where checkpoints are written. */
    @Schema(description = "Storage write bandwidth, bytes/s (decimal: 1 GB/s = 1e9)")
    public record Storage(
            @Schema(description = "bytes/s one node writes (its NIC or local disks)", example = "5e9")
            @Positive @DecimalMax("1e16") Double writeBandwidthPerNode,
            @Schema(description = "bytes/s the storage system takes from all nodes together", example = "1e11")
            @Positive @DecimalMax("1e16") Double aggregateWriteBandwidth) {

        static CheckpointStorage toCore(Storage storage) {
            return storage == null ? CheckpointStorage.UNKNOWN
                    : new CheckpointStorage(storage.writeBandwidthPerNode, storage.aggregateWriteBandwidth);
        }
    }
}
