package dev.llmcalc.core.comms;

import static dev.llmcalc.core.unit.InvalidInputException.require;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import dev.llmcalc.core.comms.CommunicationEstimate.GroupPlacement;
import dev.llmcalc.core.comms.RankOrder.Dimension;
import dev.llmcalc.core.memory.FineTuningStateCalculator;
import dev.llmcalc.core.memory.FrozenBase;
import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.parallel.LocalParameters;
import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.run.Training;
import dev.llmcalc.core.run.TrainingRun;
import dev.llmcalc.core.unit.InvalidInputException;

/**
 * One parallel layout as its traffic sees it, worked out once and shared by every batch, ZeRO stage and
 * recomputation mode priced on it: the groups (size and, on a cluster, link) and what one GPU of each pipeline stage
 * holds. Stages with the same parameters and layers that are neither first nor last have the same traffic; they are
 * kept once in {@link #distinct()}, with how many stages each stands for. Immutable.
 */
final class TrafficLayout {

    /** A pipeline boundary and a tied-embedding pair are two GPUs. */
    static final int PAIR = 2;

    private final Architecture model;

    private final Parallelism par;

    private final Network network;

    private final int shardGroupSize;

    private final Map<TrafficGroup, RankOrder.Group> groups;

    private final long[] ranks;

    private final LinkKind[] linkKinds;

    private final Link[] links;

    private final List<Stage> stages;

    private final Stage[] distinct;

    private final long[] distinctCounts;

    private TrafficLayout(Architecture model, Parallelism par, Network network, int shardGroupSize,
            Map<TrafficGroup, RankOrder.Group> groups, List<Stage> stages) {
        this.model = model;
        this.par = par;
        this.network = network;
        this.shardGroupSize = shardGroupSize;
        this.groups = groups;
        int n = TrafficGroup.values().length;
        this.ranks = new long[n];
        this.linkKinds = new LinkKind[n];
        this.links = new Link[n];
        for (TrafficGroup group : TrafficGroup.values()) {
            // with hybrid sharding ZeRO's collectives, which name a data group, run in its shard group
            RankOrder.Group g = groups.get(shardGroupSize != Training.WHOLE_DATA_GROUP ? group.shardGroup() : group);
            this.ranks[group.ordinal()] = g.size();
            if (network != null) {
                LinkKind kind = g.link(network.cluster().gpusPerNode(), par.gpuCount());
                this.linkKinds[group.ordinal()] = kind;
                long members = g.membersPerNode(network.cluster().gpusPerNode());
                this.links[group.ordinal()] = group.rings() ? network.ringLink(kind, members)
                        : group == TrafficGroup.EXPERT ? network.allToAllLink(kind, g.size(), members,
                                model.isMoe() && members > 0
                                        ? model.moe().networkShareOfRemoteCopies(Math.max(1, g.size() / members)) : 1.0)
                        : network.link(kind);
            }
        }
        this.stages = List.copyOf(stages);
        List<Stage> unique = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        for (Stage stage : stages) {
            int same = unique.indexOf(stage);
            if (same >= 0 && !stage.first() && !stage.last()) {
                counts.set(same, counts.get(same) + 1);
            }
            else {
                unique.add(stage);
                counts.add(1L);
            }
        }
        this.distinct = unique.toArray(new Stage[0]);
        this.distinctCounts = counts.stream().mapToLong(Long::longValue).toArray();
    }

    /**
     * The layout's groups, links and stages, with the checks every use of it makes.
     *
     * @param network links and latencies, or {@code null} for bytes only
     * @param placed what one GPU of each pipeline stage holds ({@code ParameterPlacement.stages(model, par)})
     * @param frozen a LoRA / QLoRA run's adapters and frozen weights per stage, or {@code null} for full training
     * @param shardGroupSize hybrid sharding's g ({@code Training.shardGroupSize()}), or
     *        {@link Training#WHOLE_DATA_GROUP}
     */
    static TrafficLayout of(Architecture model, Parallelism par, RankOrder order, Network network,
            List<LocalParameters> placed, FrozenBase frozen, int shardGroupSize) {
        require(placed.size() == par.pipeline(), "stages", "must be one per pipeline stage");
        if (frozen != null && frozen.stages().size() != par.pipeline()) {
            throw new IllegalArgumentException("one frozen-base entry per pipeline stage is needed");
        }
        order.requireConsistent(par);
        requireCluster(network, par);
        Map<Dimension, Long> dense = RankOrder.denseView(par);
        Map<Dimension, Long> expert = RankOrder.expertView(par);
        Map<TrafficGroup, RankOrder.Group> groups = new EnumMap<>(TrafficGroup.class);
        for (TrafficGroup group : TrafficGroup.values()) {
            Map<Dimension, Long> view = group.expertView() ? expert : dense;
            RankOrder.Group g = group.hybrid() ? hybridGroup(order, group, view, par, shardGroupSize)
                    : order.group(group.label(), group.dimensions(), view);
            // messages built only on failure: a layout search builds every layout it prices
            if (g.size() > Collectives.MAX_RANKS) {
                throw new InvalidInputException("parallelism",
                        "gives a " + g.name() + " group of " + g.size() + " ranks; at most " + Collectives.MAX_RANKS);
            }
            groups.put(group, g);
        }
        int p = par.pipeline();
        List<Stage> stages = new ArrayList<>(p);
        int start = 0;
        for (LocalParameters local : placed) {
            int k = local.pipelineStage();
            int moeLayers = local.layers() - model.denseFfnLayersIn(start, local.layers());
            stages.add(new Stage(local.dense(), local.expert(), local.layers(), moeLayers, k == 0, k == p - 1,
                    frozen != null ? frozen.stages().get(k) : null));
            start += local.layers();
        }
        return new TrafficLayout(model, par, network, shardGroupSize, groups, stages);
    }

    /**
     * One side of hybrid sharding's split of a data group ({@link RankOrder#split}): dense groups split into shard
     * groups of g ranks, expert-data groups into g/e (so both are replicated across d·c/g groups). Without a shard
     * group the shard side is the whole group and the replica side a single rank: never used, never listed.
     */
    private static RankOrder.Group hybridGroup(RankOrder order, TrafficGroup group, Map<Dimension, Long> view,
            Parallelism par, int shardGroupSize) {
        if (shardGroupSize == Training.WHOLE_DATA_GROUP) {
            return group.part() == TrafficGroup.Part.SHARD ? order.group(group.label(), group.dimensions(), view)
                    : new RankOrder.Group(group.label(), 1, 1, 1);
        }
        long inner = group.expertView() ? shardGroupSize / par.expert() : shardGroupSize;
        TrafficGroup shard = group.expertView() ? TrafficGroup.EXPERT_DATA_SHARD : TrafficGroup.DATA_SHARD;
        TrafficGroup replica = group.expertView() ? TrafficGroup.EXPERT_DATA_REPLICA : TrafficGroup.DATA_REPLICA;
        RankOrder.Split split = order.split(shard.label(), replica.label(), group.dimensions(), view, inner);
        return group.part() == TrafficGroup.Part.SHARD ? split.shard() : split.replica();
    }

    /**
     * A run's data-parallel traffic as LoRA / QLoRA shapes it (Hu et al. 2021): per stage the adapters it reduces and
     * the frozen weights ZeRO-3 still gathers, placed as the run's model states are; {@code null} for full training.
     */
    static FrozenBase frozenBase(TrainingRun run) {
        return run.isAdapter() ? FineTuningStateCalculator.frozenBase(run.model(), run.training(), run.fineTuning(),
                run.parallelism()) : null;
    }

    /** With a cluster, the layout must use all of it. */
    static void requireCluster(Network network, Parallelism par) {
        if (network != null && network.cluster().gpuCount() != par.gpuCount()) {
            throw new InvalidInputException("cluster.gpuCount", "must equal data × tensor × pipeline × context ("
                    + par.gpuCount() + ") for the communication ledger");
        }
    }

    Architecture model() {
        return this.model;
    }

    Parallelism parallelism() {
        return this.par;
    }

    /** Links and latencies, or {@code null} for bytes only. */
    Network network() {
        return this.network;
    }

    /** Hybrid sharding's g, or {@link Training#WHOLE_DATA_GROUP}. */
    int shardGroupSize() {
        return this.shardGroupSize;
    }

    /** Whether ZeRO's partitions are replicated across shard groups. */
    boolean hybrid() {
        return this.shardGroupSize != Training.WHOLE_DATA_GROUP;
    }

    /**
     * Ranks in a group. With hybrid sharding a data group ({@code DATA}, {@code EXPERT_DATA}) answers for its shard
     * group, where ZeRO's collectives run; so does {@link #link}.
     */
    long ranks(TrafficGroup group) {
        return this.ranks[group.ordinal()];
    }

    /** Ranks taking part in one call of a transfer: its group, or two GPUs for a pipeline transfer. */
    long ranks(TrafficSource source, TrafficGroup group) {
        return source.pairwise() ? PAIR : this.ranks[group.ordinal()];
    }

    /** The group's link, or {@code null} without a cluster. */
    Link link(TrafficGroup group) {
        return this.links[group.ordinal()];
    }

    /** Every stage, first stage first. */
    List<Stage> stages() {
        return this.stages;
    }

    /** The stages with different traffic. */
    Stage[] distinct() {
        return this.distinct;
    }

    /** How many pipeline stages {@code distinct()[i]} stands for. */
    long distinctCount(int i) {
        return this.distinctCounts[i];
    }

    /**
     * The groups with more than one rank (expert groups only for mixture-of-experts models), and their links; with
     * hybrid sharding the shard and replica groups in place of the whole data groups.
     */
    List<GroupPlacement> placements() {
        List<GroupPlacement> placements = new ArrayList<>();
        for (TrafficGroup group : TrafficGroup.values()) {
            RankOrder.Group g = this.groups.get(group);
            if (g.size() > 1 && group.hybrid() == hybrid() && (this.model.isMoe() || !group.expertView())) {
                placements.add(new GroupPlacement(g, this.linkKinds[group.ordinal()]));
            }
        }
        return placements;
    }

    /**
     * What one GPU of a pipeline stage holds, as its traffic sees it.
     *
     * @param dense dense parameters before ZeRO partitioning
     * @param expert routed-expert parameters
     * @param layers transformer layers on the stage
     * @param moeLayers of which have a mixture-of-experts FFN
     * @param first the first stage (embedding)
     * @param last the last stage (LM head)
     * @param frozen a LoRA / QLoRA stage's adapters and frozen weights, or {@code null} for full training
     */
    record Stage(long dense, long expert, int layers, int moeLayers, boolean first, boolean last,
            FrozenBase.Stage frozen) {
    }
}
