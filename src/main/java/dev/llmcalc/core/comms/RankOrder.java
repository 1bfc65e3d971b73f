package dev.llmcalc.core.comms;

import static dev.llmcalc.core.unit.InvalidInputException.require;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.unit.InvalidInputException;

/**
 * How ranks are numbered over the parallel dimensions, innermost first (Megatron-Core's
 * {@code initialize_model_parallel(order=...)}, default "tp-cp-ep-dp-pp"): in "tp-cp-ep-dp-pp" the
 * tensor-parallel ranks are consecutive (stride 1), context-parallel ranks stride t, and so on. Megatron
 * builds two views from the one order: dense layers see (tp = t, cp = c, dp = d, pp = p) and expert layers
 * see (tp = t, ep = e, dp = d·c/e, pp = p), the context-parallel ranks folded into the expert data-parallel ones.
 *
 * <p>Hybrid sharding ({@code training.shardGroupSize} = g) splits each data group in two ({@link #split}): the shard
 * group is the innermost g ranks of the group in this order (consecutive data ranks, so g ≤ gpusPerNode at
 * tensor = 1 fits one node), and the replica group is the d·c/g ranks at the same place in each shard group. Expert
 * layers split their expert-data group the same way into g/e and d·c/g ranks.
 */
public record RankOrder(List<Dimension> dimensions) {

    public static final String MEGATRON_DEFAULT = "tp-cp-ep-dp-pp";

    public static final RankOrder MEGATRON = parse(MEGATRON_DEFAULT);

    private static final String FIELD = "placement";

    /** A parallel dimension as Megatron names it in its order string. */
    public enum Dimension {
        TP, CP, EP, DP, PP;

        public String token() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public RankOrder {
        require(dimensions != null && dimensions.size() == Dimension.values().length
                && EnumSet.copyOf(dimensions).size() == Dimension.values().length, FIELD,
                "must name each of tp, cp, ep, dp and pp once");
        dimensions = List.copyOf(dimensions);
    }

    /** Parses "tp-cp-ep-dp-pp" (case-insensitive). */
    public static RankOrder parse(String text) {
        require(text != null && !text.isBlank(), FIELD, "must be an order such as " + MEGATRON_DEFAULT);
        List<Dimension> dims = new ArrayList<>();
        for (String token : text.trim().toLowerCase(Locale.ROOT).split("-", -1)) {
            Dimension dim = null;
            for (Dimension candidate : Dimension.values()) {
                if (candidate.token().equals(token)) {
                    dim = candidate;
                }
            }
            require(dim != null, FIELD, "must be tp, cp, ep, dp and pp joined by '-' (e.g. " + MEGATRON_DEFAULT
                    + "); '" + abbreviate(token) + "' is not one of them");
            require(!dims.contains(dim), FIELD, "names " + token + " twice");
            dims.add(dim);
        }
        return new RankOrder(dims);
    }

    @Override
    public String toString() {
        return this.dimensions.stream().map(Dimension::token).collect(Collectors.joining("-"));
    }

    /** Degrees of the dense-layer view: ep = 1. */
    public static Map<Dimension, Long> denseView(Parallelism par) {
        Map<Dimension, Long> sizes = new EnumMap<>(Dimension.class);
        sizes.put(Dimension.TP, (long) par.tensor());
        sizes.put(Dimension.CP, (long) par.context());
        sizes.put(Dimension.EP, 1L);
        sizes.put(Dimension.DP, (long) par.data());
        sizes.put(Dimension.PP, (long) par.pipeline());
        return sizes;
    }

    /** Degrees of the expert-layer view: cp = 1, dp = d·c/e (Megatron-Core's expert rank generator). */
    public static Map<Dimension, Long> expertView(Parallelism par) {
        Map<Dimension, Long> sizes = new EnumMap<>(Dimension.class);
        sizes.put(Dimension.TP, (long) par.tensor());
        sizes.put(Dimension.CP, 1L);
        sizes.put(Dimension.EP, (long) par.expert());
        sizes.put(Dimension.DP, par.expertShardingDegree());
        sizes.put(Dimension.PP, (long) par.pipeline());
        return sizes;
    }

    /** The rank distance between neighbours along {@code dim}: the product of the degrees numbered before it. */
    public long stride(Dimension dim, Map<Dimension, Long> sizes) {
        long stride = 1;
        for (Dimension d : this.dimensions) {
            if (d == dim) {
                return stride;
            }
            stride *= sizes.get(d);
        }
        throw new IllegalArgumentException("'dim' is not in the order");
    }

    /** Megatron-Core's checks on an order: the pipeline groups of both views must be the same ranks. */
    public void requireConsistent(Parallelism par) {
        Map<Dimension, Long> dense = denseView(par);
        Map<Dimension, Long> expert = expertView(par);
        boolean pipelineLast = this.dimensions.get(this.dimensions.size() - 1) == Dimension.PP;
        // messages built only on failure: a layout search checks every layout it prices
        if (!(pipelineLast || par.pipeline() == 1 || expert.get(Dimension.DP).equals(dense.get(Dimension.DP)))) {
            throw new InvalidInputException(FIELD, "puts pp before other dimensions, which Megatron-Core allows only "
                    + "when the expert data-parallel size (data × context / expert = " + expert.get(Dimension.DP)
                    + ") equals data (" + par.data() + ")");
        }
        if (stride(Dimension.PP, dense) != stride(Dimension.PP, expert)) {
            throw new InvalidInputException(FIELD, "gives dense and expert layers different pipeline groups (pp stride "
                    + stride(Dimension.PP, dense) + " vs " + stride(Dimension.PP, expert)
                    + "), which Megatron-Core rejects");
        }
    }

    /**
     * Where a group of ranks sits: its size, the stride of its innermost non-trivial dimension, and the width of
     * the aligned block of consecutive ranks that holds it (the outermost dimension's stride × its degree).
     */
    public Group group(String name, Set<Dimension> dims, Map<Dimension, Long> sizes) {
        long size = 1;
        long innermost = 0;
        long span = 1;
        for (Dimension d : this.dimensions) {
            long degree = sizes.get(d);
            if (dims.contains(d) && degree > 1) {
                size *= degree;
                long stride = stride(d, sizes);
                innermost = innermost == 0 ? stride : innermost;
                span = stride * degree;
            }
        }
        return new Group(name, size, innermost == 0 ? 1 : innermost, span);
    }

    /**
     * Hybrid sharding's two groups inside each group of {@code dims} (PyTorch FSDP HYBRID_SHARD's 2-D device mesh,
     * replicate × shard): the shard group, the group's first {@code inner} ranks in this order, and the replica group,
     * the ranks at the same place in every shard group. A shard group that cuts a dimension unevenly (context 4, g = 6
     * with another dimension between context and data) is given the whole group's span, which places it conservatively.
     *
     * @param inner ranks per shard group; must divide the group's size
     */
    public Split split(String shardName, String replicaName, Set<Dimension> dims, Map<Dimension, Long> sizes,
            long inner) {
        Group whole = group(shardName, dims, sizes);
        if (inner < 1 || whole.size() % inner != 0) {
            throw new IllegalArgumentException("a shard group of " + inner + " must divide its group of " + whole.size());
        }
        long outer = whole.size() / inner;
        long remaining = inner;
        long shardStride = 0;
        long shardSpan = 1;
        long replicaStride = 0;
        boolean even = true;
        for (Dimension d : this.dimensions) {
            long degree = sizes.get(d);
            if (!dims.contains(d) || degree <= 1) {
                continue;
            }
            long stride = stride(d, sizes);
            if (remaining > 1) {
                long taken = Math.min(remaining, degree);
                even &= remaining % taken == 0 && degree % taken == 0;
                shardStride = shardStride == 0 ? stride : shardStride;
                shardSpan = stride * taken;
                remaining /= taken;
                replicaStride = taken < degree ? stride * taken : 0;
            }
            else if (replicaStride == 0) {
                replicaStride = stride;
            }
        }
        if (!even) {
            shardSpan = whole.span();
            replicaStride = whole.stride() * inner;
        }
        Group shard = inner == 1 ? new Group(shardName, 1, 1, 1) : new Group(shardName, inner, shardStride, shardSpan);
        Group replica = outer == 1 ? new Group(replicaName, 1, 1, 1)
                : new Group(replicaName, outer, replicaStride, whole.span());
        return new Split(shard, replica);
    }

    /** A group split by hybrid sharding: its shard groups and the replica groups across them. */
    public record Split(Group shard, Group replica) {
    }

    /**
     * @param name what the group does ("tensor", "data × context", ...)
     * @param size ranks in the group
     * @param stride rank distance along its innermost dimension
     * @param span width of the aligned block of consecutive ranks holding the group
     */
    public record Group(String name, long size, long stride, long span) {

        /**
         * Whether every such group lies inside one node, ranks being numbered node by node (node k holds ranks
         * k·G … k·G + G − 1). Groups repeat in aligned blocks of {@code span} ranks: if span divides G no block
         * crosses a node boundary; if not, the block holding ranks G − 1 and G has a group on both sides. A single
         * node holds everything when the job has at most G GPUs.
         */
        public boolean fitsInNode(int gpusPerNode, long gpuCount) {
            return this.size <= 1 || gpuCount <= gpusPerNode || gpusPerNode % this.span == 0;
        }

        /**
         * How many of one such group's ranks share a node: all of them when the group fits in a node, otherwise its
         * ranks spread evenly over the span of consecutive ranks that holds it, size × G / span (at least 1).
         */
        public long membersPerNode(int gpusPerNode) {
            return this.span <= gpusPerNode ? this.size : Math.max(1, this.size * gpusPerNode / this.span);
        }

        public LinkKind link(int gpusPerNode, long gpuCount) {
            return fitsInNode(gpusPerNode, gpuCount) ? LinkKind.INTRA_NODE : LinkKind.INTER_NODE;
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 20 ? text : text.substring(0, 20) + "…";
    }
}
