package dev.llmcalc.core.run;

import static dev.llmcalc.core.unit.InvalidInputException.require;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.model.MlaConfig;
import dev.llmcalc.core.model.MlpType;
import dev.llmcalc.core.model.MoeConfig;
import dev.llmcalc.core.parallel.LocalParameters;
import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.parallel.ParameterPlacement;
import dev.llmcalc.core.params.ParameterCounter;
import dev.llmcalc.core.unit.Exact;

/**
 * Counts LoRA adapter parameters (Hu et al. 2021) and the frozen base weights they sit on. Biases,
 * norms and routers are never adapted and stay frozen.
 */
public final class AdapterCounter {

    private static final String Q = "trainableParameters";

    private AdapterCounter() {
    }

    public static AdapterCount count(Architecture model, FineTuning fineTuning) {
        long total = ParameterCounter.count(model).totalParameters();
        if (!fineTuning.isAdapter()) {
            return new AdapterCount(total, 0, 0, Map.of(), largestLayerMatrix(model));
        }
        requireSupported(model, fineTuning);
        Map<TargetModule, Long> byModule = new EnumMap<>(TargetModule.class);
        for (TargetModule module : fineTuning.targetModules()) {
            byModule.put(module, adaptersFor(model, module, fineTuning.rank()));
        }
        long trainable = Exact.sum(Q, byModule.values().stream().mapToLong(Long::longValue).toArray());
        long quantized = fineTuning.method() == TrainingMethod.QLORA ? quantizableWeights(model) : 0;
        return new AdapterCount(trainable, total, quantized, byModule, largestLayerMatrix(model));
    }

    // Hu et al. 2021 §4.1: ΔW = B·A with B ∈ R^{d_out×r}, A ∈ R^{r×d_in}: r·(d_in + d_out) parameters per matrix
    public static long adapterPerMatrix(int rank, long dIn, long dOut) {
        return Exact.multiply(Q, rank, Exact.add(Q, dIn, dOut));
    }

    /** Adapters on one kind of matrix, over all layers (and every routed and shared expert of a MoE layer). */
    public static long adaptersFor(Architecture m, TargetModule module, int rank) {
        return switch (module) {
            case Q, K, V, O -> Exact.multiply(Q, m.numLayers(), attentionAdapterPerLayer(m, module, rank));
            case GATE, UP, DOWN -> ffnAdapters(m, rank, false);
            case EMBEDDING, LM_HEAD -> adapterPerMatrix(rank, m.vocabSize(), m.hiddenSize());
        };
    }

    /** The adapter on one attention projection of one layer; k and v use the key/value width g·d. */
    static long attentionAdapterPerLayer(Architecture m, TargetModule module, int rank) {
        long h = m.hiddenSize();
        long queryWidth = Exact.multiply(Q, m.numAttentionHeads(), m.headDim());
        long keyValueWidth = Exact.multiply(Q, m.numKeyValueHeads(), m.headDim());
        return switch (module) {
            case Q -> adapterPerMatrix(rank, h, queryWidth);
            case K, V -> adapterPerMatrix(rank, h, keyValueWidth);
            case O -> adapterPerMatrix(rank, queryWidth, h);
            default -> throw new IllegalArgumentException(module + " is not an attention projection");
        };
    }

    // Hu et al. 2021 §4.1 applied to one FFN projection (h → f or f → h) of every dense layer and every expert, or
    // (perToken) of the experts one token passes: its k routed experts and the shared ones
    public static long ffnAdapters(Architecture m, int rank, boolean perToken) {
        long dense = Exact.multiply(Q, m.denseFfnLayers(), adapterPerMatrix(rank, m.hiddenSize(), m.intermediateSize()));
        MoeConfig moe = m.moe();
        if (moe == null) {
            return dense;
        }
        long routed = Exact.multiply(Q, perToken ? moe.numExpertsPerToken() : moe.numExperts(),
                adapterPerMatrix(rank, m.hiddenSize(), moe.expertIntermediateSize()));
        long shared = Exact.multiply(Q, moe.numSharedExperts(),
                adapterPerMatrix(rank, m.hiddenSize(), moe.sharedExpertIntermediateSize()));
        return Exact.add(Q, dense, Exact.multiply(Q, m.moeLayers(), Exact.add(Q, routed, shared)));
    }

    /**
     * The adapters one GPU of each pipeline stage holds: adapters split t ways like the matrices they adapt (NeMo's
     * ParallelLinearAdapter: A and B column/row-parallel), on the stage of their layer; expert adapters with their
     * experts (E/e per GPU); the embedding adapter on the first stage, the LM-head adapter on the last.
     */
    public static List<LocalParameters> stages(Architecture m, FineTuning fineTuning, Parallelism par) {
        requireSupported(m, fineTuning);
        int t = par.tensor();
        int r = fineTuning.rank();
        long h = m.hiddenSize();
        long perLayer = 0;
        int ffnMatrices = 0;
        for (TargetModule module : fineTuning.targetModules()) {
            if (module.isAttention()) {
                perLayer = Exact.add(Q, perLayer, Exact.ceilDiv(attentionAdapterPerLayer(m, module, r), t));
            }
            else if (module.isMlp()) {
                ffnMatrices++;
            }
        }
        long attention = perLayer;
        long vocabAdapter = Exact.ceilDiv(adapterPerMatrix(r, m.vocabSize(), h), t);
        long denseFfn = Exact.multiply(Q, ffnMatrices, Exact.ceilDiv(adapterPerMatrix(r, h, m.intermediateSize()), t));
        MoeConfig moe = m.moe();
        long sharedFfn = moe == null ? 0 : Exact.multiply(Q, ffnMatrices, moe.numSharedExperts(),
                Exact.ceilDiv(adapterPerMatrix(r, h, moe.sharedExpertIntermediateSize()), t));
        long expertFfn = moe == null ? 0 : Exact.multiply(Q, ffnMatrices, moe.numExperts() / par.expert(),
                Exact.ceilDiv(adapterPerMatrix(r, h, moe.expertIntermediateSize()), t));
        boolean embedding = fineTuning.targetModules().contains(TargetModule.EMBEDDING);
        boolean head = fineTuning.targetModules().contains(TargetModule.LM_HEAD);
        return ParameterPlacement.perStage(m, par, (stage, start, layers) -> {
            int denseLayers = m.denseFfnLayersIn(start, layers);
            int moeLayers = layers - denseLayers;
            long dense = Exact.sum(Q, Exact.multiply(Q, layers, attention), Exact.multiply(Q, denseLayers, denseFfn),
                    Exact.multiply(Q, moeLayers, sharedFfn));
            if (embedding && stage == 0) {
                dense = Exact.add(Q, dense, vocabAdapter);
            }
            if (head && stage == par.pipeline() - 1) {
                dense = Exact.add(Q, dense, vocabAdapter);
            }
            return new LocalParameters(dense, Exact.multiply(Q, moeLayers, expertFfn), stage, layers);
        });
    }

    // Dettmers et al. 2023 §4 / bitsandbytes: every linear layer inside the blocks is quantized (attention and FFN
    // matrices); embedding, LM head, norms, biases and routers stay at 16 bits
    public static long quantizableWeights(Architecture m) {
        long attention = Exact.multiply(Q, m.numLayers(), ParameterCounter.attentionMatrices(m));
        long dense = Exact.multiply(Q, m.denseFfnLayers(), ParameterCounter.mlpMatrices(m, m.intermediateSize()));
        MoeConfig moe = m.moe();
        long experts = 0;
        if (moe != null) {
            long perLayer = Exact.add(Q,
                    Exact.multiply(Q, moe.numExperts(), ParameterCounter.mlpMatrices(m, moe.expertIntermediateSize())),
                    Exact.multiply(Q, moe.numSharedExperts(),
                            ParameterCounter.mlpMatrices(m, moe.sharedExpertIntermediateSize())));
            experts = Exact.multiply(Q, m.moeLayers(), perLayer);
        }
        return Exact.sum(Q, attention, dense, experts);
    }

    /** Elements of the largest single weight matrix inside one layer (QLoRA dequantizes one matrix at a time). */
    public static long largestLayerMatrix(Architecture m) {
        String q = "perGpu.dequantizationBufferBytes";
        long h = m.hiddenSize();
        long heads = m.numAttentionHeads();
        long largest;
        if (m.hasMla()) {
            MlaConfig mla = m.mla();
            long queryIn = mla.compressesQueries() ? mla.qLoraRank() : h;
            largest = max(Exact.multiply(q, queryIn, heads, mla.qkHeadDim()),
                    Exact.multiply(q, h, (long) mla.kvLoraRank() + mla.qkRopeHeadDim()),
                    Exact.multiply(q, mla.kvLoraRank(), heads, (long) mla.qkNopeHeadDim() + mla.vHeadDim()),
                    Exact.multiply(q, heads, mla.vHeadDim(), h),
                    mla.compressesQueries() ? Exact.multiply(q, h, mla.qLoraRank()) : 0);
        }
        else {
            largest = max(Exact.multiply(q, h, heads, m.headDim()),
                    Exact.multiply(q, h, m.numKeyValueHeads(), m.headDim()));
        }
        if (m.denseFfnLayers() > 0) {
            largest = max(largest, Exact.multiply(q, h, m.intermediateSize()));
        }
        MoeConfig moe = m.moe();
        if (moe != null) {
            largest = max(largest, Exact.multiply(q, h, moe.expertIntermediateSize()),
                    moe.numSharedExperts() > 0 ? Exact.multiply(q, h, moe.sharedExpertIntermediateSize()) : 0);
        }
        return largest;
    }

    private static long max(long... values) {
        long largest = 0;
        for (long value : values) {
            largest = Math.max(largest, value);
        }
        return largest;
    }

    /** Refuses targets this model does not have (gate without a gated MLP) or that are not modelled (MLA attention). */
    public static void requireSupported(Architecture m, FineTuning fineTuning) {
        for (TargetModule module : fineTuning.targetModules()) {
            require(!(module.isAttention() && m.hasMla()), "lora.targetModules",
                    "'" + module.id() + "' is not supported with mla attention yet (its projections are latent "
                            + "down/up pairs); target the FFN modules instead");
            require(!(module == TargetModule.GATE && m.mlp() != MlpType.GATED), "lora.targetModules",
                    "'gate' needs a GATED mlp; this model's mlp is " + m.mlp());
            require(!(module == TargetModule.LM_HEAD && m.scalarHead()), "lora.targetModules",
                    "'lm_head' does not exist on a reward or value model: a scalar head replaces it");
        }
    }
}
