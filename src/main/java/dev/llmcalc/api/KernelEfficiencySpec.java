package dev.llmcalc.api;

import dev.llmcalc.core.hardware.GpuSpec;
import dev.llmcalc.core.hardware.KernelEfficiency;
import dev.llmcalc.core.hardware.TensorOverlap;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;

/** The shares of the GPU's peaks each kernel class reaches; any omitted share keeps the GPU's fitted default. */
@Schema(description = "shares of the GPU's peaks per kernel class; omitted ones keep the GPU's fitted default "
        + "(A100: matmul 0.730 and memoryBound 0.70 fitted to Narayanan et al. 2021 Table 1, attention 0.56 set from "
        + "FlashAttention-2's A100 benchmark)")
public record KernelEfficiencySpec(
        @Schema(description = "share of the dense peak the GEMMs reach with a full last wave (tile and wave "
                + "quantization is priced from the GPU's multiprocessors; eager attention's QKᵀ and P·V too)",
                example = "0.73")
        @DecimalMin(value = "0", inclusive = false) @DecimalMax("1") Double matmul,
        @Schema(description = "share of the dense peak FlashAttention's fused kernel reaches, its FLOPs counted as "
                + "flash-attention's benchmarks count them (causal halved, backward 2.5 forwards); FlashAttention-2 "
                + "on H100: 0.30", example = "0.56")
        @DecimalMin(value = "0", inclusive = false) @DecimalMax("1") Double attention,
        @Schema(description = "share of the HBM bandwidth element-wise kernels reach", example = "0.7")
        @DecimalMin(value = "0", inclusive = false) @DecimalMax("1") Double memoryBound,
        @Schema(description = "[0.70] share of the network bandwidth ZeRO-3's per-layer gathers and reduce-scatters "
                + "reach (0.70 reproduces FSDP; DeepSpeed's 2021 stage 3 on Selene measured 0.09)", example = "0.7")
        @DecimalMin(value = "0", inclusive = false) @DecimalMax("1") Double zero3Bandwidth,
        @Schema(description = "[0.70] share of the shorter of a window's compute and the transfers behind it that "
                + "overlapping hides (gradient reductions behind a backward, ZeRO-3 prefetch behind a layer phase, the "
                + "tensor-parallel, weight-gather and expert windows below); for a stack that reduces gradients after "
                + "the backward set gradientReductionOverlap false instead (0 here exposes every windowed overlap; transfers "
                + "hidden behind the whole step or a ring-attention block still hide)",
                example = "0.7") @DecimalMin("0") @DecimalMax("1") Double overlap,
        @Schema(description = "[BACKWARD] which tensor-parallel layer collectives run behind GEMMs: NONE, all on the "
                + "critical path (Megatron-LM of 2021, Megatron-DeepSpeed); BACKWARD, the QKV and MLP-up input-gradient "
                + "all-reduces (reduce-scatters under sequence parallelism) behind the weight-gradient GEMMs "
                + "(Megatron-LM's default since 2022, Transformer Engine's); FULL, every tensor-parallel collective "
                + "(layers, embedding, LM head) pipelined with the GEMMs (Megatron-Core --tp-comm-overlap, Transformer Engine userbuffers; needs sequence "
                + "parallelism, BACKWARD without it). Each window lasts max(c, x) + (1 - overlap)·min(c, x)",
                example = "BACKWARD") TensorOverlap tensorOverlap,
        @Schema(description = "[false] ZeRO-1/2's all-gather of the updated weights behind the next step's first "
                + "forward pass (Megatron-Core --overlap-param-gather) instead of after the optimizer",
                example = "false") Boolean parameterGatherOverlap,
        @Schema(description = "[true] once-per-step gradient reductions behind the last micro-batch's backward "
                + "(Megatron-Core --overlap-grad-reduce, PyTorch DDP, DeepSpeed) and ZeRO-2's behind each; false for "
                + "a stack that reduces after the backward or the pipeline flush (Megatron-LM's --DDP-impl local of "
                + "2021-22, DeepSpeed's pipeline engine)", example = "true") Boolean gradientReductionOverlap,
        @Schema(description = "[false] expert-parallel all-to-alls behind other micro-batches' forward and backward "
                + "(DeepSeek-V3's DualPipe, §3.2.1; Megatron-Core's all-to-all overlap) instead of on the critical path; "
                + "needs two micro-batches or more",
                example = "false") Boolean expertOverlap,
        @Schema(description = "[true] an interleaved schedule's pipeline sends and receives behind the chunks' compute "
                + "(Megatron-LM --overlap-p2p-communication, on by default, interleaved schedules only); false for a "
                + "stack whose sends block (Megatron-LM of 2021-23, DeepSpeed's pipeline engine). Without interleaving "
                + "they stay on the critical path", example = "true") Boolean pipelineOverlap,
        @Schema(description = "[false] the weight-gradient GEMMs accumulate into the gradient buffer themselves "
                + "(Megatron-LM --gradient-accumulation-fusion, on by default in Megatron-Core and NeMo); false: each "
                + "micro-batch's gradients are added by an element-wise kernel (PyTorch autograd, DeepSpeed, "
                + "Megatron-LM before 2022), 3 × the gradient bytes per local gradient from the second micro-batch "
                + "on, or 2 + 2 × 4 bytes every micro-batch into fp32 buffers under bf16 weights",
                example = "false") Boolean gradientAccumulationFusion) {

    public KernelEfficiencySpec(Double matmul, Double attention, Double memoryBound) {
        this(matmul, attention, memoryBound, null, null, null, null, null, null, null, null);
    }

    /** Without a say on the pipeline's sends. */
    public KernelEfficiencySpec(Double matmul, Double attention, Double memoryBound, Double zero3Bandwidth,
            Double overlap, TensorOverlap tensorOverlap, Boolean parameterGatherOverlap,
            Boolean gradientReductionOverlap, Boolean expertOverlap) {
        this(matmul, attention, memoryBound, zero3Bandwidth, overlap, tensorOverlap, parameterGatherOverlap,
                gradientReductionOverlap, expertOverlap, null, null);
    }

    /**
     * The shares a request prices kernels at: the GPU's defaults, the legacy single {@code efficiency} for the GEMMs
     * and the attention core when given, then this spec's shares.
     */
    public static KernelEfficiency resolve(GpuSpec gpu, Double efficiency, KernelEfficiencySpec spec) {
        KernelEfficiency base = KernelEfficiency.forGpu(gpu);
        if (efficiency != null) {
            base = base.withComputeShare(efficiency);
        }
        return spec == null ? base
                : base.with(spec.matmul(), spec.attention(), spec.memoryBound(), spec.zero3Bandwidth(), spec.overlap(),
                        spec.tensorOverlap(), spec.parameterGatherOverlap(), spec.gradientReductionOverlap(),
                        spec.expertOverlap()).withPipelineOverlap(spec.pipelineOverlap())
                        .withGradientAccumulationFusion(spec.gradientAccumulationFusion());
    }
}
