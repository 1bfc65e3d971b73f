package dev.llmcalc.api.plans;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.run.Precision;
import dev.llmcalc.core.run.RecomputeModule;
import dev.llmcalc.core.unit.InvalidInputException;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/** Limits of a plan search; omitted fields take the defaults in brackets. */
@Schema(description = "Limits of the layout search")
public record ConstraintsSpec(
        @Schema(description = "[cluster.gpusPerNode] largest tensor-parallel degree") @Positive Integer maxTensor,
        @Schema(description = "[numLayers] largest pipeline degree") @Positive Integer maxPipeline,
        @Schema(description = "[cluster.gpusPerNode] largest context-parallel degree") @Positive Integer maxContext,
        @Schema(description = "[64] largest micro-batch") @Positive Long maxMicroBatchSize,
        @Schema(description = "[1.0] a plan fits when its per-GPU total ≤ this fraction of the GPU's memory")
        @DecimalMin(value = "0", inclusive = false) @DecimalMax("1") Double maxMemoryFraction,
        @Schema(description = "[4] largest number of interleaved model chunks per pipeline stage (virtualPipeline) to "
                + "try; 1 turns interleaving off") @Positive @Max(Parallelism.MAX_DEGREE) Integer maxVirtualPipeline,
        @Schema(description = "[every divisor of the experts] mixture-of-experts models: the one expert-parallel degree "
                + "to try") @Positive @Max(Parallelism.MAX_DEGREE) Integer expert,
        @Schema(description = "[false] also try the optimizer on the CPU (ZeRO-Offload, from ZeRO-1) and, at ZeRO-3, "
                + "the optimizer and parameters (ZeRO-Infinity's CPU offload), priced with /checks' offload time and "
                + "held to the nodes' host memory; training.offload instead fixes what is offloaded")
        Boolean allowOffload,
        @Schema(description = "[training.precision] precisions to search (e.g. [\"MIXED_BF16\", \"MIXED_FP8\"]), each "
                + "at its own memory, FLOPs and peak; the answer's plans say which; single-GPU search only")
        @Size(max = 8) List<@NotNull Precision> precisions,
        @Schema(description = "[none] Megatron-Core module sets (--recompute-modules: core_attn, mlp, moe_act, "
                + "layernorm, mla_up_proj, moe, shared_experts) to try as recomputation SELECTIVE besides its default, "
                + "the attention core alone; each plan names the set it uses",
                example = "[[\"core_attn\", \"mlp\"], [\"layernorm\", \"mla_up_proj\"]]")
        @Size(max = 16) List<@NotNull @Size(min = 1, max = 7) List<@NotNull @Size(min = 1, max = 40) String>>
        recomputeModules) {

    public ConstraintsSpec(Integer maxTensor, Integer maxPipeline, Integer maxContext, Long maxMicroBatchSize,
            Double maxMemoryFraction) {
        this(maxTensor, maxPipeline, maxContext, maxMicroBatchSize, maxMemoryFraction, null, null, null, null, null);
    }

    /**
     * The module sets by Megatron-Core's names, each field named by its place when a name is unknown or the model has
     * no such module.
     */
    static List<Set<RecomputeModule>> moduleSets(List<List<String>> sets, Architecture model) {
        if (sets == null) {
            return null;
        }
        List<Set<RecomputeModule>> modules = new ArrayList<>();
        for (int i = 0; i < sets.size(); i++) {
            Set<RecomputeModule> set = EnumSet.noneOf(RecomputeModule.class);
            for (int j = 0; j < sets.get(i).size(); j++) {
                String field = "constraints.recomputeModules[" + i + "][" + j + "]";
                RecomputeModule module = RecomputeModule.of(sets.get(i).get(j), field);
                InvalidInputException.require(module.appliesTo(model), field, "'" + module.id() + "' is not a module "
                        + "of this model (mlp needs dense FFN layers, moe_act / moe / shared_experts MoE layers, "
                        + "mla_up_proj multi-head latent attention)");
                set.add(module);
            }
            modules.add(set);
        }
        return modules;
    }

    static final long DEFAULT_MAX_MICRO_BATCH = 64;
}
