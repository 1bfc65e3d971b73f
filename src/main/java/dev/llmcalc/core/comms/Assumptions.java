package dev.llmcalc.core.comms;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.run.ActivationOptions;
import dev.llmcalc.core.run.BatchShape;
import dev.llmcalc.core.run.Recomputation;
import dev.llmcalc.core.run.Training;
import dev.llmcalc.core.run.ZeroStage;

/** The communication ledger's assumptions, in words, for this request. */
final class Assumptions {

    private Assumptions() {
    }

    static List<String> of(Architecture model, BatchShape batch, Training training, ActivationOptions o,
            Parallelism par, RankOrder order, Network network, StageTraffic busiest, long microBatches, TrafficShape shape) {
        List<String> list = new ArrayList<>();
        list.add("Per GPU and optimizer step, for the most-loaded GPU: the pipeline stage whose GPU sends the most bytes"
                + (par.pipeline() > 1 ? " (stage " + busiest.pipelineStage() + " of " + par.pipeline() + ", "
                        + busiest.layers() + " layers; every stage's total is listed)" : "")
                + ". bytes = what that GPU sends; it receives as much in every collective used here.");
        list.add(batch.globalBatchSize() == 0
                ? "batch.globalBatchSize not given: one micro-batch per step (m = 1); per-micro-batch traffic (tensor, "
                        + "pipeline, expert, context, ZeRO-2/3) grows with m."
                : "m = globalBatchSize / (microBatchSize × data) = " + batch.globalBatchSize() + " / ("
                        + batch.microBatchSize() + " × " + par.data() + ") = " + microBatches + " micro-batches per step.");
        list.add("Ring collectives under NCCL's bus-bandwidth convention (S = the full buffer): all-reduce sends "
                + "2(n−1)/n·S per rank, all-gather and reduce-scatter (n−1)/n·S, all-to-all (n−1)/n·S, a point-to-point "
                + "send S; shares that do not divide evenly are rounded up (the most-loaded rank).");
        list.add("Element sizes follow training.precision " + training.precision() + ": gradients "
                + training.precision().gradients() + ", gathered weights " + training.precision().weights()
                + ", activations " + o.activationType() + ".");
        list.add(dataParallel(training, par));
        if (par.tensor() > 1) {
            list.add("Tensor parallelism (Megatron-LM): 4 all-reduces of b·(s/c)·h per layer per micro-batch "
                    + (o.sequenceParallel() ? "become 4 all-gathers + 4 reduce-scatters with sequence parallelism (the "
                            + "same volume), plus 2 all-gathers in backward that re-gather the QKV and MLP-up inputs for "
                            + "the weight gradients (Megatron stores them sequence-split)" : "(2 forward, 2 backward)")
                    + (o.recomputation() == Recomputation.FULL ? "; full recomputation runs the forward ones again" : "")
                    + ". MoE layers are counted like dense ones (their experts split t ways). The vocabulary-parallel "
                    + "embedding (first stage) and LM head (last stage) add one collective each per micro-batch"
                    + (o.sequenceParallel() ? " (the LM head three with sequence parallelism)" : "")
                    + "; the cross-entropy's three all-reduces of b·s fp32 scalars are not counted. The backward's 2 "
                    + "input-gradient " + (o.sequenceParallel() ? "reduce-scatters" : "all-reduces") + " per layer (QKV "
                    + "and MLP up) are listed apart (overlapsWith WEIGHT_GRADIENT): Megatron-LM since 2022 runs them "
                    + "while the weight-gradient GEMM computes.");
        }
        if (par.pipeline() > 1) {
            list.add("Pipeline parallelism: per micro-batch and stage boundary b·(s/c)·h activations forward and the same "
                    + "gradient backward" + (o.sequenceParallel() && par.tensor() > 1 ? ", ÷t as each tensor-parallel "
                            + "rank sends its sequence slice" : ", sent in full by every tensor-parallel rank")
                    + (par.virtualPipeline() > 1 ? "; with " + par.virtualPipeline() + " interleaved chunks a GPU sends "
                            + "across " + par.virtualPipeline() + " boundaries each way" : "")
                    + (model.headTiedToEmbedding() ? "; the tied embedding's gradients are all-reduced between the first "
                            + "and last stage once per step" : "")
                    + ". pipelineBytesPerStep sums every stage's sends.");
        }
        if (par.expert() > 1 && model.isMoe()) {
            list.add("Expert parallelism: per MoE layer and micro-batch an all-to-all dispatch and combine of k = "
                    + model.moe().numExpertsPerToken() + " copies of the local tokens' hidden states forward and again "
                    + "backward, over " + par.expert() + " ranks; tokens are assumed spread evenly (no capacity "
                    + "dropping), and each rank's all-to-all keeps the 1/e share addressed to itself"
                    + (par.tensor() > 1 && !o.sequenceParallel() ? "; without sequence parallelism every tensor-parallel "
                            + "rank dispatches the full micro-batch (Megatron-Core requires sequence parallelism for MoE "
                            + "with tensor parallelism, which dispatches 1/t each)" : "")
                    + ". Across nodes, the share addressed to the other nodes leaves on the rank's own card while the "
                    + "share for its node's other ranks crosses NVLink at the same time: the call lasts as long as the "
                    + "slower of the two (Network.allToAllLink). With node-limited routing (moe.maxNodesPerToken M of k "
                    + "experts, DeepSeek-V3 §3.2.2) a token crosses the network once per target node, at most min(M, "
                    + "nodes) of its k remote copies, and NVLink forwards the rest on arrival.");
        }
        if (par.context() > 1) {
            list.add("Context parallelism: ring attention passes each rank's K/V block (" + shape.contextBlock()
                    + " bytes: b·(s/c) tokens × " + (model.hasMla() ? "a·(d_qk + d_v), the up-projected MLA keys and values"
                            : "2·g·d") + " ÷ t) c − 1 times forward, and K/V plus dK/dV backward (twice that)"
                    + (o.recomputation() == Recomputation.FULL ? "; full recomputation repeats the forward passes" : "")
                    + ". Each pass overlaps the attention of the block in hand; only the excess is exposed.");
        }
        list.add("Ranks are numbered in the order '" + order + "' (innermost first"
                + (order.equals(RankOrder.MEGATRON) ? ", Megatron-Core's default" : ", as requested")
                + "); expert groups use Megatron-Core's expert view (tp, ep, dp = d·c/e, pp), so expert-parallel ranks "
                + "sit at stride t." + (training.hybridSharding() ? " Hybrid sharding splits each data group: the shard "
                        + "group is its innermost " + training.shardGroupSize() + " ranks (consecutive data ranks), the "
                        + "replica group the ranks at the same place in every shard group." : "")
                + " A group uses the intra-node link when every copy of it lies inside one node of "
                + "cluster.gpusPerNode GPUs (its aligned block of ranks divides the node), else the inter-node link.");
        if (network == null) {
            list.add("No cluster given: bytes only; link, seconds and exposedSeconds are left out.");
        }
        else {
            list.add("Time per call = α·steps + (busiest rank's bytes in one direction) / bandwidth, with "
                    + network.cluster().gpu().id() + " bandwidths (" + decimal(network.cluster().gpu().intraNodeBandwidth(), -9)
                    + " GB/s intra-node, " + decimal(network.cluster().gpu().interNodeBandwidth(), -9)
                    + " GB/s inter-node, 10^9 bytes/s per GPU per direction) and α = " + decimal(network.intraNodeLatency(), 6)
                    + " µs intra-node, " + decimal(network.interNodeLatency(), 6) + " µs inter-node per step (defaults: NCCL's "
                    + "ring/Simple per-step latencies, 3.4 µs NVLink and 9.6 µs network; NCCL's fixed ~8 µs per call is "
                    + "not added). Collectives of different groups are summed as if they never ran at the same time.");
            list.add("Overlap: data-parallel gradient reduction (all-reduce or ZeRO reduce-scatter), ZeRO-3's prefetched "
                    + "weight all-gathers, the sequence-parallel backward re-gathers and the tensor-parallel "
                    + "input-gradient collectives are counted as hidden behind compute here, whatever they outlast; the "
                    + "other tensor-parallel, pipeline, expert all-to-all and ZeRO-1/2 weight all-gathers (no "
                    + "--overlap-param-gather) as exposed. /checks and /plans price each transfer behind its own window "
                    + "(overlapsWith) and as kernelEfficiency says the framework overlaps (tensorOverlap, "
                    + "gradientReductionOverlap, parameterGatherOverlap, expertOverlap, pipelineOverlap: an interleaved "
                    + "schedule's boundary sends behind compute), so their exposed time may be "
                    + "larger or smaller than this ledger's; a "
                    + "ring-attention pass is exposed only by what exceeds the attention of one block (causal, half a "
                    + "block's QKᵀ and P·V) at " + network.mfu() + " of the GPU's dense BF16 peak.");
        }
        return List.copyOf(list);
    }

    /** x × 10^power as a plain decimal ("450", "3.4"), for GB/s and µs. */
    static String decimal(double x, int power) {
        return BigDecimal.valueOf(x).movePointRight(power).stripTrailingZeros().toPlainString();
    }

    private static String dataParallel(Training training, Parallelism par) {
        ZeroStage zero = training.zeroStage();
        String ranks = !training.hybridSharding()
                ? "over data × context = " + par.denseShardingDegree() + " ranks (Megatron reduces over DP × CP)"
                        + (par.expert() > 1 ? ", expert parameters over data × context / expert = "
                                + par.expertShardingDegree() : "")
                : "inside each shard group of " + training.denseShardingDegree(par) + " consecutive data × context ranks"
                        + (par.expert() > 1 ? " (expert parameters over its " + training.expertShardingDegree(par)
                                + " expert-data ranks)" : "");
        String stage = switch (zero) {
            case ZERO_0 -> "Data parallelism: gradients all-reduced " + ranks + " once per step (accumulated over the "
                    + "micro-batches first).";
            case ZERO_1 -> "ZeRO-1 (Megatron's distributed optimizer): gradients reduce-scattered once per step and the "
                    + "updated weights all-gathered once, " + ranks + ".";
            case ZERO_2 -> "ZeRO-2 (DeepSpeed): gradients reduce-scattered after every micro-batch (no full gradient "
                    + "buffer to accumulate in) and the updated weights all-gathered once per step, " + ranks + ".";
            case ZERO_3 -> "ZeRO-3: weights all-gathered before each micro-batch's forward and again before its "
                    + "backward, gradients reduce-scattered after each micro-batch, " + ranks + ".";
        };
        return !training.hybridSharding() ? stage : stage + " " + hybridSharding(training, par);
    }

    // PyTorch FSDP ShardingStrategy.HYBRID_SHARD; ZeRO++ hpZ (arXiv:2306.10209 §3.2); Megatron-Core's distributed
    // optimizer instances (intra-instance reduce-scatter, inter-instance all-reduce)
    private static String hybridSharding(Training training, Parallelism par) {
        return "Hybrid sharding (PyTorch FSDP HYBRID_SHARD; the in-group sharding of ZeRO++ hpZ): optimizer states"
                + (training.zeroStage().shardsGradients() ? ", gradients" : "")
                + (training.zeroStage().shardsWeights() ? " and weights" : "") + " sharded over shard groups of "
                + training.shardGroupSize() + " GPUs, replicated across data × context / " + training.shardGroupSize()
                + " = " + training.replicaGroups(par) + " groups. The shard groups' collectives above stay inside the "
                + "group (the intra-node link when it fits one node); each rank's gradient shard (1/"
                + training.denseShardingDegree(par) + " of its stage's gradients) is then all-reduced across the "
                + training.replicaGroups(par) + " replica groups once per step, after the last micro-batch, overlapped "
                + "like the data-parallel all-reduce. ZeRO++'s quantized collectives (qwZ, qgZ) and hpZ's secondary "
                + "copy beside globally sharded states are not modelled.";
    }
}
