package dev.llmcalc.core.plan;

import static dev.llmcalc.core.unit.InvalidInputException.require;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.llmcalc.core.hardware.Cluster;
import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.run.Offload;
import dev.llmcalc.core.run.OffloadDevice;
import dev.llmcalc.core.run.RecomputeModule;
import dev.llmcalc.core.run.Recomputation;
import dev.llmcalc.core.run.ZeroStage;

/**
 * Limits on the layouts a search considers.
 *
 * @param maxTensor largest tensor-parallel degree (default: GPUs per node, where Megatron keeps it)
 * @param maxPipeline largest pipeline degree
 * @param maxContext largest context-parallel degree
 * @param maxMicroBatchSize largest micro-batch
 * @param maxMemoryFraction a plan fits when its per-GPU total is at most this fraction of the GPU's memory
 * @param zeroStages the ZeRO stages to try
 * @param recomputations the recomputation modes to try
 * @param sequenceParallel whether Megatron sequence parallelism is used with tensor parallelism (where the sequence
 *        divides); false for a stack without it
 * @param maxVirtualPipeline largest number of interleaved chunks per pipeline stage (1: no interleaving)
 * @param expert for a mixture-of-experts model, the one expert-parallel degree to try (0: every degree that divides
 *        the experts and data × context)
 * @param offloads what to try moving off the GPU ({@link Offload#NONE} only by default); an offload is tried with
 *        the ZeRO stages that allow it (the optimizer from ZeRO-1, the parameters at ZeRO-3)
 * @param recomputeModuleSets Megatron-Core module sets ({@code --recompute-modules}) tried as selective
 *        recomputation besides its default (the attention core); empty by default
 */
public record PlanConstraints(int maxTensor, int maxPipeline, int maxContext, long maxMicroBatchSize,
        double maxMemoryFraction, List<ZeroStage> zeroStages, List<Recomputation> recomputations,
        boolean sequenceParallel, int maxVirtualPipeline, int expert, List<Offload> offloads,
        List<Set<RecomputeModule>> recomputeModuleSets) {

    /** Limits with selective recomputation of the attention core only. */
    public PlanConstraints(int maxTensor, int maxPipeline, int maxContext, long maxMicroBatchSize,
            double maxMemoryFraction, List<ZeroStage> zeroStages, List<Recomputation> recomputations,
            boolean sequenceParallel, int maxVirtualPipeline, int expert, List<Offload> offloads) {
        this(maxTensor, maxPipeline, maxContext, maxMicroBatchSize, maxMemoryFraction, zeroStages, recomputations,
                sequenceParallel, maxVirtualPipeline, expert, offloads, List.of());
    }

    /** Limits with nothing offloaded. */
    public PlanConstraints(int maxTensor, int maxPipeline, int maxContext, long maxMicroBatchSize,
            double maxMemoryFraction, List<ZeroStage> zeroStages, List<Recomputation> recomputations,
            boolean sequenceParallel, int maxVirtualPipeline, int expert) {
        this(maxTensor, maxPipeline, maxContext, maxMicroBatchSize, maxMemoryFraction, zeroStages, recomputations,
                sequenceParallel, maxVirtualPipeline, expert, List.of(Offload.NONE));
    }

    /**
     * What {@code constraints.allowOffload} adds to the search: the optimizer on the CPU (ZeRO-Offload, from ZeRO-1),
     * and {@link #STATES_ON_CPU} at ZeRO-3.
     */
    public static final Offload OPTIMIZER_ON_CPU = new Offload(OffloadDevice.CPU, OffloadDevice.NONE);

    /**
     * What {@code constraints.allowOffload} adds at ZeRO-3 besides: the optimizer and the parameters on the CPU
     * (ZeRO-Infinity's CPU offload).
     */
    public static final Offload STATES_ON_CPU = new Offload(OffloadDevice.CPU, OffloadDevice.CPU);

    public PlanConstraints {
        require(maxTensor >= 1, "constraints.maxTensor", "must be at least 1");
        require(maxPipeline >= 1, "constraints.maxPipeline", "must be at least 1");
        require(maxContext >= 1, "constraints.maxContext", "must be at least 1");
        require(maxMicroBatchSize >= 1, "constraints.maxMicroBatchSize", "must be at least 1");
        require(maxMemoryFraction > 0 && maxMemoryFraction <= 1, "constraints.maxMemoryFraction",
                "must be greater than 0 and at most 1");
        require(zeroStages != null && !zeroStages.isEmpty(), "training.zeroStage", "needs at least one stage to try");
        require(recomputations != null && !recomputations.isEmpty(), "activations.recomputation",
                "needs at least one mode to try");
        require(maxVirtualPipeline >= 1, "constraints.maxVirtualPipeline", "must be at least 1");
        require(expert >= 0, "constraints.expert", "must be at least 1");
        require(offloads != null && !offloads.isEmpty(), "training.offload", "needs at least one choice to try");
        offloads = List.copyOf(offloads);
        zeroStages = List.copyOf(zeroStages);
        recomputations = List.copyOf(recomputations);
        require(recomputeModuleSets != null, "constraints.recomputeModules", "must be a list of module lists");
        require(recomputeModuleSets.isEmpty() || recomputations.contains(Recomputation.SELECTIVE),
                "constraints.recomputeModules", "applies to recomputation SELECTIVE (NONE keeps everything, FULL "
                        + "keeps only each layer's input)");
        // each set once, in the order given; a set equal to the default (the attention core alone) is the default
        Set<Set<RecomputeModule>> distinct = new LinkedHashSet<>();
        for (int i = 0; i < recomputeModuleSets.size(); i++) {
            Set<RecomputeModule> set = recomputeModuleSets.get(i);
            require(set != null && !set.isEmpty(), "constraints.recomputeModules[" + i + "]",
                    "must name at least one module");
            if (!set.equals(Set.of(RecomputeModule.CORE_ATTN))) {
                distinct.add(Set.copyOf(EnumSet.copyOf(set)));
            }
        }
        recomputeModuleSets = List.copyOf(distinct);
    }

    /**
     * What the search tries for recomputation: each mode, selective recomputation once with Megatron's default (the
     * attention core) and once per module set.
     */
    List<RecomputeChoice> recomputeChoices() {
        List<RecomputeChoice> choices = new ArrayList<>();
        for (Recomputation mode : this.recomputations) {
            choices.add(new RecomputeChoice(mode, Set.of()));
            if (mode == Recomputation.SELECTIVE) {
                for (Set<RecomputeModule> modules : this.recomputeModuleSets) {
                    choices.add(new RecomputeChoice(mode, modules));
                }
            }
        }
        return choices;
    }

    /** One recomputation the search tries: a mode and, for SELECTIVE, the modules (empty: the attention core). */
    record RecomputeChoice(Recomputation mode, Set<RecomputeModule> modules) {
    }

    /** Limits with sequence parallelism and without interleaving. */
    public PlanConstraints(int maxTensor, int maxPipeline, int maxContext, long maxMicroBatchSize,
            double maxMemoryFraction, List<ZeroStage> zeroStages, List<Recomputation> recomputations) {
        this(maxTensor, maxPipeline, maxContext, maxMicroBatchSize, maxMemoryFraction, zeroStages, recomputations,
                true, 1, 0);
    }

    /** These limits with only expert-parallel degree {@code e} tried. */
    public PlanConstraints withExpert(int e) {
        return new PlanConstraints(this.maxTensor, this.maxPipeline, this.maxContext, this.maxMicroBatchSize,
                this.maxMemoryFraction, this.zeroStages, this.recomputations, this.sequenceParallel,
                this.maxVirtualPipeline, e, this.offloads, this.recomputeModuleSets);
    }

    /**
     * Largest interleaving a search tries when the caller sets none: Megatron-LM's published runs use 2 to 4 chunks
     * per stage (Narayanan et al. 2021 Table 1: v = 2 or 3; examples/sc21).
     */
    public static final int DEFAULT_MAX_VIRTUAL_PIPELINE = 4;

    /** Largest micro-batch a search tries when the caller sets none. */
    public static final long DEFAULT_MAX_MICRO_BATCH = 64;

    /**
     * The limits when the caller sets none: tensor and context parallelism inside one node (where Megatron keeps
     * them), pipelines of up to one layer per stage, micro-batches up to {@link #DEFAULT_MAX_MICRO_BATCH}, the whole
     * GPU memory, every ZeRO stage and recomputation mode, sequence parallelism with tensor parallelism, and up to
     * {@link #DEFAULT_MAX_VIRTUAL_PIPELINE} interleaved chunks per stage.
     */
    public static PlanConstraints defaults(Architecture model, Cluster cluster) {
        return new PlanConstraints(cluster.gpusPerNode(), model.numLayers(), cluster.gpusPerNode(),
                DEFAULT_MAX_MICRO_BATCH, 1.0, List.of(ZeroStage.values()), List.of(Recomputation.values()), true,
                DEFAULT_MAX_VIRTUAL_PIPELINE, 0);
    }

    /** These limits with the caller's: every field it sets replaces the one here. */
    public PlanConstraints with(Overrides overrides) {
        return new PlanConstraints(
                overrides.maxTensor() != null ? overrides.maxTensor() : this.maxTensor,
                overrides.maxPipeline() != null ? overrides.maxPipeline() : this.maxPipeline,
                overrides.maxContext() != null ? overrides.maxContext() : this.maxContext,
                overrides.maxMicroBatchSize() != null ? overrides.maxMicroBatchSize() : this.maxMicroBatchSize,
                overrides.maxMemoryFraction() != null ? overrides.maxMemoryFraction() : this.maxMemoryFraction,
                overrides.zeroStage() != null ? List.of(overrides.zeroStage()) : this.zeroStages,
                overrides.recomputation() != null ? List.of(overrides.recomputation()) : this.recomputations,
                overrides.sequenceParallel() != null ? overrides.sequenceParallel() : this.sequenceParallel,
                overrides.maxVirtualPipeline() != null ? overrides.maxVirtualPipeline() : this.maxVirtualPipeline,
                overrides.expert() != null ? overrides.expert() : this.expert,
                overrides.offload() != null ? List.of(overrides.offload())
                        : Boolean.TRUE.equals(overrides.allowOffload())
                                ? List.of(Offload.NONE, OPTIMIZER_ON_CPU, STATES_ON_CPU)
                                : this.offloads,
                overrides.recomputeModules() != null ? overrides.recomputeModules() : this.recomputeModuleSets);
    }

    /**
     * What a caller may fix; {@code null} leaves the default.
     *
     * @param zeroStage the one ZeRO stage to try
     * @param recomputation the one recomputation mode to try
     * @param sequenceParallel false: never use sequence parallelism
     * @param maxVirtualPipeline largest interleaving to try
     * @param expert the one expert-parallel degree to try
     * @param allowOffload also try the optimizer on the CPU, and at ZeRO-3 the optimizer and the parameters
     * @param offload the one offload to try (the request's training.offload)
     * @param recomputeModules module sets to try as selective recomputation besides the attention core alone
     */
    public record Overrides(Integer maxTensor, Integer maxPipeline, Integer maxContext, Long maxMicroBatchSize,
            Double maxMemoryFraction, ZeroStage zeroStage, Recomputation recomputation, Boolean sequenceParallel,
            Integer maxVirtualPipeline, Integer expert, Boolean allowOffload, Offload offload,
            List<Set<RecomputeModule>> recomputeModules) {

        public static final Overrides NONE = new Overrides(null, null, null, null, null, null, null, null, null, null,
                null, null, null);

        public Overrides(Integer maxTensor, Integer maxPipeline, Integer maxContext, Long maxMicroBatchSize,
                Double maxMemoryFraction, ZeroStage zeroStage, Recomputation recomputation, Boolean sequenceParallel,
                Integer maxVirtualPipeline, Integer expert, Boolean allowOffload, Offload offload) {
            this(maxTensor, maxPipeline, maxContext, maxMicroBatchSize, maxMemoryFraction, zeroStage, recomputation,
                    sequenceParallel, maxVirtualPipeline, expert, allowOffload, offload, null);
        }

        public Overrides(Integer maxTensor, Integer maxPipeline, Integer maxContext, Long maxMicroBatchSize,
                Double maxMemoryFraction, ZeroStage zeroStage, Recomputation recomputation, Boolean sequenceParallel,
                Integer maxVirtualPipeline, Integer expert) {
            this(maxTensor, maxPipeline, maxContext, maxMicroBatchSize, maxMemoryFraction, zeroStage, recomputation,
                    sequenceParallel, maxVirtualPipeline, expert, null, null);
        }

        public Overrides(Integer maxTensor, Integer maxPipeline, Integer maxContext, Long maxMicroBatchSize,
                Double maxMemoryFraction, ZeroStage zeroStage, Recomputation recomputation) {
            this(maxTensor, maxPipeline, maxContext, maxMicroBatchSize, maxMemoryFraction, zeroStage, recomputation,
                    null, null, null, null, null);
        }
    }
}
