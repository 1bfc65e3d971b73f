package dev.llmcalc.core.hardware;

import static dev.llmcalc.core.unit.InvalidInputException.require;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The shares of a GPU's peaks that each class of training kernel reaches: what turns the operator-level work of a
 * step into seconds ({@code OperatorTime}). Every value is a fitted or set constant; {@link #source} says which and
 * to what.
 *
 * @param matmul share of the dense peak that the layers' GEMMs (QKV, output projection, FFN, router, LM head) reach
 *        when their last wave of thread blocks is full (the layers' tile and wave quantization is priced apart, from
 *        the GPU's multiprocessors; the LM head's is not); eager attention's QKᵀ and P·V run at it too
 * @param attention share of the dense peak that FlashAttention's fused kernel reaches, counting its FLOPs as
 *        flash-attention's benchmarks do (causal halved, the backward 2.5 forwards); eager attention's batched GEMMs
 *        run at the GEMM share
 * @param memoryBound share of the HBM bandwidth that element-wise kernels (norms, activation functions, bias + dropout
 *        + residual, eager softmax, cross-entropy, the optimizer step) reach
 * @param zero3Bandwidth share of the network bandwidth ZeRO-3's per-layer gathers and reduce-scatters reach (FSDP's
 *        flat-parameter collectives come close to NCCL's; DeepSpeed's 2021 stage 3 reached far less)
 * @param overlap share of the shorter of a window's compute and the transfers behind it that the overlap hides
 *        (gradient reductions behind a backward, ZeRO-3 prefetch behind a layer phase): the window lasts
 *        max(c, x) + (1 − overlap)·min(c, x)
 * @param tensorOverlap which tensor-parallel layer collectives run behind GEMMs ({@link TensorOverlap}; default
 *        {@link TensorOverlap#BACKWARD}, Megatron-LM's since 2022), each window then lasting as the overlap rule says
 * @param parameterGatherOverlap whether ZeRO-1/2's all-gather of the updated weights runs behind the next step's first
 *        forward pass (Megatron-Core {@code --overlap-param-gather}; default false: after the optimizer, exposed)
 * @param gradientReductionOverlap whether once-per-step gradient reductions run behind the last micro-batch's backward
 *        and ZeRO-2's behind each (default true: Megatron-Core {@code --overlap-grad-reduce}, PyTorch DDP, DeepSpeed);
 *        false for a stack that reduces after the backward or the pipeline flush (Megatron-LM's local DDP of 2021-22,
 *        DeepSpeed's pipeline engine)
 * @param expertOverlap whether the expert-parallel all-to-alls run behind other micro-batches' compute (DeepSeek-V3's
 *        DualPipe, §3.2.1; Megatron-Core's all-to-all overlap in the interleaved 1F1B schedule); default false: on the
 *        critical path
 * @param pipelineOverlap whether an interleaved schedule's pipeline sends and receives run behind the chunks' compute
 *        (Megatron-LM {@code --overlap-p2p-communication}, on by default and applied to interleaved schedules only:
 *        {@code megatron/training/arguments.py} turns it off without virtual pipeline stages); default true; false
 *        for a stack whose sends block (Megatron-LM of 2021-23 synchronized the device after every send and receive,
 *        {@code p2p_communication.py}; DeepSpeed's pipeline engine). Without interleaving the sends stay exposed.
 * @param gradientAccumulationFusion whether the weight-gradient GEMMs accumulate into the gradient buffer themselves
 *        (Megatron-LM {@code --gradient-accumulation-fusion}, since February 2022 and on by default in Megatron-Core
 *        and NeMo); default false: each micro-batch's gradients are added into the buffer by an element-wise kernel
 *        (PyTorch autograd's in-place accumulation into {@code .grad}, Megatron's {@code main_grad.add_} hooks,
 *        DeepSpeed), priced from its bytes at the element-wise share
 * @param source where the values come from
 */
public record KernelEfficiency(double matmul, double attention, double memoryBound, double zero3Bandwidth,
        double overlap, TensorOverlap tensorOverlap, boolean parameterGatherOverlap, boolean gradientReductionOverlap,
        boolean expertOverlap, boolean pipelineOverlap, boolean gradientAccumulationFusion, String source) {

    /**
     * The tensor-parallel overlap when the request gives none: Megatron-LM's default since 2022 and Transformer
     * Engine's, the backward's input-gradient collectives behind the weight-gradient GEMMs.
     */
    public static final TensorOverlap DEFAULT_TENSOR_OVERLAP = TensorOverlap.BACKWARD;

    /** Interleaved pipeline sends behind compute when the request does not say: Megatron-LM's default. */
    public static final boolean DEFAULT_PIPELINE_OVERLAP = true;

    /**
     * Gradients accumulated across micro-batches by an element-wise add when the request does not say: what PyTorch
     * autograd, DeepSpeed and Megatron-LM before February 2022 do (Megatron-Core and NeMo fuse it into the GEMMs).
     */
    public static final boolean DEFAULT_GRADIENT_ACCUMULATION_FUSION = false;

    /**
     * The overlap when the request gives none: 0.70, set on the three 175B ZeRO-3 runs of Narayanan et al. 2021
     * Table 2 together with their bandwidth share, and used for gradient reductions too (not fitted separately).
     */
    public static final double DEFAULT_OVERLAP = 0.70;

    /**
     * ZeRO-3's share of the network bandwidth when the request gives none: 0.70, first set on DeepSpeed's 175B
     * ZeRO-3 runs of Narayanan et al. 2021 Table 2 when every GPU was priced at its own network port; with multi-rail
     * rings (a group's k GPUs in a node on k ports) it reproduces MosaicML's FSDP runs on A100 instead
     * ({@code MeasuredRunsTests}), and the DeepSpeed runs need {@link #DEEPSPEED_2021_ZERO3_BANDWIDTH}.
     */
    public static final double DEFAULT_ZERO3_BANDWIDTH = 0.70;

    /**
     * DeepSpeed's 2021 stage 3 on Selene (Narayanan et al. 2021 Table 2, 175B at 384-1,536 A100s): fitted to the
     * three 175B runs' step times with multi-rail pricing and one call per layer, whose latency the share does not
     * scale (grid of 0.0025; mean error 2.0 %; 0.0875 when the gathers were priced as one call per step): about
     * 0.70 / 8, the per-GPU port share spread over a node's 8 cards; measured time is flat at about 16 GB/s per GPU
     * from 768 GPUs.
     */
    public static final double DEEPSPEED_2021_ZERO3_BANDWIDTH = 0.09;

    public KernelEfficiency {
        require(matmul > 0 && matmul <= 1, "kernelEfficiency.matmul", "must be greater than 0 and at most 1");
        require(attention > 0 && attention <= 1, "kernelEfficiency.attention", "must be greater than 0 and at most 1");
        require(memoryBound > 0 && memoryBound <= 1, "kernelEfficiency.memoryBound",
                "must be greater than 0 and at most 1");
        require(zero3Bandwidth > 0 && zero3Bandwidth <= 1, "kernelEfficiency.zero3Bandwidth",
                "must be greater than 0 and at most 1");
        require(overlap >= 0 && overlap <= 1, "kernelEfficiency.overlap", "must be between 0 and 1");
        require(tensorOverlap != null, "kernelEfficiency.tensorOverlap", "is required");
        require(source != null, "kernelEfficiency.source", "is required");
    }

    /** Shares and overlaps with the interleaved pipeline's sends behind compute ({@link #DEFAULT_PIPELINE_OVERLAP}). */
    public KernelEfficiency(double matmul, double attention, double memoryBound, double zero3Bandwidth,
            double overlap, TensorOverlap tensorOverlap, boolean parameterGatherOverlap, boolean gradientReductionOverlap,
            boolean expertOverlap, String source) {
        this(matmul, attention, memoryBound, zero3Bandwidth, overlap, tensorOverlap, parameterGatherOverlap,
                gradientReductionOverlap, expertOverlap, DEFAULT_PIPELINE_OVERLAP, DEFAULT_GRADIENT_ACCUMULATION_FUSION,
                source);
    }

    /** Shares with the default tensor-parallel overlap and the weights gathered after the optimizer. */
    public KernelEfficiency(double matmul, double attention, double memoryBound, double zero3Bandwidth,
            double overlap, String source) {
        this(matmul, attention, memoryBound, zero3Bandwidth, overlap, DEFAULT_TENSOR_OVERLAP, false, true, false,
                source);
    }

    /** Shares with ZeRO-3 at {@link #DEFAULT_ZERO3_BANDWIDTH}. */
    public KernelEfficiency(double matmul, double attention, double memoryBound, String source) {
        this(matmul, attention, memoryBound, DEFAULT_ZERO3_BANDWIDTH, DEFAULT_OVERLAP, source);
    }

    /**
     * GEMM and memory-bound shares fitted to the ten runs of Narayanan et al. 2021 Table 1 (A100 80 GB, fp16,
     * Megatron-LM's fused kernels, eager attention, whose QKᵀ and P·V run as batched GEMMs at the GEMM share), with
     * each layer's tile and wave quantization applied ({@code OperatorTime.waveQuantization}: the share is what a GEMM
     * with a full last wave reaches): the grid point (steps of 0.005 / 0.05) with the smallest mean absolute relative
     * step-time error ({@code MeasuredRunsTests}: 1.5 %, worst 5.5 %, with the runs' fp16 gradients accumulated by
     * autograd over their micro-batches, Megatron-LM of 2021 having no gradient-accumulation fusion; 0.715 and 1.6 %
     * before that was priced). Earlier fits were 0.675 / 0.65 / 0.70, 0.680 / 0.80 / 0.70 (eager attention at a share of
     * its own) and 0.665 / 0.75 without quantization (GEMM / attention / memory-bound).
     * The attention share is FlashAttention-2's, set (not fitted) from the flash-attention repository's A100 80 GB
     * benchmark (README, assets/flash2_a100_fwd_bwd_benchmark.png: causal, head dimension 128, forward + backward
     * counted as 3.5 forwards: 155, 173, 182 and 189 TFLOP/s at 2k, 4k, 8k and 16k tokens; their mean 175 of 312 =
     * 0.56).
     */
    public static final KernelEfficiency A100 = new KernelEfficiency(0.730, 0.56, 0.70,
            "GEMM (before wave quantization) and element-wise shares fitted to Narayanan et al. 2021 Table 1 (10 "
                    + "Megatron-LM runs on A100 80 GB, 32 to 3,072 GPUs); attention set to FlashAttention-2's A100 "
                    + "benchmark (flash-attention README)");

    /**
     * Hopper (H100, H800, H200, H20): the GEMM share fitted to MosaicML llm-foundry's twelve large-scale H100 FSDP runs
     * (MPT 7B-70B on 128-512 GPUs, 2k tokens, their gradients reduce-scattered in fp32 as Composer's FSDP mixed
     * precision DEFAULT does, ZeRO-3's gathers and reduce-scatters one call per layer; {@code MeasuredRunsTests}: grid
     * of 0.005, mean 3.0 %; 0.605 before those were priced, mean 4.9 %), the element-wise share kept at its earlier
     * setting (the runs cannot separate it from the GEMM share). Not fitted: Llama 3 405B's published H100 runs (README)
     * and Megatron-Core's nine H100 weak-scaling runs (held out, mean 7.0 %). Before, 0.52 was set to reproduce
     * Megatron-Core r0.8's 44-47 % MFU. Attention: the cuDNN / FlashAttention-3 class of Hopper kernels Transformer
     * Engine runs (Shah et al. 2024, FlashAttention-3, Figs. 5-6, head dimension 128: cuDNN
     * 484-539 TFLOP/s causal forward and 465-516 backward at 2k-16k of 989, about 0.5); FlashAttention-2 on H100
     * reaches about 0.30 (flash-attention README's H100 benchmark: 265-328 TFLOP/s causal forward + backward), which a
     * run on PyTorch's SDPA or FlashAttention-2 should set.
     */
    public static final KernelEfficiency HOPPER = new KernelEfficiency(0.625, 0.50, 0.70,
            "GEMM share fitted to MosaicML's 12 large-scale H100 FSDP runs (128-512 GPUs); attention set to cuDNN / "
                    + "FlashAttention-3 class kernels; element-wise set");

    private static final Pattern AMPERE = Pattern.compile("\\b(a100|a800)\\b");

    private static final Pattern HOPPER_PARTS = Pattern.compile("\\b(h100|h800|h200|h20)\\b");

    /** Any other GPU: the A100 fit, which no measured run of that GPU has confirmed. */
    public static final KernelEfficiency CARRIED_OVER = new KernelEfficiency(A100.matmul, A100.attention,
            A100.memoryBound, A100.zero3Bandwidth, A100.overlap,
            "the A100 fit carried over; no measured run of this GPU confirms it: calibrate");

    /**
     * Any other GPU whose multiprocessors are unknown, so that no wave quantization is priced: the A100 fit made
     * without quantization (Table 1, GEMM 0.695, element-wise 0.70, mean 1.8 %, worst 5.5 %; 0.665 / 0.75 before the
     * gradients' accumulation was priced), not the quantized one.
     */
    public static final KernelEfficiency CARRIED_OVER_UNQUANTIZED = new KernelEfficiency(0.695, A100.attention, 0.70,
            A100.zero3Bandwidth, A100.overlap, "the A100 fit without wave quantization carried over (this GPU's "
                    + "multiprocessors are unknown); no measured run of this GPU confirms it: calibrate");

    /**
     * The defaults for {@code gpu}: the A100 fit for the Ampere data-centre parts (A100, A800), {@link #HOPPER} for
     * Hopper, {@link #CARRIED_OVER} otherwise ({@link #CARRIED_OVER_UNQUANTIZED} for a GPU without a multiprocessor
     * count); a catalog entry posted back as a described GPU is known by its name.
     */
    public static KernelEfficiency forGpu(GpuSpec gpu) {
        String known = (gpu.id() + " " + gpu.name()).toLowerCase(Locale.ROOT);
        if (AMPERE.matcher(known).find()) {
            return A100;
        }
        if (HOPPER_PARTS.matcher(known).find()) {
            return HOPPER;
        }
        return gpu.multiprocessors() > 0 ? CARRIED_OVER : CARRIED_OVER_UNQUANTIZED;
    }

    /** These shares with the caller's: each non-null value replaces the one here. */
    public KernelEfficiency with(Double matmul, Double attention, Double memoryBound) {
        return with(matmul, attention, memoryBound, null, null);
    }

    /** The same, with ZeRO-3's share of the network bandwidth and the overlap too. */
    public KernelEfficiency with(Double matmul, Double attention, Double memoryBound, Double zero3Bandwidth,
            Double overlap) {
        return with(matmul, attention, memoryBound, zero3Bandwidth, overlap, null, null, null, null);
    }

    /**
     * The same, with what the framework overlaps: the tensor-parallel collectives, ZeRO's weight gathers, the gradient
     * reductions and the expert all-to-alls.
     */
    public KernelEfficiency with(Double matmul, Double attention, Double memoryBound, Double zero3Bandwidth,
            Double overlap, TensorOverlap tensorOverlap, Boolean parameterGatherOverlap,
            Boolean gradientReductionOverlap, Boolean expertOverlap) {
        if (matmul == null && attention == null && memoryBound == null && zero3Bandwidth == null && overlap == null
                && tensorOverlap == null && parameterGatherOverlap == null && gradientReductionOverlap == null
                && expertOverlap == null) {
            return this;
        }
        return new KernelEfficiency(matmul != null ? matmul : this.matmul, attention != null ? attention : this.attention,
                memoryBound != null ? memoryBound : this.memoryBound,
                zero3Bandwidth != null ? zero3Bandwidth : this.zero3Bandwidth, overlap != null ? overlap : this.overlap,
                tensorOverlap != null ? tensorOverlap : this.tensorOverlap,
                parameterGatherOverlap != null ? parameterGatherOverlap : this.parameterGatherOverlap,
                gradientReductionOverlap != null ? gradientReductionOverlap : this.gradientReductionOverlap,
                expertOverlap != null ? expertOverlap : this.expertOverlap, this.pipelineOverlap,
                this.gradientAccumulationFusion, "the request (over: " + this.source + ")");
    }

    /** The same shares with the interleaved pipeline's sends behind compute or not ({@code null}: as here). */
    public KernelEfficiency withPipelineOverlap(Boolean pipeline) {
        if (pipeline == null || pipeline == this.pipelineOverlap) {
            return this;
        }
        return new KernelEfficiency(this.matmul, this.attention, this.memoryBound, this.zero3Bandwidth, this.overlap,
                this.tensorOverlap, this.parameterGatherOverlap, this.gradientReductionOverlap, this.expertOverlap,
                pipeline, this.gradientAccumulationFusion, requested());
    }

    /** The same shares with the gradients accumulated by the GEMMs or not ({@code null}: as here). */
    public KernelEfficiency withGradientAccumulationFusion(Boolean fusion) {
        if (fusion == null || fusion == this.gradientAccumulationFusion) {
            return this;
        }
        return new KernelEfficiency(this.matmul, this.attention, this.memoryBound, this.zero3Bandwidth, this.overlap,
                this.tensorOverlap, this.parameterGatherOverlap, this.gradientReductionOverlap, this.expertOverlap,
                this.pipelineOverlap, fusion, requested());
    }

    private String requested() {
        return this.source.startsWith("the request (over: ") ? this.source : "the request (over: " + this.source + ")";
    }

    /**
     * The single {@code efficiency} of earlier versions: the GEMMs and FlashAttention's kernel at that share of the
     * dense peak (eager attention follows the GEMMs anyway), the element-wise kernels at this bandwidth share.
     */
    public KernelEfficiency withComputeShare(double share) {
        require(share > 0 && share <= 1, "efficiency", "must be greater than 0 and at most 1");
        return new KernelEfficiency(share, share, this.memoryBound, this.zero3Bandwidth, this.overlap,
                this.tensorOverlap, this.parameterGatherOverlap, this.gradientReductionOverlap, this.expertOverlap,
                this.pipelineOverlap, this.gradientAccumulationFusion, "efficiency "
                + share
                + " for the GEMMs and the attention core (the request); element-wise kernels: " + this.source);
    }
}
