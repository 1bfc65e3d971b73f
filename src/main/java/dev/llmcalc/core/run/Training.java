package dev.llmcalc.core.run;

import static dev.llmcalc.core.unit.InvalidInputException.require;

import dev.llmcalc.core.hardware.GpuSpec;
import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.unit.DType;
import dev.llmcalc.core.unit.InvalidInputException;

/**
 * How the model is trained: precision, optimizer, ZeRO stage, what is offloaded and, for hybrid sharding, the shard
 * group.
 *
 * @param shardGroupSize hybrid sharding (PyTorch FSDP {@code ShardingStrategy.HYBRID_SHARD}; the in-group sharding of
 *        ZeRO++'s hpZ, Wang et al. 2023, arXiv:2306.10209 §3.2): what the ZeRO stage partitions is partitioned over
 *        groups of this many consecutive data × context ranks and replicated across the d·c/g groups;
 *        {@link #WHOLE_DATA_GROUP} (0) partitions over all data × context ranks, as plain ZeRO does
 */
public record Training(Precision precision, Optimizer optimizer, ZeroStage zeroStage, Offload offload,
        int shardGroupSize) {

    /** No hybrid sharding: ZeRO partitions over every data × context rank. */
    public static final int WHOLE_DATA_GROUP = 0;

    /** The request field hybrid sharding's problems name. */
    public static final String SHARD_GROUP_FIELD = "training.shardGroupSize";

    public static final Training DEFAULT = new Training(Precision.MIXED_BF16, Optimizer.ADAMW, ZeroStage.ZERO_0);

    public Training {
        require(precision != null, "precision", "is required");
        require(optimizer != null, "optimizer", "is required");
        require(zeroStage != null, "zeroStage", "is required");
        require(offload != null, "offload", "is required (Offload.NONE for none)");
        // DeepSpeed: offload_optimizer needs ZeRO-1, 2 or 3; offload_param partitions the weights, so ZeRO-3 only
        require(offload.optimizer() == OffloadDevice.NONE || zeroStage != ZeroStage.ZERO_0, "offload.optimizer",
                "needs ZeRO-1, 2 or 3 (DeepSpeed offloads the partitioned optimizer states)");
        require(offload.parameters() == OffloadDevice.NONE || zeroStage == ZeroStage.ZERO_3, "offload.parameters",
                "needs ZeRO-3: only partitioned weights can leave the GPU between uses");
        require(offload.parameters() == OffloadDevice.NONE || !precision.fp8().any(), "offload.parameters",
                "is not modelled with " + precision + " yet (its FP8 weight copies live beside the gathered layer)");
        require(shardGroupSize >= 0 && shardGroupSize <= Parallelism.MAX_DEGREE, SHARD_GROUP_FIELD,
                "must be between 1 and " + Parallelism.MAX_DEGREE + " (or absent: shard over all data × context ranks)");
        require(shardGroupSize == WHOLE_DATA_GROUP || zeroStage != ZeroStage.ZERO_0, SHARD_GROUP_FIELD,
                "needs ZeRO-1, 2 or 3: at ZeRO-0 nothing is sharded, so there is no shard group");
    }

    /** Without hybrid sharding. */
    public Training(Precision precision, Optimizer optimizer, ZeroStage zeroStage, Offload offload) {
        this(precision, optimizer, zeroStage, offload, WHOLE_DATA_GROUP);
    }

    /** FP8 GEMMs need an FP8 tensor core: refused on a GPU whose catalog entry has no FP8 peak (A100, V100, …). */
    public void requireRunsOn(GpuSpec gpu) {
        if (this.precision.fp8().any() && gpu.peakFlops(DType.FP8).isEmpty()) {
            throw new InvalidInputException("training.precision", this.precision + " needs FP8 tensor cores; "
                    + gpu.id() + " has no FP8 peak (Hopper, Ada, Blackwell or MI300 do)");
        }
    }

    /** Nothing offloaded. */
    public Training(Precision precision, Optimizer optimizer, ZeroStage zeroStage) {
        this(precision, optimizer, zeroStage, Offload.NONE);
    }

    /** Whether ZeRO's partitions are replicated across shard groups (hybrid sharding). */
    public boolean hybridSharding() {
        return this.shardGroupSize != WHOLE_DATA_GROUP;
    }

    /**
     * Ranks over which the ZeRO stage partitions a copy of the dense parameters' states: data × context, or with hybrid
     * sharding the shard group. Every calculator that partitions (model states, offload buffers, fine-tuning and frozen
     * weights, the step time's optimizer update, the communication groups) divides by this or by
     * {@link #expertShardingDegree}, so they cannot disagree.
     */
    // Rajbhandari et al. 2019 §5: partitions over the data-parallel ranks (Megatron: DP × CP); PyTorch FSDP
    // ShardingStrategy.HYBRID_SHARD and ZeRO++ hpZ (arXiv:2306.10209 §3.2): over the g ranks of a shard group instead
    public long denseShardingDegree(Parallelism par) {
        if (this.shardGroupSize == WHOLE_DATA_GROUP) {
            return par.denseShardingDegree();
        }
        requireShardGroupFits(par);
        return this.shardGroupSize;
    }

    /**
     * The same for routed experts: the dense degree ÷ expert, so that dense and expert states are replicated across the
     * same number of groups ({@link #replicaGroups}). Without hybrid sharding that is data × context / expert; with
     * it g / e: in Megatron-Core's order (tp-cp-ep-dp-pp) expert-parallel ranks are the innermost data ranks, so a shard
     * group of g consecutive data ranks holds each expert g / e times.
     */
    public long expertShardingDegree(Parallelism par) {
        return denseShardingDegree(par) / par.expert();
    }

    /** Groups that each hold a full copy of the partitioned states: d·c / g with hybrid sharding, else 1. */
    public long replicaGroups(Parallelism par) {
        return par.denseShardingDegree() / denseShardingDegree(par);
    }

    /**
     * Hybrid sharding's rules against the layout: g divides data × context (the groups tile the data ranks) and is a
     * multiple of expert (each shard group holds whole expert-parallel groups). Nothing to check without it.
     */
    public void requireShardGroupFits(Parallelism par) {
        if (this.shardGroupSize == WHOLE_DATA_GROUP) {
            return;
        }
        // messages built only on failure: this runs inside every estimate that partitions
        long data = par.denseShardingDegree();
        if (data % this.shardGroupSize != 0) {
            throw new InvalidInputException(SHARD_GROUP_FIELD, "(" + this.shardGroupSize + ") must divide data × context ("
                    + data + "): shard groups tile the ZeRO sharding group, each a full replica of the states");
        }
        if (this.shardGroupSize % par.expert() != 0) {
            throw new InvalidInputException(SHARD_GROUP_FIELD, "(" + this.shardGroupSize + ") must be a multiple of "
                    + "parallelism.expert (" + par.expert() + "): each shard group holds whole expert-parallel groups");
        }
    }

    // Rajbhandari et al. 2019 §3.1: K = optimizer bytes per parameter, incl. the fp32 master copy (12 for mixed Adam)
    public int optimizerBytesPerParameter() {
        return this.optimizer.stateBytes() + (this.precision.masterCopy() ? 4 : 0);
    }

    /** Weights + gradients + optimizer states per parameter before any sharding (16 for Adam, 18 for Megatron's default). */
    public int bytesPerParameter() {
        return weightBytes() + gradientBytes() + optimizerBytesPerParameter();
    }

    public int weightBytes() {
        return this.precision.weights().bits() / 8;
    }

    public int gradientBytes() {
        return this.precision.gradients().bits() / 8;
    }
}
