package dev.llmcalc.core.comms;

import static dev.llmcalc.core.unit.InvalidInputException.require;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.llmcalc.core.DocumentFormula;
import dev.llmcalc.core.comms.CommunicationEstimate.GroupPlacement;
import dev.llmcalc.core.comms.RankOrder.Dimension;
import dev.llmcalc.core.comms.RankOrder.Group;
import dev.llmcalc.core.memory.FrozenBase;
import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.parallel.LocalParameters;
import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.parallel.ParameterPlacement;
import dev.llmcalc.core.params.ParameterCounter;
import dev.llmcalc.core.run.ActivationOptions;
import dev.llmcalc.core.run.BatchShape;
import dev.llmcalc.core.run.Recomputation;
import dev.llmcalc.core.run.Training;
import dev.llmcalc.core.run.ZeroStage;
import dev.llmcalc.core.unit.DType;
import dev.llmcalc.core.unit.Exact;
import dev.llmcalc.core.unit.InvalidInputException;

/**
 * Bytes (and, on a cluster, seconds) each GPU sends in one optimizer step, one entry per source of
 * traffic: data-parallel gradient all-reduce or ZeRO-1/2/3 collectives, Megatron tensor parallelism (with
 * sequence parallelism and full recomputation), pipeline boundaries, expert all-to-all and ring-attention
 * context parallelism (seed §3 "大模型训练过程中的通信开销如何计算"; spec formulas.md §5).
 */
public final class CommunicationCalculator {

    static final String Q = "perGpuPerStep.bytes";

    private static final String DOCUMENT = "seed §3 大模型训练过程中的通信开销如何计算";

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

    /** A pipeline boundary and a tied-embedding pair are two GPUs. */
    static final int PAIR = 2;

    private CommunicationCalculator() {
    }

    /**
     * @param network links and latencies, or {@code null} for bytes only
     */
    public static CommunicationEstimate estimate(Architecture model, BatchShape batch, Training training,
            ActivationOptions options, Parallelism par, RankOrder order, Network network) {
        return estimate(model, batch, training, options, par, order, network, true);
    }

    /**
     * @param network links and latencies, or {@code null} for bytes only
     * @param withFormulas whether to attach the document's formulas and the assumptions (text a layout search
     *        does not need)
     */
    public static CommunicationEstimate estimate(Architecture model, BatchShape batch, Training training,
            ActivationOptions options, Parallelism par, RankOrder order, Network network, boolean withFormulas) {
        return estimate(model, batch, training, options, par, order, network, withFormulas, null);
    }

    /**
     * @param frozen a LoRA / QLoRA run's adapters and frozen weights per stage, or {@code null} for full training
     */
    public static CommunicationEstimate estimate(Architecture model, BatchShape batch, Training training,
            ActivationOptions options, Parallelism par, RankOrder order, Network network, boolean withFormulas,
            FrozenBase frozen) {
        par.requireFits(model);
        if (frozen != null && frozen.stages().size() != par.pipeline()) {
            throw new IllegalArgumentException("one frozen-base entry per pipeline stage is needed");
        }
        order.requireConsistent(par);
        if (network != null) {
            require(network.cluster().gpuCount() == par.gpuCount(), "cluster.gpuCount",
                    "must equal data × tensor × pipeline × context (" + par.gpuCount() + ") for the communication ledger");
        }
        Shape shape = Shape.of(model, batch, options, par);
        long microBatches = microBatchesPerStep(batch, par);

        Map<Dimension, Long> dense = RankOrder.denseView(par);
        Map<Dimension, Long> expert = RankOrder.expertView(par);
        Map<String, Group> groups = new LinkedHashMap<>();
        groups.put("tensor", order.group("tensor", Set.of(Dimension.TP), dense));
        groups.put("context", order.group("context", Set.of(Dimension.CP), dense));
        groups.put("data", order.group("data × context (dense gradients)", Set.of(Dimension.CP, Dimension.DP), dense));
        groups.put("expert", order.group("expert", Set.of(Dimension.EP), expert));
        groups.put("expertData", order.group("expert data = data × context / expert (expert gradients)",
                Set.of(Dimension.DP), expert));
        groups.put("pipeline", order.group("pipeline", Set.of(Dimension.PP), dense));
        groups.values().forEach((g) -> require(g.size() <= Collectives.MAX_RANKS, "parallelism",
                "gives a " + g.name() + " group of " + g.size() + " ranks; at most " + Collectives.MAX_RANKS));
        Map<String, Link> links = new HashMap<>();
        List<GroupPlacement> placements = new ArrayList<>();
        for (Map.Entry<String, Group> entry : groups.entrySet()) {
            LinkKind kind = network == null ? null
                    : entry.getValue().link(network.cluster().gpusPerNode(), par.gpuCount());
            if (kind != null) {
                links.put(entry.getKey(), network.link(kind));
            }
            boolean expertGroup = entry.getKey().startsWith("expert");
            if (entry.getValue().size() > 1 && (model.isMoe() || !expertGroup)) {
                placements.add(new GroupPlacement(entry.getValue(), kind));
            }
        }

        long phi = ParameterCounter.count(model).totalParameters();
        Context context = new Context(model, training, options, par, shape, microBatches, groups, links, network, phi,
                withFormulas, frozen);
        List<StageTraffic> stages = new ArrayList<>();
        StageTraffic busiest = null;
        int start = 0;
        long pipelineBytes = 0;
        for (LocalParameters local : ParameterPlacement.stages(model, par)) {
            int denseFfn = Math.max(0, Math.min(start + local.layers(), model.denseFfnLayers()) - start);
            StageTraffic stage = context.stage(local, local.layers() - denseFfn);
            stages.add(stage);
            if (busiest == null || stage.totalBytes() > busiest.totalBytes()) {
                busiest = stage;
            }
            pipelineBytes = Exact.add(Q, pipelineBytes, stage.transfers().stream()
                    .filter((t) -> t.collective() == Collective.SEND_RECV && t.parallelism() == ParallelismKind.PIPELINE)
                    .mapToLong(Transfer::bytes).sum());
            start += local.layers();
        }
        List<String> assumptions = withFormulas ? Assumptions.of(model, batch, training, options, par, order, network,
                busiest, microBatches, shape) : List.of();
        if (withFormulas && frozen != null) {
            List<String> withFrozen = new ArrayList<>(assumptions);
            withFrozen.add("LoRA / QLoRA: only the adapters get gradients, so the data-parallel reduction (and ZeRO-1/2's "
                    + "all-gather of updated weights) moves adapter bytes only; under ZeRO-3 the frozen weights are still "
                    + "all-gathered before forward and backward, at their storage precision, and never reduced; tensor, "
                    + "pipeline, expert and context traffic are those of full training (the backward pass still carries "
                    + "input gradients through the frozen layers). The document's 2Φ/3Φ counts full training and is not "
                    + "attached to the adapter transfers.");
            assumptions = List.copyOf(withFrozen);
        }
        return new CommunicationEstimate(busiest, stages, microBatches, order, placements, pipelineBytes, assumptions);
    }

    /** m = global batch / (micro-batch × data parallel); 1 when the global batch is not given. */
    static long microBatchesPerStep(BatchShape batch, Parallelism par) {
        if (batch.globalBatchSize() == 0) {
            return 1;
        }
        long perStep = Exact.multiply("microBatches", batch.microBatchSize(), par.data());
        if (batch.globalBatchSize() % perStep != 0) {
            throw new InvalidInputException("batch.globalBatchSize",
                    "must be a multiple of microBatchSize × parallelism.data (" + perStep + ")");
        }
        return batch.globalBatchSize() / perStep;
    }

    /**
     * The message sizes of one micro-batch on one GPU.
     *
     * @param tokens R = b·s/c, the tokens of a micro-batch on one context-parallel rank
     * @param sequenceParallelTokens R/t with sequence parallelism (each tensor-parallel rank holds a slice), else R
     * @param tensorParallel bytes of one R × h activation: the all-reduce buffer (all-gather output, reduce-scatter input)
     * @param pipeline bytes one GPU sends across a stage boundary: sequenceParallelTokens × h
     * @param expert bytes of one all-to-all: k copies of sequenceParallelTokens × h
     * @param contextBlock bytes of one K and V block of the local heads: R × (K + V width)/t
     * @param blockFlops attention FLOPs of one query block against one K/V block, causal (half the block)
     */
    record Shape(long microBatchSize, long sequenceLength, long hidden, long tokens, long sequenceParallelTokens,
            long tensorParallel, long pipeline, long expert, long contextBlock, double blockFlops) {

        static Shape of(Architecture m, BatchShape batch, ActivationOptions o, Parallelism par) {
            long s = batch.sequenceLength();
            int t = par.tensor();
            // messages built only on failure: a layout search calls this for every candidate it prices
            if (s % par.context() != 0) {
                throw new InvalidInputException("batch.sequenceLength",
                        "must be divisible by parallelism.context (" + par.context() + ")");
            }
            long local = s / par.context();
            if (o.sequenceParallel() && local % t != 0) {
                throw new InvalidInputException("batch.sequenceLength", "must be divisible by tensor × context ("
                        + (long) t * par.context() + ") with sequence parallelism");
            }
            DType type = o.activationType();
            long tokens = Exact.multiply(Q, batch.microBatchSize(), local);
            long spTokens = o.sequenceParallel() ? tokens / t : tokens;
            long hidden = m.hiddenSize();
            int k = m.isMoe() ? m.moe().numExpertsPerToken() : 0;
            return new Shape(batch.microBatchSize(), s, hidden, tokens, spTokens,
                    type.bytesFor(Q, Exact.multiply(Q, tokens, hidden)),
                    type.bytesFor(Q, Exact.multiply(Q, spTokens, hidden)),
                    type.bytesFor(Q, Exact.multiply(Q, k, spTokens, hidden)),
                    type.bytesFor(Q, Exact.multiply(Q, tokens, keyValueWidth(m) / t)),
                    attentionBlockFlops(m, tokens, local, t));
        }
    }

    // ring attention passes K and V of every local head: 2·g·d per token; MLA passes the up-projected
    // keys and values: a·(d_qk + d_v) per token (Megatron-Core MLA feeds them to the same ring kernel)
    static long keyValueWidth(Architecture m) {
        if (m.hasMla()) {
            return (long) m.numAttentionHeads() * (m.mla().qkHeadDim() + m.mla().vHeadDim());
        }
        return 2L * m.numKeyValueHeads() * m.headDim();
    }

    // QKᵀ and P·V of one (s/c)-query block against one (s/c)-key block on a/t heads: 2·R·(s/c)·(a/t)·(d_qk + d_v);
    // with a causal mask and load-balanced chunks (Megatron-Core/TE) a ring step computes about half of that
    static double attentionBlockFlops(Architecture m, long tokens, long localSequence, int t) {
        double widths = m.hasMla() ? m.mla().qkHeadDim() + m.mla().vHeadDim() : 2.0 * m.headDim();
        return (double) tokens * localSequence * ((double) m.numAttentionHeads() / t) * widths;
    }

    /** Everything one stage's ledger needs. */
    private record Context(Architecture model, Training training, ActivationOptions options, Parallelism par,
            Shape shape, long microBatches, Map<String, Group> groups, Map<String, Link> links, Network network,
            long phi, boolean formulas, FrozenBase frozen) {

        StageTraffic stage(LocalParameters local, int moeLayers) {
            Ledger ledger = new Ledger(this);
            int layers = local.layers();
            int p = this.par.pipeline();
            boolean first = local.pipelineStage() == 0;
            boolean last = local.pipelineStage() == p - 1;
            if (this.frozen == null) {
                dataParallel(ledger, local);
            }
            else {
                fineTuningDataParallel(ledger, this.frozen.stages().get(local.pipelineStage()));
            }
            tensorParallel(ledger, layers, first, last);
            if (p > 1) {
                pipeline(ledger, local.pipelineStage(), first, last);
            }
            if (this.par.expert() > 1 && moeLayers > 0) {
                expertParallel(ledger, moeLayers);
            }
            if (this.par.context() > 1 && layers > 0) {
                contextParallel(ledger, layers);
            }
            return new StageTraffic(local.pipelineStage(), layers, moeLayers, ledger.transfers);
        }

        long m() {
            return this.microBatches;
        }

        boolean fullRecompute() {
            return this.options.recomputation() == Recomputation.FULL;
        }

        // DP: all-reduce of the gradients once per step; ZeRO-1 reduce-scatter once (Megatron's distributed
        // optimizer), ZeRO-2 every micro-batch (DeepSpeed), both + all-gather of the updated weights; ZeRO-3
        // all-gathers the weights in forward and backward and reduce-scatters the gradients every micro-batch
        void dataParallel(Ledger ledger, LocalParameters local) {
            DocumentFormula formula = !this.formulas ? null : Formulas.zero(this.training.zeroStage(), this.phi, local, this.training,
                    this.groups.get("data").size());
            dataParallel(ledger, "dense parameters", local.dense(), "data", formula);
            dataParallel(ledger, "expert parameters", local.expert(), "expertData", null);
        }

        // Hu et al. 2021: frozen weights get no gradients, so DP / ZeRO reduce (and ZeRO-1/2 re-gather) the adapters
        // only; ZeRO-3 still all-gathers the frozen weights before forward and backward, and never reduces them
        void fineTuningDataParallel(Ledger ledger, FrozenBase.Stage stage) {
            dataParallel(ledger, "dense adapters", stage.adapterDense(), "data", null);
            dataParallel(ledger, "expert adapters", stage.adapterExpert(), "expertData", null);
            if (this.training.zeroStage() == ZeroStage.ZERO_3) {
                frozenWeightGather(ledger, "frozen dense weights", stage.frozenDenseBytes(), "data");
                frozenWeightGather(ledger, "frozen expert weights", stage.frozenExpertBytes(), "expertData");
            }
        }

        private void frozenWeightGather(Ledger ledger, String what, long bytes, String group) {
            if (bytes == 0 || this.groups.get(group).size() <= 1) {
                return;
            }
            ledger.add(ParallelismKind.DATA, "ZeRO-3 weight all-gather (" + what + ", at their storage precision) "
                    + "before forward and again before backward, every micro-batch (prefetched; no gradients to reduce)",
                    Collective.ALL_GATHER, Exact.multiply(Q, 2, m()), bytes, group, true, null);
        }

        private void dataParallel(Ledger ledger, String what, long parameters, String group, DocumentFormula formula) {
            if (parameters == 0 || this.groups.get(group).size() <= 1) {
                return;
            }
            long gradients = this.training.precision().gradients().bytesFor(Q, parameters);
            long weights = this.training.precision().weights().bytesFor(Q, parameters);
            ZeroStage zero = this.training.zeroStage();
            String zeroName = "ZeRO-" + zero.number();
            switch (zero) {
                case ZERO_0 -> ledger.add(ParallelismKind.DATA, "gradient all-reduce (" + what
                        + "), once per step after the last micro-batch's backward", Collective.ALL_REDUCE, 1, gradients,
                        group, true, formula);
                case ZERO_1, ZERO_2 -> {
                    long reductions = zero == ZeroStage.ZERO_1 ? 1 : m();
                    ledger.add(ParallelismKind.DATA, zeroName + " gradient reduce-scatter (" + what + "), "
                            + (zero == ZeroStage.ZERO_1 ? "once per step (Megatron distributed optimizer)"
                                    : "every micro-batch (DeepSpeed: gradients go to their owners as they are produced)"),
                            Collective.REDUCE_SCATTER, reductions, gradients, group, true, formula);
                    ledger.add(ParallelismKind.DATA, zeroName + " all-gather of the updated weights (" + what
                            + "), once per step after the optimizer", Collective.ALL_GATHER, 1, weights, group, false,
                            formula);
                }
                case ZERO_3 -> {
                    ledger.add(ParallelismKind.DATA, "ZeRO-3 weight all-gather (" + what + ") before forward and "
                            + "again before backward, every micro-batch (prefetched)", Collective.ALL_GATHER,
                            Exact.multiply(Q, 2, m()), weights, group, true, formula);
                    ledger.add(ParallelismKind.DATA, "ZeRO-3 gradient reduce-scatter (" + what + "), every micro-batch",
                            Collective.REDUCE_SCATTER, m(), gradients, group, true, formula);
                }
            }
        }

        // Megatron TP (Shoeybi et al. 2019 §3): per layer, all-reduce after the attention and MLP row-parallel
        // projections (forward) and of their column-parallel inputs' gradients (backward); with sequence
        // parallelism (Korthikanti et al. 2022 §4.2.2) each becomes an all-gather + reduce-scatter pair
        void tensorParallel(Ledger ledger, int layers, boolean first, boolean last) {
            if (this.par.tensor() == 1) {
                return;
            }
            long message = this.shape.tensorParallel();
            long perLayer = Exact.multiply(Q, layers, m());
            DocumentFormula formula = this.formulas ? Formulas.tensorParallel(this.shape, this.par, this.options) : null;
            boolean sp = this.options.sequenceParallel();
            if (layers > 0) {
                if (!sp) {
                    ledger.add(ParallelismKind.TENSOR, "layers: all-reduce of the attention and MLP outputs (forward) "
                            + "and of their inputs' gradients (backward), 4 per layer per micro-batch",
                            Collective.ALL_REDUCE, Exact.multiply(Q, TP_PER_LAYER, perLayer), message, "tensor", false,
                            formula);
                    if (fullRecompute()) {
                        ledger.add(ParallelismKind.TENSOR, "layers: the 2 forward all-reduces again (full recomputation)",
                                Collective.ALL_REDUCE, Exact.multiply(Q, TP_FORWARD_PER_LAYER, perLayer), message,
                                "tensor", false, null);
                    }
                }
                else {
                    ledger.add(ParallelismKind.TENSOR, "layers (sequence parallel): all-gather before attention and "
                            + "MLP (forward) and of the reduce-scatters' gradients (backward), 4 per layer per "
                            + "micro-batch", Collective.ALL_GATHER, Exact.multiply(Q, TP_PER_LAYER, perLayer), message,
                            "tensor", false, formula);
                    ledger.add(ParallelismKind.TENSOR, "layers (sequence parallel): reduce-scatter after attention and "
                            + "MLP (forward) and of the all-gathers' gradients (backward), 4 per layer per micro-batch",
                            Collective.REDUCE_SCATTER, Exact.multiply(Q, TP_PER_LAYER, perLayer), message, "tensor",
                            false, formula);
                    if (fullRecompute()) {
                        ledger.add(ParallelismKind.TENSOR, "layers (sequence parallel): the 2 forward all-gathers "
                                + "again (full recomputation)", Collective.ALL_GATHER,
                                Exact.multiply(Q, TP_FORWARD_PER_LAYER, perLayer), message, "tensor", false, null);
                        ledger.add(ParallelismKind.TENSOR, "layers (sequence parallel): the 2 forward reduce-scatters "
                                + "again (full recomputation)", Collective.REDUCE_SCATTER,
                                Exact.multiply(Q, TP_FORWARD_PER_LAYER, perLayer), message, "tensor", false, null);
                    }
                    ledger.add(ParallelismKind.TENSOR, "layers (sequence parallel): QKV and MLP-up inputs all-gathered "
                            + "again in backward for the weight gradients (Megatron keeps them sequence-split; "
                            + "overlapped with the input-gradient GEMM)", Collective.ALL_GATHER,
                            Exact.multiply(Q, SP_REGATHER_PER_LAYER, perLayer), message, "tensor", true, null);
                }
            }
            if (first) {
                ledger.add(ParallelismKind.TENSOR, sp
                        ? "vocabulary-parallel embedding: output reduce-scattered into sequence slices (forward)"
                        : "vocabulary-parallel embedding: output all-reduced (forward)",
                        sp ? Collective.REDUCE_SCATTER : Collective.ALL_REDUCE, m(), message, "tensor", false, null);
            }
            if (last) {
                if (!sp) {
                    ledger.add(ParallelismKind.TENSOR, "vocabulary-parallel LM head: input gradient all-reduced "
                            + "(backward)", Collective.ALL_REDUCE, m(), message, "tensor", false, null);
                }
                else {
                    ledger.add(ParallelismKind.TENSOR, "vocabulary-parallel LM head: input all-gathered (forward)",
                            Collective.ALL_GATHER, m(), message, "tensor", false, null);
                    ledger.add(ParallelismKind.TENSOR, "vocabulary-parallel LM head: input gradient reduce-scattered "
                            + "(backward)", Collective.REDUCE_SCATTER, m(), message, "tensor", false, null);
                    ledger.add(ParallelismKind.TENSOR, "vocabulary-parallel LM head: input all-gathered again for "
                            + "the weight gradient (backward, overlapped)", Collective.ALL_GATHER, m(), message,
                            "tensor", true, null);
                }
            }
        }

        // PP (Narayanan et al. 2021): per micro-batch and boundary, activations forward and their gradient backward;
        // with v interleaved chunks a GPU holds v chunks, so v boundaries each way (one fewer at either end)
        void pipeline(Ledger ledger, int stage, boolean first, boolean last) {
            int v = this.par.virtualPipeline();
            long sends = Exact.multiply(Q, (last ? v - 1 : v) + (first ? v - 1 : v), m());
            if (sends > 0) {
                ledger.add(ParallelismKind.PIPELINE, "activations to the next stage (forward) and their gradients to "
                        + "the previous stage (backward), per micro-batch and boundary", Collective.SEND_RECV, sends,
                        this.shape.pipeline(), "pipeline", PAIR, false,
                        this.formulas ? Formulas.pipeline(this.shape, this.par, this.options, this.microBatches) : null);
            }
            if (this.model.tiedEmbeddings() && (first || last)) {
                long slice = Exact.ceilDiv(ParameterCounter.embedding(this.model), this.par.tensor());
                ledger.add(ParallelismKind.PIPELINE, "tied word embedding: gradients all-reduced between the first "
                        + "and last stage, once per step", Collective.ALL_REDUCE, 1,
                        this.training.precision().gradients().bytesFor(Q, slice), "pipeline", PAIR, false, null);
            }
        }

        // EP (Lepikhin et al. 2020; Megatron-Core alltoall dispatcher): per MoE layer and micro-batch, dispatch
        // and combine all-to-alls of k copies of the local tokens forward, the same backward
        void expertParallel(Ledger ledger, int moeLayers) {
            long perLayer = Exact.multiply(Q, moeLayers, m());
            ledger.add(ParallelismKind.EXPERT, "MoE layers: all-to-all dispatch and combine (forward) and their "
                    + "gradients (backward), 4 per MoE layer per micro-batch", Collective.ALL_TO_ALL,
                    Exact.multiply(Q, EP_PER_LAYER, perLayer), this.shape.expert(), "expert", false, null);
            if (fullRecompute()) {
                ledger.add(ParallelismKind.EXPERT, "MoE layers: dispatch and combine again (full recomputation)",
                        Collective.ALL_TO_ALL, Exact.multiply(Q, EP_FORWARD_PER_LAYER, perLayer), this.shape.expert(),
                        "expert", false, null);
            }
        }

        // CP ring attention (Liu et al. 2023; Megatron-Core/TE p2p): per layer and micro-batch, each rank passes
        // its K/V block on c − 1 times forward and, backward, K/V and the dK/dV partial sums: 2(c−1)/c·b·s·g·d
        // forward, twice that backward
        void contextParallel(Ledger ledger, int layers) {
            long rounds = Exact.multiply(Q, this.par.context() - 1L, layers, m());
            ledger.add(ParallelismKind.CONTEXT, "ring attention: K/V blocks passed on c − 1 times (forward), K/V "
                    + "and dK/dV blocks passed on c − 1 times each (backward), per layer per micro-batch",
                    Collective.SEND_RECV, Exact.multiply(Q, CP_PASSES, rounds), this.shape.contextBlock(), "context",
                    true, null);
            if (fullRecompute()) {
                ledger.add(ParallelismKind.CONTEXT, "ring attention forward again (full recomputation)",
                        Collective.SEND_RECV, rounds, this.shape.contextBlock(), "context", true, null);
            }
        }
    }

    /** Builds a stage's transfers, costing each on its group's link. */
    private static final class Ledger {

        private final Context context;

        private final List<Transfer> transfers = new ArrayList<>();

        Ledger(Context context) {
            this.context = context;
        }

        void add(ParallelismKind kind, String source, Collective collective, long count, long message, String group,
                boolean overlappable, DocumentFormula formula) {
            add(kind, source, collective, count, message, group, this.context.groups().get(group).size(),
                    overlappable, formula);
        }

        void add(ParallelismKind kind, String source, Collective collective, long count, long message, String group,
                long ranks, boolean overlappable, DocumentFormula formula) {
            CollectiveCost cost = Collectives.cost(collective, Algorithm.RING, (int) ranks, message);
            long bytes = Exact.multiply(Q, count, cost.bytesSentPerRank());
            Link link = this.context.links().get(group);
            Double seconds = null;
            Double exposed = null;
            if (link != null) {
                double once = cost.seconds(link);
                seconds = count * once;
                if (kind == ParallelismKind.CONTEXT) {
                    // each pass overlaps the attention of the block in hand; only what outlasts it is exposed
                    double compute = this.context.shape().blockFlops() / this.context.network().attentionFlopsPerSecond();
                    exposed = count * Math.max(0, once - compute);
                }
                else {
                    exposed = overlappable ? 0.0 : seconds;
                }
            }
            this.transfers.add(new Transfer(kind, source, collective, count, message, bytes, ranks,
                    link != null ? link.kind() : null, seconds, exposed, overlappable, formula));
        }
    }

    /** The document's formulas (seed §3), evaluated as written: elements, not bytes. */
    static final class Formulas {

        private Formulas() {
        }

        // seed §3: 张量并行下，FFN一次前向和反向传播的总通信量为4bsh，多头注意力层一次前向和反向传播的总通信量为4bsh
        static DocumentFormula tensorParallel(Shape shape, Parallelism par, ActivationOptions o) {
            BigDecimal bsh = bsh(shape);
            BigDecimal value = bsh.multiply(BigDecimal.valueOf(2 * TP_PER_LAYER));
            long t = par.tensor();
            long detailed = o.sequenceParallel()
                    ? 2 * TP_PER_LAYER * Collectives.ringShardBytes(t, shape.tensorParallel())
                    : TP_PER_LAYER * Collectives.ringAllReduceBytes(t, shape.tensorParallel());
            String note = "elements per layer and micro-batch for forward + backward, each all-reduce counted as b·s·h "
                    + "(no ring factor, no element size); per GPU the ring moves 8·(t−1)/t·b·"
                    + (par.context() > 1 ? "(s/c)" : "s") + "·h elements: " + detailed + " bytes at "
                    + o.elementBytes() + " bytes per element with t = " + t
                    + (o.sequenceParallel() ? "; with sequence parallelism the all-gather and reduce-scatter entries "
                            + "carry it together (the backward re-gather comes on top)" : "")
                    + "; the entry's bytes are this × layers × micro-batches"
                    + (o.recomputation() == Recomputation.FULL ? ", and full recomputation adds the 2 forward ones (12·(t−1)/t)" : "");
            return new DocumentFormula(DOCUMENT + " (张量并行)", "4bsh (FFN) + 4bsh (attention) per layer, forward + backward",
                    "4·" + shape.microBatchSize() + "·" + shape.sequenceLength() + "·" + shape.hidden() + " + 4·"
                            + shape.microBatchSize() + "·" + shape.sequenceLength() + "·" + shape.hidden(),
                    value.doubleValue(), value.compareTo(BigDecimal.valueOf(detailed)) == 0, note);
        }

        // seed §3: 流水线并行，假设模型被切分到N个GPU上，一次前向和反向传播的总通信量为 2(N-1)bsh
        static DocumentFormula pipeline(Shape shape, Parallelism par, ActivationOptions o, long microBatches) {
            int p = par.pipeline();
            BigDecimal value = bsh(shape).multiply(BigDecimal.valueOf(2L * (p - 1)));
            long boundaries = (long) p * par.virtualPipeline() - 1;
            long perMicroBatch = Exact.multiply(Q, 2 * boundaries, shape.pipeline());
            String note = "elements over the whole pipeline (N = p = " + p + " stages) for one micro-batch, forward + "
                    + "backward; in bytes the pipeline's " + boundaries + " boundaries carry 2·" + boundaries + "·"
                    + shape.pipeline() + " = " + perMicroBatch + " bytes per micro-batch"
                    + (par.virtualPipeline() > 1 ? " (" + par.virtualPipeline() + " interleaved chunks per stage: p·v − 1 boundaries)" : "")
                    + (o.sequenceParallel() && par.tensor() > 1 ? " (each tensor-parallel rank sends its sequence slice: ÷t)" : "")
                    + (par.context() > 1 ? " (each context-parallel rank sends its s/c tokens)" : "")
                    + ", × " + microBatches + " micro-batches per step; a middle stage's GPU sends 2 per micro-batch"
                    + (par.virtualPipeline() > 1 ? " per chunk" : "") + ", the first and last stage 1";
            return new DocumentFormula(DOCUMENT + " (流水线并行)", "2(N−1)·bsh",
                    "2·(" + p + "−1)·" + shape.microBatchSize() + "·" + shape.sequenceLength() + "·" + shape.hidden(),
                    value.doubleValue(), value.compareTo(BigDecimal.valueOf(perMicroBatch)) == 0, note);
        }

        // seed §3: ZeRO-1单卡通信量为2Φ, ZeRO-2单卡通信量为2Φ, ZeRO-3单卡通信量为3Φ (plain data parallelism's
        // all-reduce moves the same 2Φ as ZeRO-1/2: Rajbhandari et al. 2019 §7)
        static DocumentFormula zero(ZeroStage zero, long phi, LocalParameters local, Training training, long ranks) {
            int k = zero == ZeroStage.ZERO_3 ? 3 : 2;
            BigDecimal value = BigDecimal.valueOf(phi).multiply(BigDecimal.valueOf(k));
            String note = "Φ = " + phi + " is every parameter of the model and the volume is in elements, as the document "
                    + "writes it; this GPU's dense slice is Φ_local = " + local.dense() + " parameters (after tensor and "
                    + "pipeline splitting), and with one micro-batch it sends " + k + "·(n−1)/n·Φ_local elements over n = "
                    + "data × context = " + ranks + " ranks, at " + training.gradientBytes() + " bytes per gradient"
                    + (zero == ZeroStage.ZERO_0 ? "" : " and " + training.weightBytes() + " per gathered weight")
                    + (local.expert() > 0 ? "; expert parameters are reduced over data × context / expert ranks in their own entries" : "")
                    + (zero == ZeroStage.ZERO_2 || zero == ZeroStage.ZERO_3
                            ? "; with m micro-batches the per-micro-batch collectives repeat m times" : "");
            String expression = switch (zero) {
                case ZERO_0 -> "2Φ (plain data parallelism: all-reduce = reduce-scatter + all-gather, as ZeRO-1)";
                case ZERO_1 -> "ZeRO-1: 2Φ per GPU";
                case ZERO_2 -> "ZeRO-2: 2Φ per GPU";
                case ZERO_3 -> "ZeRO-3: 3Φ per GPU";
            };
            return new DocumentFormula(DOCUMENT + " (ZeRO)", expression, k + "·" + phi, value.doubleValue(), false, note);
        }

        private static BigDecimal bsh(Shape shape) {
            return BigDecimal.valueOf(shape.microBatchSize()).multiply(BigDecimal.valueOf(shape.sequenceLength()))
                    .multiply(BigDecimal.valueOf(shape.hidden()));
        }
    }
}
