package dev.llmcalc.core.plan;

import dev.llmcalc.core.compute.ForwardFlops;
import dev.llmcalc.core.compute.TrainingCompute;
import dev.llmcalc.core.hardware.GpuSpec;
import dev.llmcalc.core.hardware.KernelEfficiency;
import dev.llmcalc.core.memory.ShapedOptimizerStates;
import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.model.MlaConfig;
import dev.llmcalc.core.model.MlpType;
import dev.llmcalc.core.model.MoeConfig;
import dev.llmcalc.core.params.ParameterCounter;
import dev.llmcalc.core.run.ActivationOptions;
import dev.llmcalc.core.run.AttentionKernel;
import dev.llmcalc.core.run.Fp8Recipe;
import dev.llmcalc.core.run.Optimizer;
import dev.llmcalc.core.run.Precision;
import dev.llmcalc.core.run.Recomputation;
import dev.llmcalc.core.run.RecomputeModule;
import dev.llmcalc.core.run.Training;
import dev.llmcalc.core.unit.DType;

/**
 * Compute time of one micro-batch on one GPU, operator class by operator class (issue 15): the layers' GEMMs at a share
 * of the dense peak, slowed by their tile and wave quantization ({@link #waveQuantization}); the attention core (QKᵀ,
 * P·V) as FlashAttention's fused kernel at its own share (3.5 passes: {@link #attentionPasses}) or, eager, as batched
 * GEMMs at the GEMM share; and the memory-bound element-wise work (norms, activation function, bias + dropout +
 * residual, the eager softmax, the cross-entropy over the vocabulary) at a share of the HBM bandwidth, from the bytes
 * those kernels read and write. The backward pass costs twice the forward's GEMMs (input and weight gradients; once for
 * frozen weights under LoRA) and reads saved tensors and writes gradients in the element-wise kernels; recomputation
 * runs the recomputed part of the forward again. The shares are {@link KernelEfficiency}'s fitted or set constants.
 * Not modelled: the quantization of the LM head, experts and MLA projections, GEMM efficiency by shape beyond it,
 * kernel launch gaps, the QLoRA dequantization kernels.
 */
public final class OperatorTime {

    private OperatorTime() {
    }

    /**
     * One token's forward work over the whole model, by class, for a run's method and recomputation (the layout
     * divides it later).
     *
     * @param layerMatmul FLOPs of the layers' GEMMs (projections, FFN or experts, router)
     * @param attention FLOPs of QKᵀ and P·V as the kernel runs them (causal halves them under FlashAttention)
     * @param lmHead FLOPs of the LM head
     * @param adapterLayers LoRA adapters' FLOPs inside the layers (0 for full training)
     * @param adapterHead LoRA adapters' FLOPs on the LM head (0 without one)
     * @param recomputedMatmul GEMM FLOPs that selective recomputation runs again (Megatron-Core's recompute modules)
     * @param frozenWeights whether the base weights are frozen (LoRA / QLoRA: no weight gradients)
     * @param numLayers the model's layers, to spread the work evenly over them
     * @param fp8Matmul the part of {@code layerMatmul} an FP8 recipe runs in FP8 ({@link #fp8LinearFlops}; 0 without
     *        one)
     * @param recomputedFp8Matmul the part of {@code recomputedMatmul} that runs in FP8 (0 without a recipe)
     */
    public record Work(double layerMatmul, double attention, double lmHead, double adapterLayers, double adapterHead,
            double recomputedMatmul, boolean frozenWeights, int numLayers, double fp8Matmul,
            double recomputedFp8Matmul) {

        /** Work without FP8 GEMMs. */
        public Work(double layerMatmul, double attention, double lmHead, double adapterLayers, double adapterHead,
                double recomputedMatmul, boolean frozenWeights, int numLayers) {
            this(layerMatmul, attention, lmHead, adapterLayers, adapterHead, recomputedMatmul, frozenWeights, numLayers,
                    0, 0);
        }

        /** The work of {@code executed} (the step's FLOPs as the kernels run them) under {@code options}. */
        public static Work of(TrainingCompute executed, ActivationOptions options, int numLayers) {
            ForwardFlops f = executed.forwardPerToken();
            double layerMatmul = (double) f.attentionProjections() + f.mlp() + f.router();
            double adapterLayers = executed.isFineTuning() ? executed.adapters().layers() : 0;
            double adapterHead = executed.isFineTuning() ? executed.adapters().total() - adapterLayers : 0;
            double recomputedMatmul = 0;
            if (options.recomputation() == Recomputation.SELECTIVE) {
                recomputedMatmul = executed.selectiveRecomputedPerToken()
                        - (options.recomputes(RecomputeModule.CORE_ATTN) ? f.attentionScores() : 0);
            }
            double fp8Matmul = options.fp8().any() ? fp8LinearFlops(f) : 0;
            // the recomputed GEMMs are linear layers but for MoE's router (recomputed with the `moe` module)
            double recomputedFp8Matmul = options.fp8().any() && recomputedMatmul > 0
                    ? recomputedMatmul - (options.recomputes(RecomputeModule.MOE) ? f.router() : 0) : 0;
            return new Work(layerMatmul, f.attentionScores(), f.lmHead(), adapterLayers, adapterHead, recomputedMatmul,
                    executed.isFineTuning(), numLayers, fp8Matmul, recomputedFp8Matmul);
        }
    }

    // FP8 recipes run the linear layers' GEMMs in FP8, forward and both backward GEMMs: the attention projections (QKV,
    // output; MLA's), the dense FFN and the experts (Transformer Engine's Linear / LayerNormLinear / GroupedLinear under
    // fp8_autocast, DelayedScaling's override_linear_precision all False; DeepSeek-V3 §3.3.1 Fig. 6: Fprop, Dgrad and
    // Wgrad in FP8); the attention core (DelayedScaling fp8_dpa = False; DeepSeek-V3 keeps attention in BF16), the
    // router and the LM head (Megatron-Core's TopKRouter and output_layer are not Transformer Engine modules;
    // DeepSeek-V3 keeps the gating and output head in BF16) stay at the activation type
    static double fp8LinearFlops(ForwardFlops f) {
        return (double) f.attentionProjections() + f.mlp();
    }

    /**
     * Seconds of one micro-batch on one pipeline stage, by class; recomputation apart from the rest.
     *
     * @param matmul the GEMMs, forward and backward
     * @param attention the attention core, forward and backward
     * @param memoryBound the element-wise kernels, forward and backward
     * @param recomputation what the backward pass runs again
     * @param forward the forward pass's part of the first three (the kernels' own forward shares: one of the GEMMs'
     *        three passes, one of the attention core's 3 or 3.5, a third of the layers' element-wise bytes, 38 of the
     *        cross-entropy's 52)
     */
    public record MicroBatchSeconds(double matmul, double attention, double memoryBound, double recomputation,
            double forward) {

        /** Seconds whose forward is a third of the three classes. */
        public MicroBatchSeconds(double matmul, double attention, double memoryBound, double recomputation) {
            this(matmul, attention, memoryBound, recomputation, (matmul + attention + memoryBound) / 3);
        }

        public double total() {
            return this.matmul + this.attention + this.memoryBound + this.recomputation;
        }

        MicroBatchSeconds plus(MicroBatchSeconds other) {
            return new MicroBatchSeconds(this.matmul + other.matmul, this.attention + other.attention,
                    this.memoryBound + other.memoryBound, this.recomputation + other.recomputation,
                    this.forward + other.forward);
        }

        MicroBatchSeconds times(double factor) {
            return new MicroBatchSeconds(this.matmul * factor, this.attention * factor, this.memoryBound * factor,
                    this.recomputation * factor, this.forward * factor);
        }
    }

    /**
     * One layer's micro-batch seconds on one GPU: tokens = b·s/c of them, GEMMs and heads split t ways.
     *
     * @param tokens tokens of the micro-batch on this GPU (b·s/c)
     * @param sequenceLength s, for the eager softmax's s-wide rows
     * @param tensor t
     */
    public static MicroBatchSeconds layer(Work w, Architecture m, ActivationOptions o, double tokens,
            long sequenceLength, int tensor, GpuSpec gpu, KernelEfficiency e) {
        return layer(w, m, o, tokens, sequenceLength, sequenceLength, tensor, gpu, e);
    }

    /**
     * The same, with the fused attention kernel called on {@code keyLength} keys (s / c under context parallelism) and
     * priced at that length's share ({@link #attentionLengthFactor}).
     */
    public static MicroBatchSeconds layer(Work w, Architecture m, ActivationOptions o, double tokens,
            long sequenceLength, double keyLength, int tensor, GpuSpec gpu, KernelEfficiency e) {
        double t = tensor;
        double matmulRate = peakFlops(gpu, o) * e.matmul();
        boolean eager = o.attention() == AttentionKernel.EAGER;
        // eager attention runs QKᵀ and P·V as batched cuBLAS GEMMs (the GEMM share); FlashAttention as its fused
        // kernel (the attention share)
        double attentionRate = eager ? matmulRate
                : peakFlops(gpu, o) * Math.min(1, e.attention() * attentionLengthFactor(keyLength));
        double bandwidth = gpu.memoryBandwidth() * e.memoryBound();
        double perLayer = tokens / w.numLayers() / t;
        double fp8Rate = w.fp8Matmul() > 0 ? fp8PeakFlops(gpu) * e.matmul() : 0;
        double waves = waveQuantization(m, tokens, tensor, gpu.multiprocessors());
        double matmul = matmulSeconds(perLayer, w.layerMatmul(), w.fp8Matmul(), matmulRate, fp8Rate) / waves;
        double adapters = perLayer * w.adapterLayers() / matmulRate;
        double attention = perLayer * w.attention() / attentionRate;
        double softmax = eager ? seconds(tokens * softmaxBytesPerToken(m, o, sequenceLength, t), bandwidth) : 0;
        double elementwise = seconds(tokens * elementwiseBytesPerToken(m, o, t), bandwidth);
        // the element-wise kernels a selective recomputation's modules run again: the norms (`layernorm`), the FFN's
        // activation (`mlp` the dense layers', `moe` and `moe_act` the experts'), the MoE permutation (`moe`)
        double recomputedElementwise = o.recomputation() != Recomputation.SELECTIVE ? 0
                : seconds(tokens * ((o.recomputes(RecomputeModule.LAYERNORM) ? normBytesPerToken(m, o, t) : 0)
                        + ffnActivationBytesPerToken(m, o, t, o.recomputes(RecomputeModule.MLP),
                                o.recomputes(RecomputeModule.MOE) || o.recomputes(RecomputeModule.MOE_ACT))
                        + (o.recomputes(RecomputeModule.MOE) ? moeDispatchBytesPerToken(m, o, t) : 0)),
                        bandwidth);
        // an FP8 recipe's quantize + transpose kernels: the linear layers' inputs forward, their output gradients
        // backward ({@link #fp8CastBytesPerToken})
        double castForward = o.fp8().any() ? seconds(tokens * fp8CastBytesPerToken(m, t, true), bandwidth) : 0;
        double castBackward = o.fp8().any() ? seconds(tokens * fp8CastBytesPerToken(m, t, false), bandwidth) : 0;

        // backward: input and weight gradients (2 × the forward GEMMs), input gradients only for frozen weights;
        // both operand gradients of QKᵀ and P·V, and under FlashAttention QKᵀ once more ({@link
        // #attentionPasses}); the element-wise kernels read what they saved and write gradients
        double matmulPasses = w.frozenWeights() ? 2 : 3;
        double recomputed = switch (o.recomputation()) {
            case NONE -> 0;
            case SELECTIVE -> (o.recomputes(RecomputeModule.CORE_ATTN) ? attention + softmax : 0)
                    + matmulSeconds(perLayer, w.recomputedMatmul(), w.recomputedFp8Matmul(), matmulRate, fp8Rate)
                            / waves
                    // the recomputed FP8 layers cast their inputs again: the forward casts in the share of the FP8
                    // GEMM work rebuilt (an approximation: casts follow widths, not FLOPs)
                    + (w.fp8Matmul() > 0 ? castForward * w.recomputedFp8Matmul() / w.fp8Matmul() : 0)
                    + recomputedElementwise;
            case FULL -> matmul + adapters + attention + softmax + elementwise + castForward;
        };
        return new MicroBatchSeconds(matmulPasses * matmul + 3 * adapters, attentionPasses(o.attention()) * attention,
                3 * (softmax + elementwise) + castForward + castBackward, recomputed,
                matmul + adapters + attention + softmax + elementwise + castForward);
    }

    /**
     * Bytes an FP8 recipe's quantize and transpose kernels move per token and layer on one GPU (the layers' average),
     * forward or backward: the attention's ({@link #attentionCastBytes}) and the FFN's ({@link #ffnCastBytes}, an MoE
     * layer's {@link #moeCastBytes}). Forward each FP8 linear layer's input is cast to FP8 with the transpose its
     * weight-gradient GEMM reads; backward each output gradient is (Transformer Engine's cast_transpose; DeepSeek-V3
     * §3.3 quantizes the same tensors per tile). Column-parallel layers read the whole hidden width and write 1/t of
     * their outputs, row-parallel ones the reverse. Weights are cast once per step and cached (not counted).
     */
    static double fp8CastBytesPerToken(Architecture m, double t, boolean forward) {
        double gate = m.mlp() == MlpType.GATED ? 2 : 1;
        double ffn = ffnCastBytes(m.hiddenSize(), m.intermediateSize() / t, gate, forward);
        if (m.isMoe()) {
            ffn = (ffn * (m.numLayers() - m.moeLayers()) + moeCastBytes(m, t, gate, forward) * m.moeLayers())
                    / m.numLayers();
        }
        return attentionCastBytes(m, t, forward) + ffn;
    }

    // Transformer Engine's LayerNormLinear writes the QKV input's FP8 rows in the norm kernel (the transpose alone
    // left); the output projection's input is cast whole; backward the QKV and output gradients. MLA (Megatron-Core's
    // up-projections are LayerNormLinear over the normed latents): the down-projections read the normed input, the
    // up-projections the normed latents, the output projection 1/t of the heads; backward every projection's output
    private static double attentionCastBytes(Architecture m, double t, boolean forward) {
        double h = m.hiddenSize();
        double heads = m.numAttentionHeads();
        if (m.mla() == null) {
            double d = m.headDim();
            return forward ? NORM_FED_CAST_BYTES * h + CAST_BYTES * heads * d / t
                    : CAST_BYTES * ((heads + 2.0 * m.numKeyValueHeads()) * d / t + h);
        }
        MlaConfig a = m.mla();
        double queryOut = heads * (a.qkNopeHeadDim() + a.qkRopeHeadDim()) / t;
        double keyValueOut = heads * (a.qkNopeHeadDim() + a.vHeadDim()) / t;
        return forward ? NORM_FED_CAST_BYTES * (h + a.qLoraRank() + a.kvLoraRank()) + CAST_BYTES * heads * a.vHeadDim() / t
                : CAST_BYTES * (a.qLoraRank() + a.kvLoraRank() + a.qkRopeHeadDim() + queryOut + keyValueOut + h);
    }

    // a norm-fed FFN (LayerNormMLP): forward the input's transpose and the down projection's input (f/t) cast whole;
    // backward its two outputs' gradients (gate·f/t and h)
    private static double ffnCastBytes(double h, double f, double gate, boolean forward) {
        return forward ? NORM_FED_CAST_BYTES * h + CAST_BYTES * f : CAST_BYTES * (gate * f + h);
    }

    // an MoE layer: the routed tokens' input cast once before the dispatch (2 + 1 B) and each of its k copies
    // transposed (1 + 1 B), each expert's down input cast whole; the shared experts as one norm-fed FFN of their summed
    // width (Megatron-Core's SharedExpertMLP); backward every expert output's gradient
    private static double moeCastBytes(Architecture m, double t, double gate, boolean forward) {
        MoeConfig moe = m.moe();
        double h = m.hiddenSize();
        double k = moe.numExpertsPerToken();
        double f = moe.expertIntermediateSize() / t;
        double routed = forward ? (DISPATCH_CAST_BYTES + k * NORM_FED_CAST_BYTES) * h + k * CAST_BYTES * f
                : k * CAST_BYTES * (gate * f + h);
        double shared = moe.numSharedExperts() == 0 ? 0
                : ffnCastBytes(h, (double) moe.numSharedExperts() * moe.sharedExpertIntermediateSize() / t, gate,
                        forward);
        return routed + shared;
    }

    /** A 16-bit tensor quantized to FP8 with its transpose: 2 bytes read, 1 + 1 written per element. */
    static final double CAST_BYTES = 4;

    /** An FP8 tensor transposed for the weight gradient (after a fused norm, or a dispatched copy): 1 + 1 bytes. */
    static final double NORM_FED_CAST_BYTES = 2;

    /** A 16-bit tensor quantized to FP8 without its transpose (before an MoE dispatch): 2 + 1 bytes. */
    static final double DISPATCH_CAST_BYTES = 3;

    /** Key lengths of the FlashAttention benchmarks {@link #attentionLengthFactor} interpolates between. */
    private static final double[] ATTENTION_LENGTHS = {512, 1024, 2048, 4096, 8192, 16384};

    /**
     * FlashAttention-2's causal forward + backward throughput at each of those lengths (head dimension 128), over its
     * mean at 2k-16k, averaged over the A100 and H100 charts of the flash-attention README
     * (assets/flash2_a100_fwd_bwd_benchmark.png: 99, 133, 155, 173, 182, 189 TFLOP/s;
     * assets/flash2_h100_fwd_bwd_benchmark.png: 163, 221, 265, 294, 308, 328), whose shapes agree within 4 %.
     */
    private static final double[] ATTENTION_LENGTH_FACTORS = {0.5561, 0.7504, 0.8870, 0.9871, 1.0362, 1.0897};

    /**
     * The share of {@code kernelEfficiency.attention} a fused attention kernel reaches over {@code keyLength} keys per
     * call: the shares are set from 2k-16k means, and the kernel runs faster on long rows than on short ones
     * (log-linear between the benchmarked lengths, held at the ends). A context-parallel rank's ring attention calls
     * it on s / c keys.
     */
    public static double attentionLengthFactor(double keyLength) {
        if (keyLength <= ATTENTION_LENGTHS[0]) {
            return ATTENTION_LENGTH_FACTORS[0];
        }
        for (int i = 1; i < ATTENTION_LENGTHS.length; i++) {
            if (keyLength <= ATTENTION_LENGTHS[i]) {
                double x = Math.log(keyLength / ATTENTION_LENGTHS[i - 1])
                        / Math.log(ATTENTION_LENGTHS[i] / ATTENTION_LENGTHS[i - 1]);
                return ATTENTION_LENGTH_FACTORS[i - 1]
                        + x * (ATTENTION_LENGTH_FACTORS[i] - ATTENTION_LENGTH_FACTORS[i - 1]);
            }
        }
        return ATTENTION_LENGTH_FACTORS[ATTENTION_LENGTH_FACTORS.length - 1];
    }

    /**
     * The attention core's forward and backward in forward passes: eager 3 (the backward's two operand gradients of
     * QKᵀ and of P·V); FlashAttention 3.5, its backward recomputing QKᵀ before the four gradient GEMMs (Dao et al.
     * 2022, Algorithm 4: five GEMMs for the forward's two; flash-attention's benchmarks count the backward as 2.5
     * forwards, benchmarks/benchmark_flash_attention.py, flops()).
     */
    static double attentionPasses(AttentionKernel kernel) {
        return kernel == AttentionKernel.EAGER ? 3 : 3.5;
    }

    /**
     * Bytes the vocabulary-parallel cross-entropy reads and writes per logit, forward and backward (Megatron-Core
     * tensor_parallel/cross_entropy.py, core_r0.8.0 and since): forward, the bf16 logits cast to fp32 (2 read + 4
     * written), their max (4), the max subtracted in place (4 + 4), exp in place (4 + 4), the sum (4), the division in
     * place (4 + 4) = 38; backward, the saved softmax times the incoming gradient in place (4 + 4) and the cast back to
     * bf16 for the LM head (4 + 2) = 14.
     */
    static final double CROSS_ENTROPY_BYTES_PER_LOGIT = 38 + 14;

    /** Of those, the forward's. */
    static final double CROSS_ENTROPY_FORWARD_BYTES_PER_LOGIT = 38;

    /**
     * The last stage's extra micro-batch seconds: the LM head (2·h·V per token, split t ways; input gradient only when
     * frozen) and the fp32 cross-entropy over the vocabulary slice ({@link #CROSS_ENTROPY_BYTES_PER_LOGIT}).
     */
    public static MicroBatchSeconds head(Work w, Architecture m, ActivationOptions o, double tokens, int tensor,
            GpuSpec gpu, KernelEfficiency e) {
        double t = tensor;
        double matmulRate = peakFlops(gpu, o) * e.matmul();
        double head = tokens * w.lmHead() / t / matmulRate;
        double adapters = tokens * w.adapterHead() / t / matmulRate;
        double crossEntropy = seconds(tokens * (m.vocabSize() / t) * CROSS_ENTROPY_BYTES_PER_LOGIT,
                gpu.memoryBandwidth() * e.memoryBound());
        return new MicroBatchSeconds((w.frozenWeights() ? 2 : 3) * head + 3 * adapters, 0, crossEntropy, 0,
                head + adapters + crossEntropy * CROSS_ENTROPY_FORWARD_BYTES_PER_LOGIT / CROSS_ENTROPY_BYTES_PER_LOGIT);
    }

    /**
     * Seconds of the optimizer step over {@code parameters} local parameters: an element-wise kernel that reads and
     * writes the states it keeps ({@link #optimizerBytesPerParameter}).
     */
    public static double optimizerSeconds(double parameters, Training training, GpuSpec gpu, KernelEfficiency e) {
        return optimizerSeconds(parameters, training, gpu, e, 0);
    }

    /**
     * The same with Muon's Newton–Schulz iterations: {@code newtonSchulzFlopsPerParameter} ({@link
     * #newtonSchulzFlopsPerParameter}) for each updated parameter, as BF16 matmuls at the GEMM share.
     */
    public static double optimizerSeconds(double parameters, Training training, GpuSpec gpu, KernelEfficiency e,
            double newtonSchulzFlopsPerParameter) {
        double update = seconds(parameters * optimizerBytesPerParameter(training),
                gpu.memoryBandwidth() * e.memoryBound());
        return update + parameters * newtonSchulzFlopsPerParameter / (gpu.peakFlops() * e.matmul());
    }

    /**
     * Seconds of accumulating {@code gradients} local gradients over a step's {@code microBatches} when the GEMMs do not
     * (kernelEfficiency.gradientAccumulationFusion false): gradients kept in the weights' type are added in place by
     * PyTorch autograd's AccumulateGrad from the second micro-batch on, reading both and writing one (3 × their bytes);
     * gradients kept wider (fp32 buffers under bf16 weights: Megatron's {@code main_grad.add_}, DeepSpeed's bf16
     * optimizer) take every micro-batch's weight-typed gradient and read and write the buffer (2 + 2 × 4 bytes).
     * Megatron-LM's {@code --gradient-accumulation-fusion} (commit 83b1e42, February 2022) writes the weight-gradient
     * GEMM's output into the buffer instead: 0.
     */
    public static double gradientAccumulationSeconds(double gradients, long microBatches, Precision precision,
            GpuSpec gpu, KernelEfficiency e) {
        if (e.gradientAccumulationFusion() || gradients == 0) {
            return 0;
        }
        double weights = precision.weights().bytesPerElement();
        double buffer = precision.gradients().bytesPerElement();
        double bytes = buffer > weights ? microBatches * (weights + 2 * buffer) : (microBatches - 1) * 3 * buffer;
        return seconds(gradients * bytes, gpu.memoryBandwidth() * e.memoryBound());
    }

    /**
     * Muon (Jordan et al. 2024, zeropower_via_newtonschulz5): the whole model's Newton–Schulz FLOPs of one step
     * ({@link ShapedOptimizerStates#newtonSchulzFlopsPerStep}) per parameter, so that a GPU updating a share of the
     * parameters runs that share of the work (Distributed Muon hands whole matrices to the ranks that update them;
     * exact when the matrices have one shape, an average otherwise); 0 for other optimizers.
     */
    public static double newtonSchulzFlopsPerParameter(Architecture m, Optimizer optimizer) {
        if (optimizer != Optimizer.MUON) {
            return 0;
        }
        return (double) ShapedOptimizerStates.newtonSchulzFlopsPerStep(m)
                / ParameterCounter.count(m).totalParameters();
    }

    // the update reads the weights it updates (the fp32 master under mixed precision), the gradient and the
    // optimizer's states, and writes the weights, the states and (mixed precision) the 16-bit working copy
    static double optimizerBytesPerParameter(Training training) {
        Precision p = training.precision();
        double updated = p.masterCopy() ? 4 : p.weights().bytesPerElement();
        double states = training.optimizer().stateBytes();
        return updated + p.gradients().bytesPerElement() + states + updated + states
                + (p.masterCopy() ? p.weights().bytesPerElement() : 0);
    }

    // per token and layer, forward: two LayerNorms (read + write h), two bias + dropout + residual-add sites (read 2h,
    // write h, and a 1-byte mask with residual dropout), the activation function over the FFN width, the QKV bias;
    // sequence parallelism splits the norm and dropout regions t ways
    static double elementwiseBytesPerToken(Architecture m, ActivationOptions o, double t) {
        double e = o.elementBytes();
        double h = m.hiddenSize();
        double sequenceSplit = o.sequenceParallel() ? t : 1;
        double residual = 2 * (3 * h * e + (o.residualDropout() ? h : 0)) / sequenceSplit;
        double qkvBias = m.qkvBias() ? 2 * 3 * h / t * e : 0;
        return normBytesPerToken(m, o, t) + residual + ffnActivationBytesPerToken(m, o, t, true, true)
                + moeDispatchBytesPerToken(m, o, t) + qkvBias;
    }

    // the layer's norms, forward, per token: each reads and writes h elements (1/t of the tokens under sequence
    // parallelism); what Megatron-Core's `layernorm` recompute module runs again
    static double normBytesPerToken(Architecture m, ActivationOptions o, double t) {
        double sequenceSplit = o.sequenceParallel() ? t : 1;
        return m.normsPerLayer() * 2.0 * m.hiddenSize() * o.elementBytes() / sequenceSplit;
    }

    /**
     * The FFN activation's forward bytes per token, averaged over the layers: a dense layer's over its f, an MoE
     * layer's over the k routed experts' and the shared experts' widths (each token passes k of them); {@code dense}
     * and {@code moe} pick which layers count (the `mlp` recompute module rebuilds the dense ones, `moe` and
     * `moe_act` the MoE ones).
     */
    static double ffnActivationBytesPerToken(Architecture m, ActivationOptions o, double t, boolean dense,
            boolean moe) {
        double perWidth = (m.mlp() == MlpType.GATED ? 3 : 2) / t * o.elementBytes();
        if (!m.isMoe()) {
            return dense ? perWidth * m.intermediateSize() : 0;
        }
        MoeConfig c = m.moe();
        double moeLayers = m.moeLayers();
        double denseLayers = m.numLayers() - moeLayers;
        double experts = (double) c.numExpertsPerToken() * c.expertIntermediateSize()
                + (double) c.numSharedExperts() * c.sharedExpertIntermediateSize();
        return ((dense ? denseLayers * perWidth * m.intermediateSize() : 0)
                + (moe ? moeLayers * perWidth * experts : 0)) / m.numLayers();
    }

    /**
     * An MoE layer's token permutation, forward, per token (averaged over the layers): the dispatch reads the token
     * and writes its k copies in expert order, the combine reads the k expert outputs and writes their weighted sum,
     * (2k + 2) · h elements (1/t of the tokens under sequence parallelism: each rank dispatches its own); Megatron-Core
     * moe_utils.permute / unpermute (the activation ledger keeps the same copies, "expert inputs and outputs"). Not
     * counted: the all-to-all dispatcher's gather over the tensor-parallel group and its re-sort of the group's tokens.
     */
    static double moeDispatchBytesPerToken(Architecture m, ActivationOptions o, double t) {
        if (!m.isMoe()) {
            return 0;
        }
        double sequenceSplit = o.sequenceParallel() ? t : 1;
        return (2.0 * m.moe().numExpertsPerToken() + 2) * m.hiddenSize() * o.elementBytes() / sequenceSplit
                * m.moeLayers() / m.numLayers();
    }

    // eager attention, per token and layer, forward: the fused scale-mask-softmax reads the a/t × s scores and writes
    // the probabilities, dropout reads them, writes the kept ones and a 1-byte mask
    static double softmaxBytesPerToken(Architecture m, ActivationOptions o, long s, double t) {
        double scores = m.numAttentionHeads() / t * s;
        double e = o.elementBytes();
        return 2 * scores * e + (o.dropout() ? 2 * scores * e + scores : 0);
    }

    /** Which GEMMs an FP8 recipe's step time ran in FP8, in words, for the answers' assumptions. */
    public static String fp8Gemms(Fp8Recipe recipe) {
        String who = recipe == Fp8Recipe.BLOCKWISE ? "DeepSeek-V3's fine-grained recipe (§3.3.1: Fprop, Dgrad and Wgrad "
                + "in FP8)" : "Transformer Engine's delayed-scaling recipe (all three GEMMs of each Linear in FP8)";
        return "FP8 GEMMs: under " + who + " the linear layers' GEMMs (attention QKV and output projections, MLA's "
                + "projections, the FFN or the routed and shared experts), forward and both backward GEMMs, and their "
                + "recomputation run at the matmul share × the GPU's dense FP8 peak; the attention core (QKᵀ, P·V: "
                + "fp8_dpa off), the MoE router, the LM head and the embedding stay at the BF16 peak. FP8 GEMMs are "
                + "assumed to reach the same share of their peak as BF16 ones (not measured). The quantize / transpose "
                + "kernels are element-wise: each FP8 layer's input forward (the transpose alone after a fused norm, 2 "
                + "B per element; 2 + 1 + 1 B otherwise) and its output gradient backward (2 + 1 + 1 B); weights cast "
                + "once per step are not counted.";
    }

    // GEMM seconds of `tokens` tokens: `flops` per token at the activation type's rate, the `fp8Flops` among them at the
    // FP8 rate (the same share of the FP8 dense peak, Transformer Engine's and DeepSeek-V3's FP8 GEMMs); without FP8
    // exactly tokens·flops / rate
    static double matmulSeconds(double tokens, double flops, double fp8Flops, double rate, double fp8Rate) {
        if (fp8Flops <= 0) {
            return tokens * flops / rate;
        }
        return tokens * fp8Flops / fp8Rate + tokens * (flops - fp8Flops) / rate;
    }

    // the GPU's dense FP8 peak (a run with an FP8 recipe is refused on a GPU without one: Training.requireRunsOn)
    private static double fp8PeakFlops(GpuSpec gpu) {
        return gpu.peakFlops(DType.FP8).orElse(gpu.peakFlops());
    }

    // the dense peak of the activations' data type, or the BF16 peak where the vendor publishes none for it
    private static double peakFlops(GpuSpec gpu, ActivationOptions o) {
        return gpu.peakFlops(o.activationType()).orElse(gpu.peakFlops());
    }

    // bytes at the achieved bandwidth; a GPU whose bandwidth is unknown (0) prices element-wise work at nothing
    private static double seconds(double bytes, double bandwidth) {
        return bandwidth > 0 ? bytes / bandwidth : 0;
    }

    /**
     * The pipeline of one micro-batch per stage under Megatron's uniform split (earlier stages take the remainder; the
     * last adds the LM head): the slowest stage's seconds and the sum over all stages.
     *
     * @param layer one layer's micro-batch seconds
     * @param head the last stage's extra seconds
     */
    public record Pipeline(MicroBatchSeconds slowest, double sumSeconds) {

        public static Pipeline of(int numLayers, int pipeline, MicroBatchSeconds layer, MicroBatchSeconds head) {
            int q = numLayers / pipeline;
            int r = numLayers % pipeline;
            int firstLayers = r > 0 ? q + 1 : q;
            MicroBatchSeconds last = layer.times(q).plus(head);
            MicroBatchSeconds slowest = last;
            if (pipeline > 1 && firstLayers * layer.total() > last.total()) {
                slowest = layer.times(firstLayers);
            }
            return new Pipeline(slowest, pipeline == 1 ? slowest.total() : numLayers * layer.total() + head.total());
        }

        // 1F1B (Narayanan et al. 2021 §2.2): m micro-batches at the slowest stage's pace, plus the fill and drain of
        // one micro-batch through the other stages, divided by v when each stage holds v interleaved chunks
        public double bubbleSeconds(int virtualPipeline) {
            return (this.sumSeconds - this.slowest.total()) / virtualPipeline;
        }
    }

    /** Rows and columns of the output tile one thread block computes: cuBLAS's large BF16/FP16 tile (256 × 128). */
    static final int TILE_ROWS = 256;

    static final int TILE_COLUMNS = 128;

    /**
     * Tile and wave quantization of a layer's GEMMs: a GEMM whose output has T tiles of {@link #TILE_ROWS} ×
     * {@link #TILE_COLUMNS} runs in ceil(T / SMs) waves of one block per multiprocessor, so it reaches T / (waves ·
     * SMs) of the rate a full last wave would (NVIDIA, "Matrix Multiplication Background User's Guide", wave
     * quantization). Averaged, by FLOPs, over the dense layer's GEMMs (QKV, output projection, FFN in and out; the
     * attention projections alone for MLA and MoE layers, whose other GEMMs are not plain) and their three passes:
     * forward (tokens × N output), input gradient (tokens × K) and weight gradient (N × K). 1 when the GPU's
     * multiprocessors are unknown. The GEMM share is fitted with this factor applied.
     *
     * @param tokens the micro-batch's tokens on this GPU (b·s/c), the GEMMs' M
     */
    static double waveQuantization(Architecture m, double tokens, int tensor, int multiprocessors) {
        if (multiprocessors <= 0) {
            return 1;
        }
        double t = tensor;
        double h = m.hiddenSize();
        double flops = 0;
        double waveTime = 0;
        if (!m.hasMla()) {
            double qkv = (m.numAttentionHeads() + 2.0 * m.numKeyValueHeads()) * m.headDim() / t;
            double attended = m.numAttentionHeads() * m.headDim() / t;
            flops += 3 * tokens * (qkv * h + h * attended);
            waveTime += gemmWaveTime(tokens, qkv, h, multiprocessors) + gemmWaveTime(tokens, h, attended, multiprocessors);
        }
        if (!m.isMoe()) {
            double f = m.intermediateSize() / t;
            double in = m.mlp() == MlpType.GATED ? 2 * f : f;
            flops += 3 * tokens * (in * h + h * f);
            waveTime += gemmWaveTime(tokens, in, h, multiprocessors) + gemmWaveTime(tokens, h, f, multiprocessors);
        }
        return flops > 0 ? flops / waveTime : 1;
    }

    // a GEMM of M = tokens, N × K weights: its forward (M × N output), input-gradient (M × K) and weight-gradient (N × K)
    // FLOPs, each divided by the share of its last wave's multiprocessors its tiles fill
    private static double gemmWaveTime(double tokens, double n, double k, int multiprocessors) {
        double work = tokens * n * k;
        return work / filled(tokens, n, multiprocessors) + work / filled(tokens, k, multiprocessors)
                + work / filled(n, k, multiprocessors);
    }

    private static double filled(double rows, double columns, int multiprocessors) {
        double tiles = Math.ceil(rows / TILE_ROWS) * Math.ceil(columns / TILE_COLUMNS);
        return tiles / (Math.ceil(tiles / multiprocessors) * multiprocessors);
    }
}
