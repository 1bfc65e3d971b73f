package dev.llmcalc.core.activation;

import java.util.List;

import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.model.MlaConfig;
import dev.llmcalc.core.model.MlpType;
import dev.llmcalc.core.model.MoeConfig;
import dev.llmcalc.core.model.NormType;
import dev.llmcalc.core.run.ActivationOptions;
import dev.llmcalc.core.run.AdapterActivations;
import dev.llmcalc.core.run.AttentionKernel;
import dev.llmcalc.core.run.Fp8Recipe;
import dev.llmcalc.core.run.RecomputeModule;
import dev.llmcalc.core.run.Recomputation;
import dev.llmcalc.core.unit.Exact;

/**
 * What one transformer layer keeps for backward, tensor by tensor: the per-tensor ledger of spec
 * formulas.md §3a, measured with PyTorch autograd saved-tensor hooks, generalised to every
 * architecture the core describes. Names are the breakdown keys the API returns.
 */
final class LayerLedgers {

    static final String NORM_STATISTICS = "norm statistics (fp32 mean/rstd)";

    /** The ledger name of the LoRA intermediates, one line whatever the module. */
    static final String ADAPTER_INTERMEDIATES = "LoRA intermediates (x·A, r wide)";

    private static final String Q = ActivationLedger.QUANTITY;

    /** fp32 rstd per token for RMSNorm; fp32 mean and rstd for LayerNorm (with or without affine weights). */
    private static final int RMS_STATISTICS_BYTES = 4;

    private static final int LAYER_NORM_STATISTICS_BYTES = 8;

    /** fp32 log-sum-exp per query and head kept by FlashAttention. */
    private static final int LOG_SUM_EXP_BYTES = 4;

    /** Dropout masks are bool tensors: one byte per element. */
    private static final int MASK_BYTES = 1;

    /** The router's softmax runs in fp32. */
    private static final int ROUTER_PROBABILITY_BYTES = 4;

    /** Per token and chosen expert: int64 index + fp32 routing weight (§3a MoE: 12·R·k). */
    private static final int ROUTING_BYTES_PER_CHOICE = 12;

    /** Per token: fp32 normaliser of the top-k weights (§3a MoE: 4R). */
    private static final int ROUTING_NORMALISER_BYTES = 4;

    /** Per token and chosen expert: gather/scatter index bookkeeping (§3a MoE: the 18 in R·k·(6h + 8f_e + 18)). */
    private static final int DISPATCH_INDEX_BYTES_PER_CHOICE = 18;

    private LayerLedgers() {
    }

    /**
     * @param shape the micro-batch as one GPU sees it
     * @param moeLayer whether this layer's FFN is the mixture of experts
     * @param recomputation the mode; FULL keeps the layer input only
     */
    static List<LedgerEntry> layer(Architecture m, LocalShape shape, ActivationOptions o, boolean moeLayer,
            Recomputation recomputation) {
        ActivationLedger ledger = new ActivationLedger(shape.tensorParallel(), o.sequenceParallel());
        int e = o.elementBytes();
        long r = shape.tokens();
        long h = m.hiddenSize();
        if (recomputation == Recomputation.FULL) {
            // Korthikanti §5: full recomputation keeps the layer input, 2·s·b·h (÷t with sequence parallelism)
            return ledger.add("layer input", Split.SEQUENCE, Exact.multiply(Q, r, h), e).entries();
        }
        long normStatistics = m.norm() == NormType.RMS_NORM ? RMS_STATISTICS_BYTES : LAYER_NORM_STATISTICS_BYTES;
        int norms = m.normsPerLayer();
        // Megatron-Core recompute_modules: each module rebuilt in backward keeps none of its own tensors
        boolean norm = recomputed(o, recomputation, RecomputeModule.LAYERNORM);

        // --- attention half
        if (norms >= 1) {
            ledger.add("attention-norm input", Split.SEQUENCE, Exact.multiply(Q, r, h), e);
        }
        if (norms == 0 || !norm) {
            linearInput(ledger, o, norms >= 1 ? "attention input (norm output)" : "attention input (layer input)",
                    Split.SEQUENCE, Exact.multiply(Q, r, h), e);
        }
        if (m.hasMla()) {
            mlaProjections(ledger, m, r, e, recomputed(o, recomputation, RecomputeModule.MLA_UP_PROJ), o);
        }
        else {
            standardProjections(ledger, m, r, e, o);
        }
        adapterIntermediates(ledger, o.adapters(), r, o.adapters().attentionMatrices(), e);
        attentionCore(ledger, m, shape, o, recomputation);
        if (o.residualDropout()) {
            ledger.add("residual dropout masks", Split.SEQUENCE, Exact.multiply(Q, r, h), MASK_BYTES);
        }
        if (norms >= 3 && !m.parallelBlock()) {
            // sandwich norms (Gemma-2): the post-attention norm keeps the attention output projection's result
            ledger.add("post-attention-norm input", Split.SEQUENCE, Exact.multiply(Q, r, h), e);
        }

        // --- MLP half
        if (m.parallelBlock()) {
            if (norms >= 2 && !norm) {
                // a second norm over the same layer input (Falcon's new decoder architecture): its own output
                ledger.add("MLP input (second norm output)", Split.SEQUENCE, Exact.multiply(Q, r, h), e);
            }
        }
        else {
            if (norms >= 2) {
                ledger.add("MLP-norm input", Split.SEQUENCE, Exact.multiply(Q, r, h), e);
            }
            if (norms < 2 || !norm) {
                String input = norms >= 2 ? "MLP input (norm output)" : "MLP input (residual)";
                if (moeLayer) {
                    // the router's input: its GEMM stays 16-bit (DeepSeek-V3 §3.3.1, Megatron's router), so the
                    // 16-bit tensor is kept; the shared experts keep their own FP8 cast
                    ledger.add(input, Split.SEQUENCE, Exact.multiply(Q, r, h), e);
                    if (o.fp8().any() && m.moe().numSharedExperts() > 0
                            && !recomputed(o, recomputation, RecomputeModule.SHARED_EXPERTS)
                            && !recomputed(o, recomputation, RecomputeModule.MOE)) {
                        linearInput(ledger, o, "shared-expert input", Split.SEQUENCE, Exact.multiply(Q, r, h), e);
                    }
                }
                else {
                    linearInput(ledger, o, input, Split.SEQUENCE, Exact.multiply(Q, r, h), e);
                }
            }
        }
        if (moeLayer) {
            if (!recomputed(o, recomputation, RecomputeModule.MOE)) {
                moe(ledger, m, r, e, recomputed(o, recomputation, RecomputeModule.MOE_ACT),
                        recomputed(o, recomputation, RecomputeModule.SHARED_EXPERTS), o);
            }
        }
        else if (!recomputed(o, recomputation, RecomputeModule.MLP)) {
            mlp(ledger, m.mlp(), r, m.intermediateSize(), e, "MLP", false, o);
        }
        adapterIntermediates(ledger, o.adapters(), ffnPasses(m, r, moeLayer), o.adapters().ffnMatrices(), e);
        if (o.residualDropout()) {
            ledger.add("residual dropout masks", Split.SEQUENCE, Exact.multiply(Q, r, h), MASK_BYTES);
        }
        if (norms >= 4 && !m.parallelBlock()) {
            ledger.add("post-MLP-norm input", Split.SEQUENCE, Exact.multiply(Q, r, h), e);
        }
        // every norm keeps fp32 statistics per token, with or without affine weights (the recomputed attention and
        // pre-MLP norms rebuild theirs)
        ledger.add(NORM_STATISTICS, Split.SEQUENCE, Exact.multiply(Q, r, norm ? Math.max(0, norms - 2) : norms),
                normStatistics);
        return ledger.entries();
    }

    /** FP8 activation scales of DeepSeek-V3's blockwise recipe, one ledger line whatever the tensor. */
    static final String FP8_TILE_SCALES = "FP8 activation scales (fp32 per 1 × 128 tile)";

    /** One FP8 byte per element of a linear layer's input. */
    private static final int FP8_BYTES = 1;

    /** An fp32 scale per tile. */
    private static final int SCALE_BYTES = 4;

    // Transformer Engine (Linear / LayerNormLinear save the FP8 cast of their input for the weight gradient) and
    // DeepSeek-V3 §3.3.3 ("cache the activations in FP8 for the Linear operator's backward"): 1 B per element,
    // blockwise with an fp32 scale per 1 × 128 tile; without FP8 the activation width
    private static void linearInput(ActivationLedger ledger, ActivationOptions o, String tensor, Split split,
            long elements, int e) {
        if (!o.fp8().any()) {
            ledger.add(tensor, split, elements, e);
            return;
        }
        ledger.add(tensor + " [fp8]", split, elements, FP8_BYTES);
        if (o.fp8() == Fp8Recipe.BLOCKWISE) {
            ledger.add(FP8_TILE_SCALES, split, Exact.ceilDiv(elements, Fp8Recipe.BLOCK), SCALE_BYTES);
        }
    }

    /** Whether backward rebuilds {@code module} in a layer ledgered for {@code recomputation}. */
    private static boolean recomputed(ActivationOptions o, Recomputation recomputation, RecomputeModule module) {
        return recomputation == Recomputation.SELECTIVE && o.recomputes(module);
    }

    // §3a: Q, K, V after rotary 2R·a·d + 2·2R·g·d (a kernel that keeps K, V at g heads); attention output 2R·a·d; qk-norm 2R(a+g)·d
    private static void standardProjections(ActivationLedger ledger, Architecture m, long r, int e,
            ActivationOptions o) {
        long queryWidth = (long) m.numAttentionHeads() * m.headDim();
        long keyValueWidth = (long) m.numKeyValueHeads() * m.headDim();
        if (m.qkNorm()) {
            ledger.add("qk-norm inputs", Split.TENSOR, Exact.multiply(Q, r, queryWidth + keyValueWidth), e);
            ledger.add("qk-norm statistics (fp32)", Split.TENSOR,
                    Exact.multiply(Q, r, (long) m.numAttentionHeads() + m.numKeyValueHeads()),
                    m.norm() == NormType.RMS_NORM ? RMS_STATISTICS_BYTES : LAYER_NORM_STATISTICS_BYTES);
        }
        ledger.add("queries", Split.TENSOR, Exact.multiply(Q, r, queryWidth), e);
        ledger.add("keys and values", Split.TENSOR, Exact.multiply(Q, r, 2 * keyValueWidth), e);
        linearInput(ledger, o, "attention output (output-projection input)", Split.TENSOR,
                Exact.multiply(Q, r, queryWidth), e);
    }

    // DeepSeek-V2 §2.1 in Hugging Face eager form: latent norms (inputs + outputs) replicated, per-head Q, K, V split
    private static void mlaProjections(ActivationLedger ledger, Architecture m, long r, int e, boolean upProjections,
            ActivationOptions o) {
        MlaConfig mla = m.mla();
        long a = m.numAttentionHeads();
        if (mla.compressesQueries()) {
            latent(ledger, o, "query latent", Exact.multiply(Q, r, mla.qLoraRank()), e);
            ledger.add("latent norm statistics (fp32)", Split.REPLICATED, r, RMS_STATISTICS_BYTES);
        }
        latent(ledger, o, "key/value latent", Exact.multiply(Q, r, mla.kvLoraRank()), e);
        ledger.add("latent norm statistics (fp32)", Split.REPLICATED, r, RMS_STATISTICS_BYTES);
        if (!upProjections) {
            // mla_up_proj recomputes these from the latents (with rotary) in backward
            ledger.add("queries", Split.TENSOR, Exact.multiply(Q, r, a * mla.qkHeadDim()), e);
            ledger.add("keys and values", Split.TENSOR,
                    Exact.multiply(Q, r, a * mla.qkHeadDim() + a * mla.vHeadDim()), e);
        }
        linearInput(ledger, o, "attention output (output-projection input)", Split.TENSOR,
                Exact.multiply(Q, r, a * mla.vHeadDim()), e);
    }

    // an MLA latent keeps its norm's input and output; the output is the up-projection's input (FP8 under FP8)
    private static void latent(ActivationLedger ledger, ActivationOptions o, String label, long elements, int e) {
        if (!o.fp8().any()) {
            ledger.add(label + " (norm input and output)", Split.REPLICATED, Exact.multiply(Q, 2, elements), e);
            return;
        }
        ledger.add(label + " (norm input)", Split.REPLICATED, elements, e);
        linearInput(ledger, o, label + " (norm output, up-projection input)", Split.REPLICATED, elements, e);
    }

    // §3a: EAGER keeps the softmax output 2P (+ 1-byte mask P and the dropped output 2P with dropout: 5P);
    // FLASH keeps the fp32 log-sum-exp 4·b·a·s; selective recomputation keeps neither
    private static void attentionCore(ActivationLedger ledger, Architecture m, LocalShape shape, ActivationOptions o,
            Recomputation recomputation) {
        if (recomputed(o, recomputation, RecomputeModule.CORE_ATTN)) {
            return;
        }
        if (o.attention() == AttentionKernel.FLASH) {
            ledger.add("flash-attention log-sum-exp (fp32)", Split.TENSOR,
                    Exact.multiply(Q, shape.tokens(), m.numAttentionHeads()), LOG_SUM_EXP_BYTES);
            return;
        }
        long probabilities = shape.attentionProbabilities(m.numAttentionHeads());
        ledger.add("softmax output", Split.TENSOR, probabilities, o.elementBytes());
        if (o.dropout()) {
            ledger.add("attention dropout mask", Split.TENSOR, probabilities, MASK_BYTES);
            ledger.add("attention dropout output", Split.TENSOR, probabilities, o.elementBytes());
        }
    }

    /** Tokens through one FFN projection kind: R for a dense FFN; R·k routed + R per shared expert on a MoE layer. */
    private static long ffnPasses(Architecture m, long r, boolean moeLayer) {
        if (!moeLayer) {
            return r;
        }
        MoeConfig moe = m.moe();
        return Exact.multiply(Q, r, (long) moe.numExpertsPerToken() + moe.numSharedExperts());
    }

    // Hu et al. 2021 §4.1: h = W0·x + B·A·x; B's weight gradient needs A·x (r wide), A's needs x (the frozen matrix's
    // input, already kept): r·passes elements per adapted matrix, replicated over tensor-parallel ranks
    static void adapterIntermediates(ActivationLedger ledger, AdapterActivations adapters, long passes, int matrices,
            int e) {
        if (!adapters.any() || matrices == 0) {
            return;
        }
        ledger.add(ADAPTER_INTERMEDIATES, Split.REPLICATED,
                Exact.multiply(Q, passes, (long) adapters.rank() * matrices), e);
    }

    // §3a: gated MLP keeps gate out, activation out, up out and their product (8Rf at 2 bytes); standard keeps the
    // activation input and output (4Rf at 2 bytes)
    // (moe_act rebuilds the activation's output from the gate and up outputs it keeps)
    // (under FP8 the down projection's input — the product, or the activation's output — is kept in FP8)
    // (a fused gated activation keeps only the gate and up outputs and rebuilds the activation in backward; the down
    // projection still keeps its input, the product: Megatron-Core fusions/fused_bias_swiglu.py saves the input alone)
    private static void mlp(ActivationLedger ledger, MlpType type, long r, long width, int e, String label,
            boolean activationRecomputed, ActivationOptions o) {
        long elements = Exact.multiply(Q, r, width);
        if (type == MlpType.GATED) {
            ledger.add(label + " gate and up outputs", Split.TENSOR, elements, 2L * e);
            if (!activationRecomputed && o.fusedGatedActivation()) {
                linearInput(ledger, o, label + " product (down input)", Split.TENSOR, elements, e);
            }
            else if (!activationRecomputed && !o.fp8().any()) {
                ledger.add(label + " activation output and product (down input)", Split.TENSOR, elements, 2L * e);
            }
            else if (!activationRecomputed) {
                ledger.add(label + " activation output", Split.TENSOR, elements, e);
                linearInput(ledger, o, label + " product (down input)", Split.TENSOR, elements, e);
            }
        }
        else {
            ledger.add(label + " activation input (up output)", Split.TENSOR, elements, e);
            if (!activationRecomputed) {
                linearInput(ledger, o, label + " activation output (down input)", Split.TENSOR, elements, e);
            }
        }
    }

    // §3a MoE (token-choice top-k, gather/scatter dispatch): router 4·R·E + 12·R·k + 4R + R·k·(6h + 8f_e + 18)
    private static void moe(ActivationLedger ledger, Architecture m, long r, int e, boolean activationRecomputed,
            boolean sharedRecomputed, ActivationOptions o) {
        MoeConfig moe = m.moe();
        long k = moe.numExpertsPerToken();
        long choices = Exact.multiply(Q, r, k);
        ledger.add("router probabilities (fp32)", Split.SEQUENCE, Exact.multiply(Q, r, moe.numExperts()),
                ROUTER_PROBABILITY_BYTES);
        ledger.add("routing indices and weights", Split.SEQUENCE, choices, ROUTING_BYTES_PER_CHOICE);
        ledger.add("routing indices and weights", Split.SEQUENCE, r, ROUTING_NORMALISER_BYTES);
        if (!o.fp8().any()) {
            long perChoice = Exact.add(Q, Exact.multiply(Q, 3L * e, m.hiddenSize()), DISPATCH_INDEX_BYTES_PER_CHOICE);
            ledger.add("expert inputs and outputs (dispatch and combine copies)", Split.SEQUENCE, choices, perChoice);
        }
        else {
            // the dispatched copy is the experts' first linear input: FP8 (DeepSeek-V3 §3.3.3 dispatches in FP8)
            linearInput(ledger, o, "expert inputs (dispatched copy)", Split.SEQUENCE,
                    Exact.multiply(Q, choices, m.hiddenSize()), e);
            ledger.add("expert outputs (combine copies) and dispatch indices", Split.SEQUENCE, choices,
                    Exact.add(Q, Exact.multiply(Q, 2L * e, m.hiddenSize()), DISPATCH_INDEX_BYTES_PER_CHOICE));
        }
        mlp(ledger, m.mlp(), choices, moe.expertIntermediateSize(), e, "expert", activationRecomputed, o);
        for (int i = 0; i < moe.numSharedExperts() && !sharedRecomputed; i++) {
            mlp(ledger, m.mlp(), r, moe.sharedExpertIntermediateSize(), e, "shared-expert", false, o);
        }
    }
}
