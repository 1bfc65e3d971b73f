package dev.llmcalc.core.params;

import java.math.BigDecimal;

import dev.llmcalc.core.DocumentFormula;
import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.model.MlaConfig;
import dev.llmcalc.core.model.MoeConfig;
import dev.llmcalc.core.model.PositionEmbedding;
import dev.llmcalc.core.model.QkNormScope;
import dev.llmcalc.core.unit.Exact;

/**
 * Exact parameter counts of a decoder-only transformer, term by term (spec formulas.md §1). Each
 * method counts one kind of weight; all arithmetic is exact and overflows are reported, not wrapped.
 */
public final class ParameterCounter {

    private static final String Q = "totalParameters";

    private ParameterCounter() {
    }

    public static ParameterCount count(Architecture model) {
        ParameterBreakdown breakdown = breakdown(model);
        long layers = Exact.add(Q, Exact.multiply(Q, breakdown.denseLayerParameters(), breakdown.denseLayers()),
                Exact.multiply(Q, breakdown.moeLayerParameters(), breakdown.moeLayers()));
        long embeddingLike = Exact.sum(Q, breakdown.embedding(), breakdown.positionEmbedding(), breakdown.lmHead());
        long total = Exact.sum(Q, embeddingLike, layers, breakdown.finalNorm());
        long inactiveExperts = Exact.multiply(Q, breakdown.expertsPerLayer() - breakdown.activeExpertsPerLayer(),
                breakdown.moeLayers());
        long experts = Exact.multiply(Q, breakdown.expertsPerLayer(), breakdown.moeLayers());
        return new ParameterCount(total, total - inactiveExperts, total - embeddingLike, experts, breakdown, model);
    }

    public static ParameterBreakdown breakdown(Architecture model) {
        MoeConfig moe = model.moe();
        return new ParameterBreakdown(embedding(model), positionEmbedding(model), attentionPerLayer(model),
                model.denseFfnLayers() > 0 ? denseMlpPerLayer(model) : 0, normsPerLayer(model),
                moe != null ? router(model) : 0,
                moe != null ? Exact.multiply(Q, moe.numExperts(), expertMlp(model, moe.expertIntermediateSize())) : 0,
                moe != null ? Exact.multiply(Q, moe.numExpertsPerToken(), expertMlp(model, moe.expertIntermediateSize()))
                        : 0,
                moe != null ? Exact.multiply(Q, moe.numSharedExperts(), expertMlp(model, moe.sharedExpertIntermediateSize()))
                        : 0,
                finalNorm(model), lmHead(model), model.denseFfnLayers(), model.moeLayers());
    }

    // spec §1: token embedding V·h
    public static long embedding(Architecture m) {
        return Exact.multiply(Q, m.vocabSize(), m.hiddenSize());
    }

    // spec §1: learned absolute positions max_pos·h (GPT-2); rotary/ALiBi hold no parameters
    public static long positionEmbedding(Architecture m) {
        return m.positionEmbedding() == PositionEmbedding.LEARNED
                ? Exact.multiply(Q, m.maxPositionEmbeddings(), m.hiddenSize()) : 0;
    }

    // spec §1: LM head h·V unless tied to the embedding
    public static long lmHead(Architecture m) {
        if (m.scalarHead()) {
            // OpenRLHF / verl value and reward heads: nn.Linear(h, 1, bias=False)
            return m.hiddenSize();
        }
        return m.tiedEmbeddings() ? 0 : Exact.multiply(Q, m.hiddenSize(), m.vocabSize());
    }

    // spec §1: one norm is h (RMS) or 2h (LayerNorm) or 0 (non-parametric)
    public static long finalNorm(Architecture m) {
        return Exact.multiply(Q, m.norm().vectors(), m.hiddenSize());
    }

    // spec §1: normsPerLayer × the size of one norm
    public static long normsPerLayer(Architecture m) {
        return Exact.multiply(Q, m.normsPerLayer(), finalNorm(m));
    }

    /** Attention weights of one layer: projections, biases, qk-norms and sinks (or the MLA projections). */
    public static long attentionPerLayer(Architecture m) {
        if (m.hasMla()) {
            return Exact.sum(Q, mlaQuery(m), mlaKeyValue(m), mlaOutput(m));
        }
        return Exact.sum(Q, attentionMatrices(m), qkvBias(m), attentionOutputBias(m), qkNorm(m), attentionSinks(m));
    }

    // spec §1: Q h·a·d + K, V 2·h·g·d + O a·d·h (weights only; reduces to (2 + 2g/a)·h² when d = h/a)
    public static long attentionMatrices(Architecture m) {
        if (m.hasMla()) {
            return mlaMatrices(m);
        }
        long queryWidth = Exact.multiply(Q, m.numAttentionHeads(), m.headDim());
        long keyValueWidth = Exact.multiply(Q, m.numKeyValueHeads(), m.headDim());
        long qAndO = Exact.multiply(Q, 2, m.hiddenSize(), queryWidth);
        long kAndV = Exact.multiply(Q, 2, m.hiddenSize(), keyValueWidth);
        return Exact.add(Q, qAndO, kAndV);
    }

    // spec §1: QKV biases (a + 2g)·d
    static long qkvBias(Architecture m) {
        return m.qkvBias() ? Exact.multiply(Q, m.numAttentionHeads() + 2L * m.numKeyValueHeads(), m.headDim()) : 0;
    }

    // spec §1: attention output bias h
    static long attentionOutputBias(Architecture m) {
        return m.attentionOutputBias() ? m.hiddenSize() : 0;
    }

    // spec §1: qk-norm 2·d (one per-head norm for queries, one for keys, shared across heads; Qwen3, Gemma-3);
    // modeling_olmo2.py normalises the whole projections instead: q_norm over a·d, k_norm over g·d, (a + g)·d
    static long qkNorm(Architecture m) {
        if (!m.qkNorm()) {
            return 0;
        }
        long width = m.qkNormScope() == QkNormScope.FULL_WIDTH
                ? Exact.multiply(Q, (long) m.numAttentionHeads() + m.numKeyValueHeads(), m.headDim())
                : Exact.multiply(Q, 2, m.headDim());
        return Exact.multiply(Q, m.norm().vectors(), width);
    }

    // modeling_gpt_oss.py GptOssAttention: sinks = nn.Parameter(torch.empty(num_attention_heads)), a per layer
    public static long attentionSinks(Architecture m) {
        return m.attentionSinks() ? m.numAttentionHeads() : 0;
    }

    // spec §1, DeepSeek-V2 §2.1: q = h·r_q + r_q + r_q·a·(d_nope + d_rope), or h·a·(d_nope + d_rope) uncompressed
    static long mlaQuery(Architecture m) {
        MlaConfig mla = m.mla();
        long perHeads = Exact.multiply(Q, m.numAttentionHeads(), mla.qkHeadDim());
        if (!mla.compressesQueries()) {
            return Exact.multiply(Q, m.hiddenSize(), perHeads);
        }
        return Exact.sum(Q, Exact.multiply(Q, m.hiddenSize(), mla.qLoraRank()), mla.qLoraRank(),
                Exact.multiply(Q, mla.qLoraRank(), perHeads));
    }

    // spec §1, DeepSeek-V2 §2.1: kv = h·(r_kv + d_rope) + r_kv + r_kv·a·(d_nope + d_v)
    static long mlaKeyValue(Architecture m) {
        MlaConfig mla = m.mla();
        long down = Exact.multiply(Q, m.hiddenSize(), (long) mla.kvLoraRank() + mla.qkRopeHeadDim());
        long up = Exact.multiply(Q, mla.kvLoraRank(), m.numAttentionHeads(),
                (long) mla.qkNopeHeadDim() + mla.vHeadDim());
        return Exact.sum(Q, down, mla.kvLoraRank(), up);
    }

    // spec §1, DeepSeek-V2 §2.1: o = a·d_v·h
    static long mlaOutput(Architecture m) {
        return Exact.multiply(Q, m.numAttentionHeads(), m.mla().vHeadDim(), m.hiddenSize());
    }

    /** MLA weight matrices only (without the two latent norms): what the matmul FLOPs see. */
    static long mlaMatrices(Architecture m) {
        MlaConfig mla = m.mla();
        long latentNorms = mla.kvLoraRank() + (long) mla.qLoraRank();
        return Exact.sum(Q, mlaQuery(m), mlaKeyValue(m), mlaOutput(m)) - latentNorms;
    }

    // spec §1: dense FFN, gated 3·h·f or standard 2·h·f, plus biases
    public static long denseMlpPerLayer(Architecture m) {
        return expertMlp(m, m.intermediateSize());
    }

    // spec §1: one FFN of width f: matrices·h·f (+ f per h→f projection and h for the down projection with biases)
    public static long expertMlp(Architecture m, int width) {
        long weights = Exact.multiply(Q, m.mlp().matrices(), m.hiddenSize(), width);
        long biases = m.mlpBias() ? Exact.add(Q, Exact.multiply(Q, m.mlp().ffnWideBiases(), width), m.hiddenSize()) : 0;
        return Exact.add(Q, weights, biases);
    }

    // spec §1: FFN weight matrices only, matrices·h·f (what the matmul FLOPs see)
    public static long mlpMatrices(Architecture m, int width) {
        return Exact.multiply(Q, m.mlp().matrices(), m.hiddenSize(), width);
    }

    // spec §1: MoE router h·E (+E with bias); modeling_qwen2_moe.py adds shared_expert_gate, an h→1 linear (+h)
    public static long router(Architecture m) {
        MoeConfig moe = m.moe();
        long weights = Exact.multiply(Q, m.hiddenSize(), moe.numExperts());
        long bias = moe.routerBias() ? moe.numExperts() : 0;
        long sharedExpertGate = moe.sharedExpertGate() ? m.hiddenSize() : 0;
        return Exact.sum(Q, weights, bias, sharedExpertGate);
    }

    // seed §3 "模型在非训练状态下的显存占用计算公式": Φ = V·h + L·[h + (2 + 2g/a)·h² + h + 3·h·f] + h + h·V
    public static DocumentFormula documentFormula(Architecture m, long detailedTotal) {
        BigDecimal v = BigDecimal.valueOf(m.vocabSize());
        BigDecimal h = BigDecimal.valueOf(m.hiddenSize());
        BigDecimal f = BigDecimal.valueOf(m.intermediateSize());
        // (2 + 2g/a)·h² evaluated as (2a + 2g)·h²/a, so the division happens once and is exact when it can be
        BigDecimal attention = Exact.quotient(BigDecimal.valueOf(2L * m.numAttentionHeads() + 2L * m.numKeyValueHeads())
                .multiply(h.multiply(h)), m.numAttentionHeads());
        BigDecimal perLayer = h.add(attention)
                .add(h)
                .add(BigDecimal.valueOf(3).multiply(h).multiply(f));
        BigDecimal phi = v.multiply(h)
                .add(BigDecimal.valueOf(m.numLayers()).multiply(perLayer))
                .add(h)
                .add(h.multiply(v));
        boolean exact = phi.compareTo(BigDecimal.valueOf(detailedTotal)) == 0;
        // concatenation, not String.format: this runs for every /parameters answer
        String substituted = m.vocabSize() + "·" + m.hiddenSize() + " + " + m.numLayers() + "·[" + m.hiddenSize()
                + " + (2 + 2·" + m.numKeyValueHeads() + "/" + m.numAttentionHeads() + ")·" + m.hiddenSize() + "² + "
                + m.hiddenSize() + " + 3·" + m.hiddenSize() + "·" + m.intermediateSize() + "] + " + m.hiddenSize()
                + " + " + m.hiddenSize() + "·" + m.vocabSize();
        return new DocumentFormula("seed §3 大模型训练过程中如何计算显存 (模型在非训练状态下的显存占用计算公式)",
                "Φ = V·h + L·[h + (2 + 2·g/a)·h² + h + 3·h·f] + h + h·V", substituted, phi.doubleValue(), exact,
                exact ? "exact for this shape"
                        : "assumes a Llama-style dense model: RMSNorm (2 per layer), untied LM head, head dim h/a, "
                                + "gated MLP, no biases, no learned positions, no MoE or MLA; "
                                + differenceNote(phi, detailedTotal));
    }

    private static String differenceNote(BigDecimal documentValue, long detailed) {
        BigDecimal difference = documentValue.subtract(BigDecimal.valueOf(detailed));
        double relative = detailed == 0 ? 0 : difference.doubleValue() / detailed * 100.0;
        return String.format("differs from the detailed count by %s (%+.3f%%)", difference.toPlainString(), relative);
    }
}
