package dev.llmcalc.bench;

import java.util.List;

import dev.llmcalc.core.hardware.Cluster;
import dev.llmcalc.core.hardware.KernelEfficiency;
import dev.llmcalc.core.hardware.GpuPresets;
import dev.llmcalc.core.memory.FrameworkAllowance;
import dev.llmcalc.core.model.ModelPresets;
import dev.llmcalc.core.plan.PlanConstraints;
import dev.llmcalc.core.plan.PlanSearch;
import dev.llmcalc.core.run.AttentionKernel;
import dev.llmcalc.core.run.Optimizer;
import dev.llmcalc.core.run.Precision;
import dev.llmcalc.core.run.Recomputation;
import dev.llmcalc.core.run.ZeroStage;

/** The plan searches the benchmarks run: the API's defaults on H100 SXM nodes of 8. */
final class PlanSearches {

    private PlanSearches() {
    }

    static PlanSearch of(String model, int gpus, long sequence, long globalBatch) {
        var architecture = ModelPresets.find(model).orElseThrow().architecture();
        return new PlanSearch(architecture, sequence, globalBatch, Precision.MIXED_BF16, Optimizer.ADAMW,
                AttentionKernel.FLASH, new Cluster(GpuPresets.find("h100-sxm-80gb").orElseThrow(), gpus, 8),
                // the default search: interleaving up to 4, every expert degree
                new PlanConstraints(8, architecture.numLayers(), 8, 64, 1.0, List.of(ZeroStage.values()),
                        List.of(Recomputation.values()), true, PlanConstraints.DEFAULT_MAX_VIRTUAL_PIPELINE, 0),
                KernelEfficiency.A100, PlanSearch.DEFAULT_LIMIT, FrameworkAllowance.DEFAULT);
    }
}
