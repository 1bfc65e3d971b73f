package dev.llmcalc.core.model;

import static dev.llmcalc.core.unit.InvalidInputException.require;

/**
 * A decoder-only transformer, described by the fields of the API's {@code architecture} object.
 * Defaults are resolved before construction (see {@link Builder}); the constructor enforces every
 * cross-field rule, so an {@code Architecture} that exists can be counted.
 *
 * @param vocabSize V
 * @param hiddenSize h
 * @param numLayers L
 * @param numAttentionHeads a (query heads)
 * @param numKeyValueHeads g (key/value heads; a for MHA, 1 for MQA)
 * @param headDim d, the query/key/value width per head (h/a unless decoupled)
 * @param intermediateSize f, the dense FFN width
 * @param mlp gated (3 matrices) or standard (2)
 * @param norm the normalisation used throughout
 * @param normsPerLayer normalisation layers inside one block (2 pre-norm, 4 sandwich, 1 parallel)
 * @param qkvBias biases on the Q, K, V projections
 * @param attentionOutputBias bias on the attention output projection
 * @param mlpBias biases on the FFN projections
 * @param qkNorm norms on queries and keys (Qwen3, Gemma-3, OLMo-2)
 * @param qkNormScope what the qk-norm spans: one head (Qwen3, Gemma-3) or the full projection (OLMo-2)
 * @param attentionSinks one learned sink logit per query head in every layer (gpt-oss: modeling_gpt_oss.py
 *        {@code self.sinks = nn.Parameter(torch.empty(config.num_attention_heads))})
 * @param tiedEmbeddings the LM head shares the token embedding matrix
 * @param positionEmbedding how positions enter the model
 * @param maxPositionEmbeddings table size for learned positions (0 when unused)
 * @param parallelBlock attention and MLP read the same normalised input (GPT-J, Falcon)
 * @param moe mixture-of-experts FFNs, or {@code null} for a dense model
 * @param mla multi-head latent attention, or {@code null} for standard attention
 * @param scalarHead a scalar head (h → 1, no bias) in place of the LM head: a reward or value model as OpenRLHF and
 *        verl build them (the embedding then stands alone, tied or not)
 */
public record Architecture(int vocabSize, int hiddenSize, int numLayers, int numAttentionHeads, int numKeyValueHeads,
        int headDim, int intermediateSize, MlpType mlp, NormType norm, int normsPerLayer, boolean qkvBias,
        boolean attentionOutputBias, boolean mlpBias, boolean qkNorm, QkNormScope qkNormScope, boolean attentionSinks,
        boolean tiedEmbeddings, PositionEmbedding positionEmbedding, int maxPositionEmbeddings, boolean parallelBlock, MoeConfig moe,
        MlaConfig mla, boolean scalarHead) {

    /** Upper bound on norms inside one block; real models use 1 to 4. */
    public static final int MAX_NORMS_PER_LAYER = 16;

    public Architecture {
        require(vocabSize >= 1, "vocabSize", "must be at least 1");
        require(hiddenSize >= 1, "hiddenSize", "must be at least 1");
        require(numLayers >= 1, "numLayers", "must be at least 1");
        require(numAttentionHeads >= 1, "numAttentionHeads", "must be at least 1");
        require(intermediateSize >= 1, "intermediateSize", "must be at least 1");
        require(headDim >= 1, "headDim", "must be at least 1");
        require(numKeyValueHeads >= 1, "numKeyValueHeads", "must be at least 1");
        require(numKeyValueHeads <= numAttentionHeads, "numKeyValueHeads",
                "must not exceed numAttentionHeads (" + numAttentionHeads + ")");
        require(numAttentionHeads % numKeyValueHeads == 0, "numKeyValueHeads",
                "must divide numAttentionHeads (" + numAttentionHeads + ") for grouped-query attention");
        require(mlp != null, "mlp", "must be GATED or STANDARD");
        require(norm != null, "norm", "must be RMS_NORM, LAYER_NORM or NON_PARAMETRIC");
        require(positionEmbedding != null, "positionEmbedding", "must be ROTARY, LEARNED, ALIBI or NONE");
        require(qkNormScope != null, "qkNormScope", "must be PER_HEAD or FULL_WIDTH");
        require(normsPerLayer >= 0 && normsPerLayer <= MAX_NORMS_PER_LAYER, "normsPerLayer",
                "must be between 0 and " + MAX_NORMS_PER_LAYER);
        require(maxPositionEmbeddings >= 0, "maxPositionEmbeddings", "must not be negative");
        require(positionEmbedding != PositionEmbedding.LEARNED || maxPositionEmbeddings >= 1, "maxPositionEmbeddings",
                "is required with positionEmbedding LEARNED (the table has maxPositionEmbeddings × hiddenSize weights)");
        if (moe != null) {
            require(moe.denseLayers() <= numLayers, "moe.denseLayers",
                    "must not exceed numLayers (" + numLayers + ")");
        }
        if (mla != null) {
            require(numKeyValueHeads == numAttentionHeads, "numKeyValueHeads",
                    "must equal numAttentionHeads with mla: latent attention gives every head its own keys and values");
            require(!qkvBias, "qkvBias", "is not supported with mla (DeepSeek's latent projections have no bias)");
            require(!qkNorm, "qkNorm", "is not supported with mla (its latent norms are counted by mla itself)");
            require(!attentionSinks, "attentionSinks", "is not supported with mla (no latent-attention model has sinks)");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public boolean isMoe() {
        return this.moe != null;
    }

    public boolean hasMla() {
        return this.mla != null;
    }

    /** Layers whose FFN is a mixture of experts (all but the leading dense ones). */
    public int moeLayers() {
        return isMoe() ? this.numLayers - this.moe.denseLayers() : 0;
    }

    /** Layers with a dense FFN of {@link #intermediateSize()}. */
    public int denseFfnLayers() {
        return this.numLayers - moeLayers();
    }

    /** Of the {@code layers} layers starting at index {@code start}, those with a dense FFN (the leading ones). */
    public int denseFfnLayersIn(int start, int layers) {
        return Math.max(0, Math.min(start + layers, denseFfnLayers()) - start);
    }

    /** A copy with another layer count (used by property tests and pipeline stages). */
    public Architecture withNumLayers(int layers) {
        MoeConfig resizedMoe = this.moe;
        if (this.moe != null && this.moe.denseLayers() > layers) {
            resizedMoe = new MoeConfig(this.moe.numExperts(), this.moe.numExpertsPerToken(),
                    this.moe.expertIntermediateSize(), this.moe.numSharedExperts(),
                    this.moe.sharedExpertIntermediateSize(), layers, this.moe.routerBias(), this.moe.sharedExpertGate(),
                    this.moe.maxNodesPerToken());
        }
        return new Architecture(this.vocabSize, this.hiddenSize, layers, this.numAttentionHeads, this.numKeyValueHeads,
                this.headDim, this.intermediateSize, this.mlp, this.norm, this.normsPerLayer, this.qkvBias,
                this.attentionOutputBias, this.mlpBias, this.qkNorm, this.qkNormScope, this.attentionSinks, this.tiedEmbeddings,
                this.positionEmbedding, this.maxPositionEmbeddings, this.parallelBlock, resizedMoe, this.mla,
                this.scalarHead);
    }

    /** The same model with a scalar head (h → 1) in place of the LM head: its reward or value model. */
    public Architecture withScalarHead() {
        return new Architecture(this.vocabSize, this.hiddenSize, this.numLayers, this.numAttentionHeads,
                this.numKeyValueHeads, this.headDim, this.intermediateSize, this.mlp, this.norm, this.normsPerLayer,
                this.qkvBias, this.attentionOutputBias, this.mlpBias, this.qkNorm, this.qkNormScope, this.attentionSinks,
                this.tiedEmbeddings, this.positionEmbedding, this.maxPositionEmbeddings, this.parallelBlock, this.moe,
                this.mla, true);
    }

    /** Whether the LM head is the token embedding's matrix: tied and not replaced by a scalar head. */
    public boolean headTiedToEmbedding() {
        return this.tiedEmbeddings && !this.scalarHead;
    }

    /**
     * Builds an architecture from the API's fields, applying the documented defaults to those left
     * {@code null}: numKeyValueHeads = heads, headDim = hidden / heads, GATED, RMS_NORM, 2 norms per
     * layer (1 with a parallel block), ROTARY, no biases, per-head qk-norm scope, no attention sinks, untied.
     */
    public static final class Builder {

        private Integer vocabSize;
        private Integer hiddenSize;
        private Integer numLayers;
        private Integer numAttentionHeads;
        private Integer numKeyValueHeads;
        private Integer headDim;
        private Integer intermediateSize;
        private MlpType mlp;
        private NormType norm;
        private Integer normsPerLayer;
        private boolean qkvBias;
        private boolean attentionOutputBias;
        private boolean mlpBias;
        private boolean qkNorm;
        private QkNormScope qkNormScope;
        private boolean attentionSinks;
        private boolean tiedEmbeddings;
        private PositionEmbedding positionEmbedding;
        private Integer maxPositionEmbeddings;
        private boolean parallelBlock;
        private MoeConfig moe;
        private MlaConfig mla;

        private Builder() {
        }

        public Builder vocabSize(Integer value) {
            this.vocabSize = value;
            return this;
        }

        public Builder hiddenSize(Integer value) {
            this.hiddenSize = value;
            return this;
        }

        public Builder numLayers(Integer value) {
            this.numLayers = value;
            return this;
        }

        public Builder numAttentionHeads(Integer value) {
            this.numAttentionHeads = value;
            return this;
        }

        public Builder numKeyValueHeads(Integer value) {
            this.numKeyValueHeads = value;
            return this;
        }

        public Builder headDim(Integer value) {
            this.headDim = value;
            return this;
        }

        public Builder intermediateSize(Integer value) {
            this.intermediateSize = value;
            return this;
        }

        public Builder mlp(MlpType value) {
            this.mlp = value;
            return this;
        }

        public Builder norm(NormType value) {
            this.norm = value;
            return this;
        }

        public Builder normsPerLayer(Integer value) {
            this.normsPerLayer = value;
            return this;
        }

        public Builder qkvBias(boolean value) {
            this.qkvBias = value;
            return this;
        }

        public Builder attentionOutputBias(boolean value) {
            this.attentionOutputBias = value;
            return this;
        }

        public Builder mlpBias(boolean value) {
            this.mlpBias = value;
            return this;
        }

        public Builder qkNorm(boolean value) {
            this.qkNorm = value;
            return this;
        }

        public Builder qkNormScope(QkNormScope value) {
            this.qkNormScope = value;
            return this;
        }

        public Builder attentionSinks(boolean value) {
            this.attentionSinks = value;
            return this;
        }

        public Builder tiedEmbeddings(boolean value) {
            this.tiedEmbeddings = value;
            return this;
        }

        public Builder positionEmbedding(PositionEmbedding value) {
            this.positionEmbedding = value;
            return this;
        }

        public Builder maxPositionEmbeddings(Integer value) {
            this.maxPositionEmbeddings = value;
            return this;
        }

        public Builder parallelBlock(boolean value) {
            this.parallelBlock = value;
            return this;
        }

        public Builder moe(MoeConfig value) {
            this.moe = value;
            return this;
        }

        public Builder mla(MlaConfig value) {
            this.mla = value;
            return this;
        }

        public Architecture build() {
            require(this.vocabSize != null, "vocabSize", "is required");
            require(this.hiddenSize != null, "hiddenSize", "is required");
            require(this.numLayers != null, "numLayers", "is required");
            require(this.numAttentionHeads != null, "numAttentionHeads", "is required");
            require(this.intermediateSize != null, "intermediateSize", "is required");
            int heads = this.numAttentionHeads;
            require(heads >= 1, "numAttentionHeads", "must be at least 1");
            int resolvedHeadDim;
            if (this.headDim != null) {
                resolvedHeadDim = this.headDim;
            }
            else if (this.mla != null) {
                resolvedHeadDim = this.mla.qkHeadDim();
            }
            else {
                require(this.hiddenSize % heads == 0, "headDim",
                        "is required when hiddenSize (" + this.hiddenSize + ") is not a multiple of numAttentionHeads ("
                                + heads + ")");
                resolvedHeadDim = this.hiddenSize / heads;
            }
            return new Architecture(this.vocabSize, this.hiddenSize, this.numLayers, heads,
                    this.numKeyValueHeads != null ? this.numKeyValueHeads : heads, resolvedHeadDim,
                    this.intermediateSize, this.mlp != null ? this.mlp : MlpType.GATED,
                    this.norm != null ? this.norm : NormType.RMS_NORM,
                    this.normsPerLayer != null ? this.normsPerLayer : (this.parallelBlock ? 1 : 2), this.qkvBias,
                    this.attentionOutputBias, this.mlpBias, this.qkNorm,
                    this.qkNormScope != null ? this.qkNormScope : QkNormScope.PER_HEAD, this.attentionSinks,
                    this.tiedEmbeddings,
                    this.positionEmbedding != null ? this.positionEmbedding : PositionEmbedding.ROTARY,
                    this.maxPositionEmbeddings != null ? this.maxPositionEmbeddings : 0, this.parallelBlock, this.moe,
                    this.mla, false);
        }
    }
}
