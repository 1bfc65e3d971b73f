package dev.llmcalc.core.compute;

import static dev.llmcalc.core.unit.InvalidInputException.require;

import java.math.BigInteger;
import java.util.Set;

import dev.llmcalc.core.DocumentFormula;
import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.model.MlaConfig;
import dev.llmcalc.core.model.MoeConfig;
import dev.llmcalc.core.params.ParameterCounter;
import dev.llmcalc.core.run.RecomputeModule;
import dev.llmcalc.core.unit.Exact;

/**
 * Training FLOPs: the document's C ≈ 6·N·D and the detailed count per token (spec formulas.md §4).
 * Per-token counts are exact integers; an overflow is reported, not wrapped.
 */
public final class TrainingFlops {

    /** Sequence length for the attention term when a request gives none: GPT-3's (Brown et al. 2020). */
    public static final int DEFAULT_SEQUENCE_LENGTH = 2048;

    /** Forward + backward, the backward costing twice the forward (gradients for inputs and for weights). */
    static final int TRAINING_PASSES = 3;

    /** A multiply-add is two floating-point operations. */
    private static final int FLOPS_PER_MULTIPLY_ADD = 2;

    private static final String Q = "flopsPerToken";

    private TrainingFlops() {
    }

    // seed §2 "大模型中的扩展法则是什么?如何推演?": C ≈ 6·N·D (evaluated exactly, then rounded once to a double)
    public static double sixND(long parameters, long tokens) {
        return BigInteger.valueOf(6).multiply(BigInteger.valueOf(parameters)).multiply(BigInteger.valueOf(tokens))
                .doubleValue();
    }

    /**
     * The document's formula for this run, next to the detailed count.
     *
     * @param detailedTrainingFlops the detailed training FLOPs, or {@code NaN} when no architecture is known
     *        (6·N·D is then the estimate itself)
     */
    public static DocumentFormula sixNDFormula(long parameters, long tokens, double detailedTrainingFlops) {
        return sixNDFormula(parameters, tokens, detailedTrainingFlops, false);
    }

    /**
     * @param frozenBase a LoRA / QLoRA run: the detailed count has no weight gradients for the frozen weights
     */
    public static DocumentFormula sixNDFormula(long parameters, long tokens, double detailedTrainingFlops,
            boolean frozenBase) {
        double value = sixND(parameters, tokens);
        boolean modelKnown = !Double.isNaN(detailedTrainingFlops);
        boolean exact = !modelKnown || value == detailedTrainingFlops;
        String note;
        if (!modelKnown) {
            note = "no architecture given: 6·N·D is the estimate (2 FLOPs per parameter forward, 4 backward)";
        }
        else if (frozenBase) {
            note = String.format("full training's count (every weight gets a gradient); with frozen base weights the "
                    + "backward pass skips their weight gradients, so the detailed count (2·F + S + 3·A per token) is "
                    + "about 2/3 of it; 6·N·D differs from the detailed count by %+.2f%%",
                    (value - detailedTrainingFlops) / detailedTrainingFlops * 100.0);
        }
        else {
            note = String.format("2 FLOPs per parameter forward and 4 backward, without the attention-score term "
                    + "(QKᵀ, P·V) and with embedding parameters counted as matmuls; differs from the detailed count "
                    + "by %+.2f%%", (value - detailedTrainingFlops) / detailedTrainingFlops * 100.0);
        }
        return new DocumentFormula("seed §2 大模型中的扩展法则是什么?如何推演?", "C ≈ 6·N·D",
                "6·" + parameters + "·" + tokens, value, exact, note);
    }

    // Narayanan et al. 2021 (arXiv:2104.04473) §5.1, Megatron num_floating_point_operations: forward FLOPs of one token
    public static ForwardFlops forwardPerToken(Architecture m, int sequenceLength, boolean causal) {
        require(sequenceLength >= 1, "sequenceLength", "must be at least 1");
        return new ForwardFlops(attentionProjections(m), mlp(m), router(m), lmHead(m),
                attentionScores(m, sequenceLength, causal));
    }

    // 2 FLOPs per weight of Q, K, V, O (or MLA's projections), every layer; biases and norms are not counted
    static long attentionProjections(Architecture m) {
        return Exact.multiply(Q, FLOPS_PER_MULTIPLY_ADD, ParameterCounter.attentionMatrices(m), m.numLayers());
    }

    // Megatron-Core --recompute-modules: the matmul FLOPs of one token that selective recomputation runs again.
    // core_attn = QKᵀ and P·V; mlp = the dense FFN layers; moe = router + routed + shared experts of the MoE layers;
    // shared_experts = the shared experts alone; mla_up_proj = MLA's q and kv up-projections; moe_act and layernorm
    // rebuild element-wise outputs, which carry no matmul FLOPs (norms and activations are not counted anywhere)
    public static long selectiveRecomputedPerToken(Architecture m, ForwardFlops forward,
            Set<RecomputeModule> modules) {
        if (modules.isEmpty()) {
            return forward.attentionScores();
        }
        long recomputed = 0;
        if (modules.contains(RecomputeModule.CORE_ATTN)) {
            recomputed = Exact.add(Q, recomputed, forward.attentionScores());
        }
        if (modules.contains(RecomputeModule.MLP)) {
            recomputed = Exact.add(Q, recomputed, Exact.multiply(Q, FLOPS_PER_MULTIPLY_ADD, m.denseFfnLayers(),
                    ParameterCounter.mlpMatrices(m, m.intermediateSize())));
        }
        if (m.isMoe()) {
            long shared = Exact.multiply(Q, FLOPS_PER_MULTIPLY_ADD * (long) m.moeLayers(),
                    m.moe().numSharedExperts(), ParameterCounter.mlpMatrices(m, m.moe().sharedExpertIntermediateSize()));
            if (modules.contains(RecomputeModule.MOE)) {
                long routed = Exact.multiply(Q, FLOPS_PER_MULTIPLY_ADD * (long) m.moeLayers(),
                        m.moe().numExpertsPerToken(), ParameterCounter.mlpMatrices(m, m.moe().expertIntermediateSize()));
                recomputed = Exact.sum(Q, recomputed, router(m), routed, shared);
            }
            else if (modules.contains(RecomputeModule.SHARED_EXPERTS)) {
                recomputed = Exact.add(Q, recomputed, shared);
            }
        }
        if (modules.contains(RecomputeModule.MLA_UP_PROJ) && m.hasMla()) {
            recomputed = Exact.add(Q, recomputed,
                    Exact.multiply(Q, FLOPS_PER_MULTIPLY_ADD, m.numLayers(), mlaUpProjections(m)));
        }
        return recomputed;
    }

    // DeepSeek-V2 §2.1: the up-projections from the latents, r_q·a·(d_nope + d_rope) + r_kv·a·(d_nope + d_v)
    // (uncompressed queries have no query up-projection: only the key/value one is counted)
    static long mlaUpProjections(Architecture m) {
        MlaConfig mla = m.mla();
        long query = mla.compressesQueries()
                ? Exact.multiply(Q, mla.qLoraRank(), m.numAttentionHeads(), mla.qkHeadDim()) : 0;
        long keyValue = Exact.multiply(Q, mla.kvLoraRank(), m.numAttentionHeads(),
                (long) mla.qkNopeHeadDim() + mla.vHeadDim());
        return Exact.add(Q, query, keyValue);
    }

    // 2 FLOPs per FFN weight a token passes: dense layers f; MoE layers k routed experts + shared experts
    static long mlp(Architecture m) {
        long dense = Exact.multiply(Q, m.denseFfnLayers(), ParameterCounter.mlpMatrices(m, m.intermediateSize()));
        long moe = 0;
        if (m.isMoe()) {
            MoeConfig config = m.moe();
            long routed = Exact.multiply(Q, config.numExpertsPerToken(),
                    ParameterCounter.mlpMatrices(m, config.expertIntermediateSize()));
            long shared = Exact.multiply(Q, config.numSharedExperts(),
                    ParameterCounter.mlpMatrices(m, config.sharedExpertIntermediateSize()));
            moe = Exact.multiply(Q, m.moeLayers(), Exact.add(Q, routed, shared));
        }
        return Exact.multiply(Q, FLOPS_PER_MULTIPLY_ADD, Exact.add(Q, dense, moe));
    }

    // 2·h·E per MoE layer: the router's logits (its bias, if any, is an addition and not counted)
    static long router(Architecture m) {
        if (!m.isMoe()) {
            return 0;
        }
        return Exact.multiply(Q, FLOPS_PER_MULTIPLY_ADD * (long) m.moeLayers(), m.hiddenSize(), m.moe().numExperts());
    }

    // Narayanan et al. 2021 §5.1: LM head 2·h·V (a tied head is still a matmul)
    static long lmHead(Architecture m) {
        // a scalar head (reward and value models) is 2·h
        return Exact.multiply(Q, FLOPS_PER_MULTIPLY_ADD, m.hiddenSize(), m.scalarHead() ? 1 : m.vocabSize());
    }

    // Narayanan et al. 2021 §5.1: per layer QKᵀ 2·s·a·d_qk + P·V 2·s·a·d_v over all s keys (Megatron, non-causal);
    // causal halves it (FlashAttention counting: the masked half is skipped). MLA: d_qk = d_nope + d_rope, d_v = v_head_dim
    static long attentionScores(Architecture m, int sequenceLength, boolean causal) {
        int queryKeyWidth = m.hasMla() ? m.mla().qkHeadDim() : m.headDim();
        int valueWidth = m.hasMla() ? m.mla().vHeadDim() : m.headDim();
        long multiplyAddsPerLayer = Exact.multiply(Q, sequenceLength, m.numAttentionHeads(),
                (long) queryKeyWidth + valueWidth);
        long multiplyAdds = Exact.multiply(Q, multiplyAddsPerLayer, m.numLayers());
        return causal ? multiplyAdds : Exact.multiply(Q, FLOPS_PER_MULTIPLY_ADD, multiplyAdds);
    }
}
