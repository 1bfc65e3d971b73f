package dev.llmcalc.api.compute;

import java.util.ArrayList;
import java.util.List;

import dev.llmcalc.api.EnergySpec;
import dev.llmcalc.api.FormulaView;
import dev.llmcalc.core.compute.ForwardFlops;
import dev.llmcalc.core.compute.RunEnergy;
import dev.llmcalc.core.compute.TrainingCompute;
import dev.llmcalc.core.compute.TrainingTime;
import dev.llmcalc.core.hardware.Cluster;
import dev.llmcalc.core.hardware.Efficiency;
import dev.llmcalc.core.run.FineTuning;
import dev.llmcalc.core.run.Recomputation;
import dev.llmcalc.core.run.TargetModule;
import dev.llmcalc.core.run.TrainingMethod;
import dev.llmcalc.core.plan.KernelTime;
import io.swagger.v3.oas.annotations.media.Schema;

/** Answer of {@code POST /api/v1/compute}. Time fields are present only when a cluster was given. */
public record ComputeResponse(
        @Schema(description = "the preset id, 'architecture', or 'parameters' for a raw count") String model,
        @Schema(description = "N of 6·N·D: all parameters of a dense model, the active ones of an MoE model") long parameters,
        @Schema(description = "D, training tokens") long tokens,
        @Schema(description = "s used for the attention term (with a model)") Integer sequenceLength,
        @Schema(description = "whether attention was counted causally (half of QKᵀ and P·V)") boolean causal,
        Recomputation recomputation,
        @Schema(description = "the document's C ≈ 6·N·D, FLOPs") double trainingFlops,
        @Schema(description = "3 × the detailed forward FLOPs per token × D (with a model); LORA / QLORA: "
                + "(2·F + S + 3·A) × D") Double detailedTrainingFlops,
        @Schema(description = "FLOPs the GPUs execute, recomputation included") double hardwareTrainingFlops,
        @Schema(description = "training FLOPs per token: 3 × detailed forward with a model, else 6·N") double flopsPerToken,
        @Schema(description = "forward FLOPs of one token by part (with a model)") ForwardFlops forwardFlopsPerToken,
        @Schema(description = "GPU id, or 'custom'") String gpu,
        Integer gpuCount,
        @Schema(description = "model FLOPs utilization the time assumes") Double mfu,
        @Schema(description = "share of peak the GPUs then execute, recomputation included") Double hardwareFlopsUtilization,
        Double trainingSeconds,
        Double trainingDays,
        Double gpuHours,
        @Schema(description = "gpuHours × pricePerGpuHour (when a price was given)") Double cost,
        @Schema(description = "with a cluster: energy = gpuHours × board power × utilization × PUE, and emissions with "
                + "energy.gridKgCo2PerKwh") EnergySpec.View energy,
        FormulaView documentFormula,
        @Schema(description = "with training.method LORA or QLORA: the adapters' FLOPs and the comparison with full "
                + "training (omitted for FULL)") FineTuningFlops fineTuning,
        @Schema(description = "with a model and a cluster: the run's compute alone by kernel class at the GPU's kernel "
                + "shares (kernelEfficiency), every GPU training its share of the tokens with the whole model, no "
                + "communication, bubble or optimizer step; impliedMfu is what those shares alone give. The floor the "
                + "MFU-based trainingDays sit above; /checks prices a concrete layout") KernelTime kernelTime,
        List<String> assumptions) {

    /** A LoRA / QLoRA run's FLOPs per token next to full training's. */
    public record FineTuningFlops(TrainingMethod method, int rank, List<String> targetModules,
            @Schema(description = "A: forward FLOPs per token through the adapters (2·r·(d_in + d_out) per adapted "
                    + "matrix a token passes)") long adapterForwardFlopsPerToken,
            @Schema(description = "F + A") double forwardFlopsPerToken,
            @Schema(description = "F + S + 2·A: input gradients through frozen matmuls, both operands of QKᵀ and P·V, "
                    + "and the adapters' input and weight gradients") double backwardFlopsPerToken,
            @Schema(description = "3·F: full training of the same model") double fullTrainingFlopsPerToken,
            @Schema(description = "flopsPerToken / fullTrainingFlopsPerToken") double ratioToFullTraining) {

        static FineTuningFlops of(TrainingCompute compute, FineTuning fineTuning) {
            return new FineTuningFlops(fineTuning.method(), fineTuning.rank(),
                    fineTuning.targetModules().stream().map(TargetModule::id).toList(), compute.adapters().total(),
                    compute.forwardPassFlopsPerToken(), compute.backwardFlopsPerToken(),
                    compute.fullTrainingFlopsPerToken(), compute.ratioToFullTraining());
        }
    }

    /**
     * @param source the preset id, "architecture" or "parameters"
     * @param cluster the GPUs, or {@code null}
     * @param time the time on them, or {@code null}
     */
    static ComputeResponse of(String source, ComputeRequest request, TrainingCompute compute, FineTuning fineTuning,
            Cluster cluster, TrainingTime time, RunEnergy energy, KernelTime kernelTime) {
        boolean detailed = compute.hasArchitecture();
        boolean timed = time != null;
        return new ComputeResponse(source, compute.parameters(), compute.tokens(),
                detailed ? request.sequenceLengthOrDefault() : null, detailed && request.causalOrDefault(),
                compute.recomputation(), compute.sixNdFlops(), compute.detailedTrainingFlops(),
                compute.hardwareTrainingFlops(), compute.flopsPerToken(), compute.forwardPerToken(),
                timed ? cluster.gpu().id() : null, timed ? cluster.gpuCount() : null,
                timed ? time.modelFlopsUtilization() : null, timed ? time.hardwareFlopsUtilization() : null,
                timed ? time.seconds() : null, timed ? time.days() : null, timed ? time.gpuHours() : null,
                timed && request.pricePerGpuHour() != null ? time.cost(request.pricePerGpuHour()) : null,
                EnergySpec.View.of(energy),
                FormulaView.of(compute.documentFormula()),
                compute.isFineTuning() ? FineTuningFlops.of(compute, fineTuning) : null, kernelTime,
                assumptions(request, compute, cluster, energy));
    }

    private static List<String> assumptions(ComputeRequest request, TrainingCompute compute, Cluster cluster,
            RunEnergy energy) {
        List<String> assumptions = new ArrayList<>();
        assumptions.add("trainingFlops is the document's C ≈ 6·N·D with N = " + compute.parameters()
                + (compute.hasArchitecture() ? " (active parameters per token: all of them for a dense model)" : "")
                + " and D = tokens.");
        if (compute.isFineTuning()) {
            assumptions.add("LORA / QLORA (Hu et al. 2021): the frozen base weights get no weight gradients, so the "
                    + "backward pass costs F + S + 2·A instead of 2·F (F the base forward, S its QKᵀ and P·V, A the "
                    + "adapters' forward): detailedTrainingFlops = (2·F + S + 3·A) × D, about 2/3 of full training. "
                    + "Input gradients are counted down to the first layer; QLoRA's dequantization and the "
                    + "embedding's gradient-free lookup are not counted.");
        }
        if (compute.hasArchitecture()) {
            assumptions.add((compute.isFineTuning() ? "Forward FLOPs F: "
                    : "detailedTrainingFlops = 3 × forward FLOPs (the backward pass costs twice the forward; "
                            + "Narayanan et al. 2021): ") + "2 FLOPs per weight of every matmul a token passes (MoE: its k routed "
                    + "experts, the shared experts and the router), the LM head 2·h·V even when tied, and attention "
                    + "QKᵀ and P·V at sequence length " + request.sequenceLengthOrDefault() + "; norms, activations, "
                    + "softmax, biases and the embedding lookup are not counted.");
            if (!request.sequenceLengthGiven()) {
                assumptions.add("batch.sequenceLength not given: the attention term uses s = "
                        + request.sequenceLengthOrDefault() + " (GPT-3's).");
            }
            assumptions.add(request.causalOrDefault()
                    ? "causal = true: QKᵀ and P·V are counted for the unmasked half of the s×s positions, as "
                            + "FlashAttention-style kernels compute them."
                    : "causal = false (Megatron's convention): QKᵀ and P·V are counted over all s×s positions; "
                            + "causal = true halves that term.");
        }
        else {
            assumptions.add("No model given: flopsPerToken = 6·N, and batch.sequenceLength and causal are not used; "
                    + "send a model for the detailed count.");
        }
        assumptions.add(switch (compute.recomputation()) {
            case NONE -> "recomputation NONE: hardwareTrainingFlops equals the model FLOPs.";
            case SELECTIVE -> compute.hasArchitecture()
                    ? "recomputation SELECTIVE: hardwareTrainingFlops adds one forward pass of the attention core "
                            + "(QKᵀ, P·V; Korthikanti et al. 2022)."
                    : "recomputation SELECTIVE: without a model the attention term is unknown, so "
                            + "hardwareTrainingFlops equals 6·N·D.";
            case FULL -> "recomputation FULL: hardwareTrainingFlops adds one forward pass of every layer, not the LM "
                    + "head (Narayanan et al. 2021 eq. 3; 8·N·D without a model).";
        });
        if (cluster != null) {
            assumptions.add("trainingSeconds = " + (compute.hasArchitecture() ? "detailedTrainingFlops" : "trainingFlops")
                    + " / (gpuCount · peakFlops · mfu), peakFlops being the GPU's dense BF16 peak ("
                    + cluster.gpu().peakFlops() + " FLOP/s, no sparsity). MFU counts model FLOPs only (Chowdhery "
                    + "et al. 2022, PaLM App. B), so recomputation raises hardwareFlopsUtilization, not the time.");
            if (request.mfu() == null) {
                assumptions.add("mfu not given: " + Efficiency.DEFAULT_MFU
                        + " assumed, typical of large dense-transformer training.");
            }
            if (energy != null) {
                assumptions.add(energy.assumption());
            }
        }
        else {
            assumptions.add("No cluster given: no time, cost or energy (mfu, pricePerGpuHour and energy are not used).");
        }
        return List.copyOf(assumptions);
    }
}
