package dev.llmcalc.core.parallel;

import java.util.ArrayList;
import java.util.List;

import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.model.MlaConfig;
import dev.llmcalc.core.model.MoeConfig;
import dev.llmcalc.core.params.ParameterCounter;
import dev.llmcalc.core.unit.Exact;

/**
 * Which parameters each GPU holds under tensor, pipeline and expert parallelism, following
 * Megatron-LM's layout (Shoeybi et al. 2019; Narayanan et al. 2021): column/row-parallel matrices
 * and vocabulary-parallel embeddings are split t ways; norms, row-parallel biases, routers and
 * learned position tables are replicated; layers are spread over pipeline stages with the earlier
 * stages taking the remainder; the embedding sits on the first stage and the final norm and LM head on
 * the last (a tied embedding is duplicated there when p > 1); routed experts are split e ways.
 */
public final class ParameterPlacement {

    private static final String Q = "localParameters";

    private ParameterPlacement() {
    }

    /** Every pipeline stage's share, on one of its GPUs. */
    public static List<LocalParameters> stages(Architecture m, Parallelism par) {
        return perStage(m, par, (stage, start, layers) -> stage(m, par, stage, start, layers));
    }

    /**
     * The weight matrices inside the layers each stage's GPU holds (attention projections, dense FFN, shared experts as
     * dense; its routed experts as expert), without norms, biases, routers, embedding or head: what QLoRA quantizes.
     */
    public static List<LocalParameters> stageLayerMatrices(Architecture m, Parallelism par) {
        return perStage(m, par, (stage, start, layers) -> layerMatrices(m, par, stage, start, layers));
    }

    /** One entry per pipeline stage; earlier stages take the remainder layers. */
    public static List<LocalParameters> perStage(Architecture m, Parallelism par, StageShare share) {
        par.requireFits(m);
        int p = par.pipeline();
        List<LocalParameters> result = new ArrayList<>(p);
        int start = 0;
        for (int stage = 0; stage < p; stage++) {
            int layers = Parallelism.layersOnStage(m.numLayers(), p, stage);
            result.add(share.of(stage, start, layers));
            start += layers;
        }
        return result;
    }

    /** What one GPU of a pipeline stage holds, given the stage's first layer and layer count. */
    @FunctionalInterface
    public interface StageShare {

        LocalParameters of(int stage, int start, int layers);
    }

    // Megatron layout restricted to the linear layers: split t ways except MLA's replicated down-projections
    private static LocalParameters layerMatrices(Architecture m, Parallelism par, int stage, int start, int layers) {
        int t = par.tensor();
        int denseFfnLayers = m.denseFfnLayersIn(start, layers);
        int moeLayers = layers - denseFfnLayers;
        long attention = m.hasMla() ? mlaAttention(m, t) - mlaLatentNorms(m)
                : Exact.ceilDiv(ParameterCounter.attentionMatrices(m), t);
        long dense = Exact.add(Q, Exact.multiply(Q, layers, attention),
                Exact.multiply(Q, denseFfnLayers, Exact.ceilDiv(ParameterCounter.mlpMatrices(m, m.intermediateSize()), t)));
        long expert = 0;
        if (moeLayers > 0) {
            MoeConfig moe = m.moe();
            dense = Exact.add(Q, dense, Exact.multiply(Q, moeLayers, moe.numSharedExperts(),
                    Exact.ceilDiv(ParameterCounter.mlpMatrices(m, moe.sharedExpertIntermediateSize()), t)));
            expert = Exact.multiply(Q, moeLayers, moe.numExperts() / par.expert(),
                    Exact.ceilDiv(ParameterCounter.mlpMatrices(m, moe.expertIntermediateSize()), t));
        }
        return new LocalParameters(dense, expert, stage, layers);
    }

    /** MLA's latent RMSNorm weights (kv, and q when queries are compressed): replicated vectors, not matrices. */
    private static long mlaLatentNorms(Architecture m) {
        MlaConfig mla = m.mla();
        return (long) mla.kvLoraRank() + (mla.compressesQueries() ? mla.qLoraRank() : 0);
    }

    /** Parameters of an unknown model, split evenly over t·p (rounded up): the most-loaded GPU. */
    public static LocalParameters evenSplit(long parameters, Parallelism par) {
        return new LocalParameters(Exact.ceilDiv(parameters, (long) par.tensor() * par.pipeline()), 0, 0, 0);
    }

    private static LocalParameters stage(Architecture m, Parallelism par, int stage, int start, int layers) {
        int t = par.tensor();
        int denseFfnLayers = m.denseFfnLayersIn(start, layers);
        int moeLayers = layers - denseFfnLayers;
        long dense = Exact.sum(Q, Exact.multiply(Q, layers, Exact.add(Q, attention(m, t), norms(m))),
                Exact.multiply(Q, denseFfnLayers, mlp(m, m.intermediateSize(), t)));
        long expert = 0;
        if (moeLayers > 0) {
            MoeConfig moe = m.moe();
            long sharedAndRouter = Exact.add(Q, ParameterCounter.router(m),
                    Exact.multiply(Q, moe.numSharedExperts(), mlp(m, moe.sharedExpertIntermediateSize(), t)));
            dense = Exact.add(Q, dense, Exact.multiply(Q, moeLayers, sharedAndRouter));
            long localExperts = moe.numExperts() / par.expert();
            expert = Exact.multiply(Q, moeLayers, localExperts, mlp(m, moe.expertIntermediateSize(), t));
        }
        boolean first = stage == 0;
        boolean last = stage == par.pipeline() - 1;
        long vocabSlice = Exact.ceilDiv(ParameterCounter.embedding(m), t);
        if (first) {
            dense = Exact.sum(Q, dense, vocabSlice, ParameterCounter.positionEmbedding(m));
        }
        if (last) {
            boolean tiedCopy = m.headTiedToEmbedding() && !first;
            // a scalar head (h → 1) is replicated on every tensor-parallel rank
            long head = m.scalarHead() ? ParameterCounter.lmHead(m)
                    : m.tiedEmbeddings() ? (tiedCopy ? vocabSlice : 0) : vocabSlice;
            dense = Exact.sum(Q, dense, head, ParameterCounter.finalNorm(m));
        }
        return new LocalParameters(dense, expert, stage, layers, new LocalParameters.Placed(m, t,
                m.isMoe() ? m.moe().numExperts() / par.expert() : 0, layers, denseFfnLayers, first, last));
    }

    /**
     * The 2-D weight matrices of one GPU of a stage, by Hugging Face module, sliced as {@link #stage} slices them:
     * column-parallel matrices (q, k, v, gate, up, MLA's up-projections) split their rows t ways, row-parallel ones
     * (o, down) their columns; MLA's down-projections, routers and position tables are replicated.
     */
    static List<WeightMatrix> matrices(Architecture m, int t, int localExperts, int layers, int denseFfnLayers,
            boolean first, boolean last) {
        List<WeightMatrix> list = new ArrayList<>();
        long h = m.hiddenSize();
        long a = m.numAttentionHeads();
        if (m.hasMla()) {
            MlaConfig mla = m.mla();
            if (mla.compressesQueries()) {
                list.add(linear("q_a_proj", layers, mla.qLoraRank(), h));
                list.add(linear("q_b_proj", layers, Exact.ceilDiv(a * mla.qkHeadDim(), t), mla.qLoraRank()));
            }
            else {
                list.add(linear("q_proj", layers, Exact.ceilDiv(a * mla.qkHeadDim(), t), h));
            }
            list.add(linear("kv_a_proj_with_mqa", layers, (long) mla.kvLoraRank() + mla.qkRopeHeadDim(), h));
            list.add(linear("kv_b_proj", layers,
                    Exact.ceilDiv(a * ((long) mla.qkNopeHeadDim() + mla.vHeadDim()), t), mla.kvLoraRank()));
            list.add(linear("o_proj", layers, h, Exact.ceilDiv(a * mla.vHeadDim(), t)));
        }
        else {
            long queryWidth = Exact.ceilDiv(a * m.headDim(), t);
            long keyValueWidth = Exact.ceilDiv((long) m.numKeyValueHeads() * m.headDim(), t);
            list.add(linear("q_proj", layers, queryWidth, h));
            list.add(linear("k_proj and v_proj", 2L * layers, keyValueWidth, h));
            list.add(linear("o_proj", layers, h, queryWidth));
        }
        ffnMatrices(list, m, "", false, denseFfnLayers, m.intermediateSize(), t);
        int moeLayers = layers - denseFfnLayers;
        if (moeLayers > 0) {
            MoeConfig moe = m.moe();
            list.add(new WeightMatrix("router", WeightMatrix.Role.ROUTER, false, moeLayers, moe.numExperts(), h));
            if (moe.sharedExpertGate()) {
                list.add(new WeightMatrix("shared_expert_gate", WeightMatrix.Role.ROUTER, false, moeLayers, 1, h));
            }
            ffnMatrices(list, m, "shared expert ", false, (long) moeLayers * moe.numSharedExperts(),
                    moe.sharedExpertIntermediateSize(), t);
            ffnMatrices(list, m, "expert ", true, (long) moeLayers * localExperts, moe.expertIntermediateSize(), t);
        }
        long vocabRows = Exact.ceilDiv(m.vocabSize(), t);
        if (first) {
            list.add(new WeightMatrix("embed_tokens", WeightMatrix.Role.EMBEDDING, false, 1, vocabRows, h));
            if (ParameterCounter.positionEmbedding(m) > 0) {
                list.add(new WeightMatrix("position embeddings", WeightMatrix.Role.EMBEDDING, false, 1,
                        m.maxPositionEmbeddings(), h));
            }
        }
        if (last) {
            if (m.scalarHead()) {
                list.add(new WeightMatrix("score head", WeightMatrix.Role.LM_HEAD, false, 1, 1, h));
            }
            else if (!m.tiedEmbeddings() || (m.headTiedToEmbedding() && !first)) {
                list.add(new WeightMatrix("lm_head", WeightMatrix.Role.LM_HEAD, false, 1, vocabRows, h));
            }
        }
        list.removeIf(matrix -> matrix.count() == 0);
        return list;
    }

    private static WeightMatrix linear(String name, long count, long rows, long cols) {
        return new WeightMatrix(name, WeightMatrix.Role.LINEAR, false, count, rows, cols);
    }

    // one FFN of width f per count: gate and up (h → f, rows split t ways) and down (f → h, columns split)
    private static void ffnMatrices(List<WeightMatrix> list, Architecture m, String prefix, boolean expert, long count,
            int width, int t) {
        long f = Exact.ceilDiv(width, t);
        long h = m.hiddenSize();
        int wide = m.mlp().ffnWideBiases();
        list.add(new WeightMatrix(prefix + (wide == 2 ? "gate_proj and up_proj" : "up_proj"), WeightMatrix.Role.LINEAR,
                expert, Exact.multiply(Q, count, wide), f, h));
        list.add(new WeightMatrix(prefix + "down_proj", WeightMatrix.Role.LINEAR, expert, count, h, f));
    }

    // Megatron layout: Q/K/V column-parallel and O row-parallel split t ways with the QKV bias; O bias and qk-norms
    // replicated; attention sinks follow their heads, t ways (configuration_gpt_oss.py tp plan: sinks "local_rowwise")
    static long attention(Architecture m, int t) {
        if (m.hasMla()) {
            return mlaAttention(m, t);
        }
        long split = Exact.ceilDiv(ParameterCounter.attentionMatrices(m), t);
        long qkvBias = m.qkvBias() ? Exact.ceilDiv((long) (m.numAttentionHeads() + 2 * m.numKeyValueHeads()) * m.headDim(), t) : 0;
        long sinks = ParameterCounter.attentionSinks(m);
        long replicated = ParameterCounter.attentionPerLayer(m) - ParameterCounter.attentionMatrices(m)
                - (m.qkvBias() ? (long) (m.numAttentionHeads() + 2 * m.numKeyValueHeads()) * m.headDim() : 0) - sinks;
        return Exact.sum(Q, split, qkvBias, Exact.ceilDiv(sinks, t), replicated);
    }

    // Megatron-Core MLA: down-projections and latent norms replicated; up-projections and output split t ways
    static long mlaAttention(Architecture m, int t) {
        MlaConfig mla = m.mla();
        long h = m.hiddenSize();
        long a = m.numAttentionHeads();
        long replicated = Exact.sum(Q, Exact.multiply(Q, h, mla.kvLoraRank() + (long) mla.qkRopeHeadDim()), mla.kvLoraRank());
        long split = Exact.sum(Q, Exact.multiply(Q, mla.kvLoraRank(), a, (long) mla.qkNopeHeadDim() + mla.vHeadDim()),
                Exact.multiply(Q, a, mla.vHeadDim(), h));
        if (mla.compressesQueries()) {
            replicated = Exact.sum(Q, replicated, Exact.multiply(Q, h, mla.qLoraRank()), mla.qLoraRank());
            split = Exact.add(Q, split, Exact.multiply(Q, mla.qLoraRank(), a, mla.qkHeadDim()));
        }
        else {
            split = Exact.add(Q, split, Exact.multiply(Q, h, a, mla.qkHeadDim()));
        }
        return Exact.add(Q, replicated, Exact.ceilDiv(split, t));
    }

    // Megatron layout: gate/up column-parallel with their biases and down row-parallel split t ways; the down bias replicated
    static long mlp(Architecture m, int width, int t) {
        long split = Exact.ceilDiv(ParameterCounter.mlpMatrices(m, width), t);
        if (!m.mlpBias()) {
            return split;
        }
        long wideBiases = Exact.ceilDiv(Exact.multiply(Q, m.mlp().ffnWideBiases(), width), t);
        return Exact.sum(Q, split, wideBiases, m.hiddenSize());
    }

    // norms are replicated on every tensor-parallel rank
    static long norms(Architecture m) {
        return ParameterCounter.normsPerLayer(m);
    }
}
