package dev.llmcalc.core.comms;

import static dev.llmcalc.core.comms.Collective.ALL_GATHER;
import static dev.llmcalc.core.comms.Collective.ALL_REDUCE;
import static dev.llmcalc.core.comms.Collective.ALL_TO_ALL;
import static dev.llmcalc.core.comms.Collective.REDUCE_SCATTER;
import static dev.llmcalc.core.comms.Collective.SEND_RECV;

/**
 * Every kind of transfer a training step makes, with what never changes about it: the parallelism it serves, its
 * collective, its group, whether the framework overlaps it with compute, which of the document's formulas describes
 * it, and its description. {@link Traffic} decides when and how often each happens and on how many bytes.
 */
enum TrafficSource {

    // data parallelism and ZeRO (Rajbhandari et al. 2019 §5, §7): the group follows the parameters moved
    DP_GRADIENT_ALL_REDUCE(ParallelismKind.DATA, ALL_REDUCE, null, true, Formula.ZERO, "gradient all-reduce (",
            "), once per step after the last micro-batch's backward"),

    ZERO1_GRADIENT_REDUCE_SCATTER(ParallelismKind.DATA, REDUCE_SCATTER, null, true, Formula.ZERO,
            "ZeRO-1 gradient reduce-scatter (", "), once per step (Megatron distributed optimizer)"),

    ZERO2_GRADIENT_REDUCE_SCATTER(ParallelismKind.DATA, REDUCE_SCATTER, null, true, Formula.ZERO,
            "ZeRO-2 gradient reduce-scatter (",
            "), every micro-batch (DeepSpeed: gradients go to their owners as they are produced)"),

    ZERO1_WEIGHT_ALL_GATHER(ParallelismKind.DATA, ALL_GATHER, null, false, Formula.ZERO,
            "ZeRO-1 all-gather of the updated weights (", "), once per step after the optimizer"),

    ZERO2_WEIGHT_ALL_GATHER(ParallelismKind.DATA, ALL_GATHER, null, false, Formula.ZERO,
            "ZeRO-2 all-gather of the updated weights (", "), once per step after the optimizer"),

    ZERO3_WEIGHT_ALL_GATHER(ParallelismKind.DATA, ALL_GATHER, null, true, Formula.ZERO, "ZeRO-3 weight all-gather (",
            "), layer by layer before forward and again before backward, every micro-batch (prefetched)"),

    ZERO3_GRADIENT_REDUCE_SCATTER(ParallelismKind.DATA, REDUCE_SCATTER, null, true, Formula.ZERO,
            "ZeRO-3 gradient reduce-scatter (", "), layer by layer, every micro-batch"),

    ZERO3_FROZEN_WEIGHT_ALL_GATHER(ParallelismKind.DATA, ALL_GATHER, null, true, Formula.NONE,
            "ZeRO-3 weight all-gather (", ", at their storage precision) layer by layer before forward and again "
                    + "before backward, every micro-batch (prefetched; no gradients to reduce)"),

    // hybrid sharding (PyTorch FSDP ShardingStrategy.HYBRID_SHARD; ZeRO++ hpZ, arXiv:2306.10209 §3.2; Megatron-Core's
    // --num-distributed-optimizer-instances): ZeRO's collectives above run inside the shard group, then each rank's
    // 1/g gradient shard is all-reduced across the d·c/g groups holding the same shard
    REPLICA_GRADIENT_ALL_REDUCE(ParallelismKind.DATA, ALL_REDUCE, null, true, Formula.NONE,
            "hybrid sharding: gradient shard all-reduced across the replica groups (",
            "), once per step after the last micro-batch"),

    // Megatron tensor parallelism (Shoeybi et al. 2019 §3) and sequence parallelism (Korthikanti et al. 2022 §4.2.2)
    TP_LAYER_ALL_REDUCE(ParallelismKind.TENSOR, ALL_REDUCE, TrafficGroup.TENSOR, false, Formula.TENSOR,
            "layers: all-reduce of the attention and MLP outputs (forward), 2 per layer per micro-batch"),

    // Megatron-LM since 2022 (--async-tensor-model-parallel-allreduce, on by default; mpu/layers.py
    // LinearWithGradAccumulationAndAsyncCommunication) launches these asynchronously and runs the weight-gradient GEMM
    // meanwhile
    TP_LAYER_INPUT_GRADIENT_ALL_REDUCE(ParallelismKind.TENSOR, ALL_REDUCE, TrafficGroup.TENSOR, true, Formula.TENSOR,
            "layers: all-reduce of the QKV and MLP-up inputs' gradients (backward), 2 per layer per micro-batch "
                    + "(behind those layers' weight-gradient GEMMs unless kernelEfficiency.tensorOverlap is NONE)"),

    TP_LAYER_ALL_REDUCE_RECOMPUTED(ParallelismKind.TENSOR, ALL_REDUCE, TrafficGroup.TENSOR, false, Formula.NONE,
            "layers: the 2 forward all-reduces again (full recomputation)"),

    SP_LAYER_ALL_GATHER(ParallelismKind.TENSOR, ALL_GATHER, TrafficGroup.TENSOR, false, Formula.TENSOR,
            "layers (sequence parallel): all-gather before attention and MLP (forward) and of the reduce-scatters' "
                    + "gradients (backward), 4 per layer per micro-batch"),

    SP_LAYER_REDUCE_SCATTER(ParallelismKind.TENSOR, REDUCE_SCATTER, TrafficGroup.TENSOR, false, Formula.TENSOR,
            "layers (sequence parallel): reduce-scatter after attention and MLP (forward), 2 per layer per "
                    + "micro-batch"),

    SP_LAYER_INPUT_GRADIENT_REDUCE_SCATTER(ParallelismKind.TENSOR, REDUCE_SCATTER, TrafficGroup.TENSOR, true,
            Formula.TENSOR, "layers (sequence parallel): reduce-scatter of the all-gathers' gradients, the QKV and "
                    + "MLP-up inputs' gradients (backward), 2 per layer per micro-batch (behind those layers' "
                    + "weight-gradient GEMMs unless kernelEfficiency.tensorOverlap is NONE)"),

    SP_LAYER_ALL_GATHER_RECOMPUTED(ParallelismKind.TENSOR, ALL_GATHER, TrafficGroup.TENSOR, false, Formula.NONE,
            "layers (sequence parallel): the 2 forward all-gathers again (full recomputation)"),

    SP_LAYER_REDUCE_SCATTER_RECOMPUTED(ParallelismKind.TENSOR, REDUCE_SCATTER, TrafficGroup.TENSOR, false,
            Formula.NONE, "layers (sequence parallel): the 2 forward reduce-scatters again (full recomputation)"),

    SP_LAYER_INPUT_REGATHER(ParallelismKind.TENSOR, ALL_GATHER, TrafficGroup.TENSOR, true, Formula.NONE,
            "layers (sequence parallel): QKV and MLP-up inputs all-gathered again in backward for the weight gradients "
                    + "(Megatron keeps them sequence-split; overlapped with the input-gradient GEMM)"),

    TP_EMBEDDING_ALL_REDUCE(ParallelismKind.TENSOR, ALL_REDUCE, TrafficGroup.TENSOR, false, Formula.NONE,
            "vocabulary-parallel embedding: output all-reduced (forward)"),

    SP_EMBEDDING_REDUCE_SCATTER(ParallelismKind.TENSOR, REDUCE_SCATTER, TrafficGroup.TENSOR, false, Formula.NONE,
            "vocabulary-parallel embedding: output reduce-scattered into sequence slices (forward)"),

    TP_HEAD_ALL_REDUCE(ParallelismKind.TENSOR, ALL_REDUCE, TrafficGroup.TENSOR, false, Formula.NONE,
            "vocabulary-parallel LM head: input gradient all-reduced (backward)"),

    SP_HEAD_ALL_GATHER(ParallelismKind.TENSOR, ALL_GATHER, TrafficGroup.TENSOR, false, Formula.NONE,
            "vocabulary-parallel LM head: input all-gathered (forward)"),

    SP_HEAD_REDUCE_SCATTER(ParallelismKind.TENSOR, REDUCE_SCATTER, TrafficGroup.TENSOR, false, Formula.NONE,
            "vocabulary-parallel LM head: input gradient reduce-scattered (backward)"),

    SP_HEAD_INPUT_REGATHER(ParallelismKind.TENSOR, ALL_GATHER, TrafficGroup.TENSOR, true, Formula.NONE,
            "vocabulary-parallel LM head: input all-gathered again for the weight gradient (backward, overlapped)"),

    // pipeline parallelism (Narayanan et al. 2021): between two GPUs
    PP_BOUNDARY_SEND(ParallelismKind.PIPELINE, SEND_RECV, TrafficGroup.PIPELINE, false, Formula.PIPELINE,
            "activations to the next stage (forward) and their gradients to the previous stage (backward), per "
                    + "micro-batch and boundary"),

    PP_SCATTER_GATHER_ALL_GATHER(ParallelismKind.PIPELINE, ALL_GATHER, TrafficGroup.TENSOR, false, Formula.NONE,
            "pipeline scatter/gather: each tensor-parallel rank sends 1/t of the boundary tensor and the receiving "
                    + "stage all-gathers it over the tensor group, per micro-batch and boundary (Narayanan et al. 2021 "
                    + "§4.1; Megatron-LM's default without sequence parallelism)"),

    PP_TIED_EMBEDDING_ALL_REDUCE(ParallelismKind.PIPELINE, ALL_REDUCE, TrafficGroup.PIPELINE, false, Formula.NONE,
            "tied word embedding: gradients all-reduced between the first and last stage, once per step"),

    // expert parallelism (Lepikhin et al. 2020; Megatron-Core alltoall dispatcher)
    EP_ALL_TO_ALL(ParallelismKind.EXPERT, ALL_TO_ALL, TrafficGroup.EXPERT, false, Formula.NONE,
            "MoE layers: all-to-all dispatch and combine (forward) and their gradients (backward), 4 per MoE layer per "
                    + "micro-batch"),

    EP_ALL_TO_ALL_RECOMPUTED(ParallelismKind.EXPERT, ALL_TO_ALL, TrafficGroup.EXPERT, false, Formula.NONE,
            "MoE layers: dispatch and combine again (full recomputation)"),

    // ring attention (Liu et al. 2023; Megatron-Core/TE p2p): each pass hides behind the attention of one block
    CP_RING_PASS(ParallelismKind.CONTEXT, SEND_RECV, TrafficGroup.CONTEXT, true, Formula.NONE,
            "ring attention: K/V blocks passed on c − 1 times (forward), K/V and dK/dV blocks passed on c − 1 times "
                    + "each (backward), per layer per micro-batch"),

    CP_RING_PASS_RECOMPUTED(ParallelismKind.CONTEXT, SEND_RECV, TrafficGroup.CONTEXT, true, Formula.NONE,
            "ring attention forward again (full recomputation)");

    /** Which of the document's formulas (seed §3) an entry carries. */
    enum Formula {
        NONE, ZERO, TENSOR, PIPELINE
    }

    private final ParallelismKind kind;

    private final Collective collective;

    private final TrafficGroup group;

    private final boolean overlappable;

    private final Formula formula;

    private final String prefix;

    private final String suffix;

    TrafficSource(ParallelismKind kind, Collective collective, TrafficGroup group, boolean overlappable,
            Formula formula, String description) {
        this(kind, collective, group, overlappable, formula, description, null);
    }

    TrafficSource(ParallelismKind kind, Collective collective, TrafficGroup group, boolean overlappable,
            Formula formula, String prefix, String suffix) {
        this.kind = kind;
        this.collective = collective;
        this.group = group;
        this.overlappable = overlappable;
        this.formula = formula;
        this.prefix = prefix;
        this.suffix = suffix;
    }

    ParallelismKind kind() {
        return this.kind;
    }

    Collective collective() {
        return this.collective;
    }

    /**
     * The group the transfer runs in: its own, or for data parallelism the one of the parameters it moves (with hybrid
     * sharding the layout runs ZeRO's collectives in its shard group, and the replica all-reduce in its replica group).
     */
    TrafficGroup group(ParameterSet parameters) {
        if (this == REPLICA_GRADIENT_ALL_REDUCE) {
            return parameters.replicaGroup();
        }
        return this.group != null ? this.group : parameters.group();
    }

    /** Whether the framework overlaps it with compute (the rule for what is exposed: {@link TransferTime}). */
    boolean overlappable() {
        return this.overlappable;
    }

    /**
     * The compute an overlapped transfer hides behind: ZeRO-3's per-layer gathers and reduce-scatters behind the layer
     * phase they serve; once-per-step gradient reductions behind the last micro-batch's backward; ZeRO-2's
     * per-micro-batch reduce-scatters behind their own micro-batch's backward; the column-parallel layers' input
     * gradients behind the weight-gradient GEMMs; ring-attention passes behind their block's attention; the
     * sequence-parallel re-gathers behind the step.
     */
    OverlapWindow window() {
        if (!this.overlappable) {
            return OverlapWindow.NONE;
        }
        return switch (this) {
            case ZERO3_WEIGHT_ALL_GATHER, ZERO3_GRADIENT_REDUCE_SCATTER, ZERO3_FROZEN_WEIGHT_ALL_GATHER ->
                OverlapWindow.LAYER_PHASE;
            case DP_GRADIENT_ALL_REDUCE, ZERO1_GRADIENT_REDUCE_SCATTER, REPLICA_GRADIENT_ALL_REDUCE ->
                OverlapWindow.LAST_BACKWARD;
            case ZERO2_GRADIENT_REDUCE_SCATTER -> OverlapWindow.EACH_BACKWARD;
            case TP_LAYER_INPUT_GRADIENT_ALL_REDUCE, SP_LAYER_INPUT_GRADIENT_REDUCE_SCATTER ->
                OverlapWindow.WEIGHT_GRADIENT;
            case CP_RING_PASS, CP_RING_PASS_RECOMPUTED -> OverlapWindow.ATTENTION_BLOCK;
            default -> OverlapWindow.STEP;
        };
    }

    /** A pipeline transfer runs between two GPUs (neighbouring stages, or the first and last), not the whole group. */
    boolean pairwise() {
        return this == PP_BOUNDARY_SEND || this == PP_TIED_EMBEDDING_ALL_REDUCE;
    }

    Formula formula() {
        return this.formula;
    }

    /** What is sent, when and why; data-parallel entries name the parameters they move. */
    String describe(ParameterSet parameters) {
        return this.suffix == null ? this.prefix : this.prefix + parameters.description() + this.suffix;
    }
}
