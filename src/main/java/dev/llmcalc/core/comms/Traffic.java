package dev.llmcalc.core.comms;

import static dev.llmcalc.core.comms.TrafficShape.Q;

import dev.llmcalc.core.memory.FrozenBase;
import dev.llmcalc.core.params.ParameterCounter;
import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.run.ActivationOptions;
import dev.llmcalc.core.run.Recomputation;
import dev.llmcalc.core.run.Training;
import dev.llmcalc.core.run.ZeroStage;
import dev.llmcalc.core.unit.Exact;

/**
 * The communication rules, written once: which transfers one GPU of a pipeline stage makes in one optimizer step,
 * how often and on how many bytes (seed §3 "大模型训练过程中的通信开销如何计算"; spec formulas.md §5). Each rule is one
 * method; it reports every transfer to a {@link TrafficSink}, in the ledger's order: data, tensor, pipeline, expert,
 * context parallel. The ledger of {@code /communication} and the planner's pricing both run this pass.
 */
final class Traffic {

    /** Megatron TP: all-reduces (or all-gather + reduce-scatter pairs) per layer, forward + backward. */
    static final int TP_PER_LAYER = 4;

    /** Megatron TP: those of the forward pass, run again by full recomputation. */
    static final int TP_FORWARD_PER_LAYER = 2;

    /** Sequence parallelism: column-parallel inputs (QKV, MLP up) re-gathered in backward. */
    static final int SP_REGATHER_PER_LAYER = 2;

    /** Expert parallelism: dispatch and combine, forward and backward. */
    static final int EP_PER_LAYER = 4;

    /** Expert parallelism: dispatch and combine of the forward pass. */
    static final int EP_FORWARD_PER_LAYER = 2;

    /** Ring attention: K/V passes forward (1) and K/V with dK/dV backward (2), per ring step. */
    static final int CP_PASSES = 3;

    /** ZeRO-3 gathers the weights before forward and again before backward. */
    static final int ZERO3_GATHERS = 2;

    private final TrafficLayout layout;

    private final TrafficShape shape;

    private final long m;

    private final Training training;

    private final boolean sequenceParallel;

    private final boolean fullRecompute;

    /**
     * @param microBatches micro-batches per step ({@link TrafficShape#microBatches})
     */
    Traffic(TrafficLayout layout, TrafficShape shape, long microBatches, Training training, ActivationOptions options) {
        if (training.shardGroupSize() != layout.shardGroupSize()) {
            throw new IllegalArgumentException("the layout's groups were built for shard group " + layout.shardGroupSize()
                    + ", not the training's " + training.shardGroupSize());
        }
        this.layout = layout;
        this.shape = shape;
        this.m = microBatches;
        this.training = training;
        this.sequenceParallel = options.sequenceParallel();
        this.fullRecompute = options.recomputation() == Recomputation.FULL;
    }

    /** Reports every transfer of one GPU of {@code stage} to {@code sink}. */
    void stage(TrafficLayout.Stage stage, TrafficSink sink) {
        Parallelism par = this.layout.parallelism();
        // ZeRO-3 gathers and reduce-scatters layer by layer (FSDP's per-block units, DeepSpeed's per-module
        // prefetch): one call per layer, so a call's latency is paid per layer
        int denseUnits = Math.max(1, stage.layers());
        int expertUnits = Math.max(1, stage.moeLayers());
        if (stage.frozen() == null) {
            dataParallel(sink, ParameterSet.DENSE_PARAMETERS, stage.dense(), denseUnits);
            dataParallel(sink, ParameterSet.EXPERT_PARAMETERS, stage.expert(), expertUnits);
        }
        else {
            fineTuningDataParallel(sink, stage.frozen(), denseUnits, expertUnits);
        }
        tensorParallel(sink, stage.layers(), stage.first(), stage.last());
        if (par.pipeline() > 1) {
            pipeline(sink, stage.first(), stage.last());
        }
        if (par.expert() > 1 && stage.moeLayers() > 0) {
            expertParallel(sink, stage.moeLayers());
        }
        if (par.context() > 1 && stage.layers() > 0) {
            contextParallel(sink, stage.layers());
        }
    }

    // DP: all-reduce of the gradients once per step; ZeRO-1 reduce-scatter once (Megatron's distributed
    // optimizer), ZeRO-2 every micro-batch (DeepSpeed), both + all-gather of the updated weights; ZeRO-3
    // all-gathers the weights in forward and backward and reduce-scatters the gradients every micro-batch; with hybrid
    // sharding all of them inside the shard group, then the gradient shard across the replica groups
    private void dataParallel(TrafficSink sink, ParameterSet parameters, long count, int units) {
        dataParallel(sink, parameters, count, units, units);
    }

    private void dataParallel(TrafficSink sink, ParameterSet parameters, long count, int gatherUnits,
            int reduceUnits) {
        if (count == 0) {
            return;
        }
        zero(sink, parameters, count, gatherUnits, reduceUnits);
        replicaReduction(sink, parameters, count);
    }

    // units: the calls ZeRO-3 splits its gathers and its reduce-scatters into, one per layer; each call moves
    // 1/units of the parameters (rounded up)
    private void zero(TrafficSink sink, ParameterSet parameters, long count, int gatherUnits, int reduceUnits) {
        if (this.layout.ranks(parameters.group()) <= 1) {
            return;
        }
        long gradients = this.training.precision().gradients().bytesFor(Q, count);
        long weights = this.training.precision().weights().bytesFor(Q, count);
        switch (this.training.zeroStage()) {
            case ZERO_0 -> sink.add(TrafficSource.DP_GRADIENT_ALL_REDUCE, parameters, 1, gradients);
            case ZERO_1 -> {
                sink.add(TrafficSource.ZERO1_GRADIENT_REDUCE_SCATTER, parameters, 1, gradients);
                sink.add(TrafficSource.ZERO1_WEIGHT_ALL_GATHER, parameters, 1, weights);
            }
            case ZERO_2 -> {
                sink.add(TrafficSource.ZERO2_GRADIENT_REDUCE_SCATTER, parameters, this.m, gradients);
                sink.add(TrafficSource.ZERO2_WEIGHT_ALL_GATHER, parameters, 1, weights);
            }
            case ZERO_3 -> {
                sink.add(TrafficSource.ZERO3_WEIGHT_ALL_GATHER, parameters,
                        Exact.multiply(Q, ZERO3_GATHERS, Exact.multiply(Q, this.m, gatherUnits)),
                        this.training.precision().weights().bytesFor(Q, Exact.ceilDiv(count, gatherUnits)));
                sink.add(TrafficSource.ZERO3_GRADIENT_REDUCE_SCATTER, parameters, Exact.multiply(Q, this.m, reduceUnits),
                        this.training.precision().gradients().bytesFor(Q, Exact.ceilDiv(count, reduceUnits)));
            }
        }
    }

    // PyTorch FSDP ShardingStrategy.HYBRID_SHARD / ZeRO++ hpZ (arXiv:2306.10209 §3.2) / Megatron-Core's distributed
    // optimizer instances: after the shard group's reduce-scatter a rank holds the summed gradients of its 1/g shard
    // (1/(g/e) for experts), all-reduced across the d·c/g replica groups once per step, after the last micro-batch
    private void replicaReduction(TrafficSink sink, ParameterSet parameters, long count) {
        if (!this.layout.hybrid() || this.layout.ranks(parameters.replicaGroup()) <= 1) {
            return;
        }
        long shard = Exact.ceilDiv(count, this.layout.ranks(parameters.group()));
        sink.add(TrafficSource.REPLICA_GRADIENT_ALL_REDUCE, parameters, 1,
                this.training.precision().gradients().bytesFor(Q, shard));
    }

    // Hu et al. 2021: frozen weights get no gradients, so DP / ZeRO reduce (and ZeRO-1/2 re-gather) the adapters
    // only; ZeRO-3 still all-gathers the frozen weights before forward and backward, and never reduces them
    private void fineTuningDataParallel(TrafficSink sink, FrozenBase.Stage stage, int denseUnits, int expertUnits) {
        // the adapters sit in their layer's unit: gathered in the frozen weights' per-layer calls (priced as one call
        // per gather, their latency already paid there), their gradients reduce-scattered per layer
        dataParallel(sink, ParameterSet.DENSE_ADAPTERS, stage.adapterDense(), 1, denseUnits);
        dataParallel(sink, ParameterSet.EXPERT_ADAPTERS, stage.adapterExpert(), 1, expertUnits);
        if (this.training.zeroStage() == ZeroStage.ZERO_3) {
            frozenWeightGather(sink, ParameterSet.FROZEN_DENSE, stage.frozenDenseBytes(), denseUnits);
            frozenWeightGather(sink, ParameterSet.FROZEN_EXPERT, stage.frozenExpertBytes(), expertUnits);
        }
    }

    private void frozenWeightGather(TrafficSink sink, ParameterSet parameters, long bytes, int units) {
        if (bytes == 0 || this.layout.ranks(parameters.group()) <= 1) {
            return;
        }
        sink.add(TrafficSource.ZERO3_FROZEN_WEIGHT_ALL_GATHER, parameters,
                Exact.multiply(Q, ZERO3_GATHERS, Exact.multiply(Q, this.m, units)), Exact.ceilDiv(bytes, units));
    }

    // Megatron TP (Shoeybi et al. 2019 §3): per layer, all-reduce after the attention and MLP row-parallel
    // projections (forward) and of their column-parallel inputs' gradients (backward); with sequence
    // parallelism (Korthikanti et al. 2022 §4.2.2) each becomes an all-gather + reduce-scatter pair
    private void tensorParallel(TrafficSink sink, int layers, boolean first, boolean last) {
        if (this.layout.parallelism().tensor() == 1) {
            return;
        }
        long message = this.shape.tensorParallel();
        long perLayer = Exact.multiply(Q, layers, this.m);
        boolean sp = this.sequenceParallel;
        if (layers > 0) {
            long all = Exact.multiply(Q, TP_PER_LAYER, perLayer);
            long forward = Exact.multiply(Q, TP_FORWARD_PER_LAYER, perLayer);
            long backward = Exact.multiply(Q, TP_PER_LAYER - TP_FORWARD_PER_LAYER, perLayer);
            if (!sp) {
                sink.add(TrafficSource.TP_LAYER_ALL_REDUCE, null, forward, message);
                sink.add(TrafficSource.TP_LAYER_INPUT_GRADIENT_ALL_REDUCE, null, backward, message);
                if (this.fullRecompute) {
                    sink.add(TrafficSource.TP_LAYER_ALL_REDUCE_RECOMPUTED, null, forward, message);
                }
            }
            else {
                sink.add(TrafficSource.SP_LAYER_ALL_GATHER, null, all, message);
                sink.add(TrafficSource.SP_LAYER_REDUCE_SCATTER, null, forward, message);
                sink.add(TrafficSource.SP_LAYER_INPUT_GRADIENT_REDUCE_SCATTER, null, backward, message);
                if (this.fullRecompute) {
                    sink.add(TrafficSource.SP_LAYER_ALL_GATHER_RECOMPUTED, null, forward, message);
                    sink.add(TrafficSource.SP_LAYER_REDUCE_SCATTER_RECOMPUTED, null, forward, message);
                }
                sink.add(TrafficSource.SP_LAYER_INPUT_REGATHER, null, Exact.multiply(Q, SP_REGATHER_PER_LAYER, perLayer),
                        message);
            }
        }
        if (first) {
            sink.add(sp ? TrafficSource.SP_EMBEDDING_REDUCE_SCATTER : TrafficSource.TP_EMBEDDING_ALL_REDUCE, null,
                    this.m, message);
        }
        if (last) {
            if (!sp) {
                sink.add(TrafficSource.TP_HEAD_ALL_REDUCE, null, this.m, message);
            }
            else {
                sink.add(TrafficSource.SP_HEAD_ALL_GATHER, null, this.m, message);
                sink.add(TrafficSource.SP_HEAD_REDUCE_SCATTER, null, this.m, message);
                sink.add(TrafficSource.SP_HEAD_INPUT_REGATHER, null, this.m, message);
            }
        }
    }

    // PP (Narayanan et al. 2021): per micro-batch and boundary, activations forward and their gradient backward;
    // with v interleaved chunks a GPU holds v chunks, so v boundaries each way (one fewer at either end)
    private void pipeline(TrafficSink sink, boolean first, boolean last) {
        Parallelism par = this.layout.parallelism();
        int v = par.virtualPipeline();
        long sends = Exact.multiply(Q, (last ? v - 1 : v) + (first ? v - 1 : v), this.m);
        if (sends > 0) {
            sink.add(TrafficSource.PP_BOUNDARY_SEND, null, sends, this.shape.pipeline());
            if (this.shape.scatterGather()) {
                // each boundary tensor received is gathered whole again on the tensor-parallel ranks
                sink.add(TrafficSource.PP_SCATTER_GATHER_ALL_GATHER, null, sends, this.shape.tensorParallel());
            }
        }
        if (this.layout.model().headTiedToEmbedding() && (first || last)) {
            long slice = Exact.ceilDiv(ParameterCounter.embedding(this.layout.model()), par.tensor());
            sink.add(TrafficSource.PP_TIED_EMBEDDING_ALL_REDUCE, null, 1,
                    this.training.precision().gradients().bytesFor(Q, slice));
        }
    }

    // EP (Lepikhin et al. 2020; Megatron-Core alltoall dispatcher): per MoE layer and micro-batch, dispatch
    // and combine all-to-alls of k copies of the local tokens forward, the same backward
    private void expertParallel(TrafficSink sink, int moeLayers) {
        long perLayer = Exact.multiply(Q, moeLayers, this.m);
        sink.add(TrafficSource.EP_ALL_TO_ALL, null, Exact.multiply(Q, EP_PER_LAYER, perLayer), this.shape.expert());
        if (this.fullRecompute) {
            sink.add(TrafficSource.EP_ALL_TO_ALL_RECOMPUTED, null, Exact.multiply(Q, EP_FORWARD_PER_LAYER, perLayer),
                    this.shape.expert());
        }
    }

    // CP ring attention (Liu et al. 2023; Megatron-Core/TE p2p): per layer and micro-batch, each rank passes
    // its K/V block on c − 1 times forward and, backward, K/V and the dK/dV partial sums: 2(c−1)/c·b·s·g·d
    // forward, twice that backward
    private void contextParallel(TrafficSink sink, int layers) {
        long rounds = Exact.multiply(Q, this.layout.parallelism().context() - 1L, layers, this.m);
        sink.add(TrafficSource.CP_RING_PASS, null, Exact.multiply(Q, CP_PASSES, rounds), this.shape.contextBlock());
        if (this.fullRecompute) {
            sink.add(TrafficSource.CP_RING_PASS_RECOMPUTED, null, rounds, this.shape.contextBlock());
        }
    }
}
