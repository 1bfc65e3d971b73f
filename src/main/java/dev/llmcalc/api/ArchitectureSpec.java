package dev.llmcalc.api;

import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.model.MlpType;
import dev.llmcalc.core.model.NormType;
import dev.llmcalc.core.model.PositionEmbedding;
import dev.llmcalc.core.model.QkNormScope;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;

/**
 * The {@code architecture} object of api.md. Field rules live here; cross-field rules live in
 * {@link Architecture}'s constructor. Optional fields left out take the documented defaults.
 */
@Schema(description = "A decoder-only transformer. Optional fields take the defaults in brackets.")
public record ArchitectureSpec(
        @Schema(description = "V, vocabulary size", example = "32000") @NotNull @Positive Integer vocabSize,
        @Schema(description = "h, hidden size", example = "4096") @NotNull @Positive Integer hiddenSize,
        @Schema(description = "L, transformer layers", example = "32") @NotNull @Positive Integer numLayers,
        @Schema(description = "a, query heads", example = "32") @NotNull @Positive Integer numAttentionHeads,
        @Schema(description = "f, dense FFN width", example = "11008") @NotNull @Positive Integer intermediateSize,
        @Schema(description = "g, key/value heads [= numAttentionHeads]; 1 for MQA") @Positive Integer numKeyValueHeads,
        @Schema(description = "d, query/key/value width per head [= hiddenSize / numAttentionHeads]") @Positive Integer headDim,
        @Schema(description = "[GATED] gate+up+down (SwiGLU) or STANDARD up+down (GELU)") MlpType mlp,
        @Schema(description = "[RMS_NORM]") NormType norm,
        @Schema(description = "[2] norms inside one block: 4 for sandwich norms, 1 for parallel blocks")
        @PositiveOrZero @Max(Architecture.MAX_NORMS_PER_LAYER) Integer normsPerLayer,
        @Schema(description = "[false] biases on Q, K, V") Boolean qkvBias,
        @Schema(description = "[false] bias on the attention output projection") Boolean attentionOutputBias,
        @Schema(description = "[false] biases on the FFN projections") Boolean mlpBias,
        @Schema(description = "[false] norms on queries and keys (Qwen3, Gemma-3, OLMo-2)") Boolean qkNorm,
        @Schema(description = "[PER_HEAD] with qkNorm: one head wide, 2·d weights (Qwen3, Gemma-3), or FULL_WIDTH over "
                + "the whole query and key projections, (a + g)·d weights (OLMo-2)") QkNormScope qkNormScope,
        @Schema(description = "[false] one learned sink logit per query head in every layer, numAttentionHeads weights "
                + "(gpt-oss)") Boolean attentionSinks,
        @Schema(description = "[false] LM head shares the token embedding") Boolean tiedEmbeddings,
        @Schema(description = "[ROTARY]; LEARNED adds maxPositionEmbeddings × hiddenSize") PositionEmbedding positionEmbedding,
        @Schema(description = "position table size, required with LEARNED") @PositiveOrZero Integer maxPositionEmbeddings,
        @Schema(description = "[false] attention and MLP read the same normed input (GPT-J, Falcon)") Boolean parallelBlock,
        @Schema(description = "mixture-of-experts FFNs (omit for a dense model)") @Valid MoeSpec moe,
        @Schema(description = "DeepSeek multi-head latent attention (omit for standard attention)") @Valid MlaSpec mla) {

    /** Applies defaults and the cross-field rules; an impossible shape throws with the field named. */
    public Architecture toCore() {
        return Architecture.builder()
                .vocabSize(this.vocabSize)
                .hiddenSize(this.hiddenSize)
                .numLayers(this.numLayers)
                .numAttentionHeads(this.numAttentionHeads)
                .intermediateSize(this.intermediateSize)
                .numKeyValueHeads(this.numKeyValueHeads)
                .headDim(this.headDim)
                .mlp(this.mlp)
                .norm(this.norm)
                .normsPerLayer(this.normsPerLayer)
                .qkvBias(isTrue(this.qkvBias))
                .attentionOutputBias(isTrue(this.attentionOutputBias))
                .mlpBias(isTrue(this.mlpBias))
                .qkNorm(isTrue(this.qkNorm))
                .qkNormScope(this.qkNormScope)
                .attentionSinks(isTrue(this.attentionSinks))
                .tiedEmbeddings(isTrue(this.tiedEmbeddings))
                .positionEmbedding(this.positionEmbedding)
                .maxPositionEmbeddings(this.maxPositionEmbeddings)
                .parallelBlock(isTrue(this.parallelBlock))
                .moe(this.moe != null ? this.moe.toCore() : null)
                .mla(this.mla != null ? this.mla.toCore() : null)
                .build();
    }

    /** The fully resolved form of a core architecture (every default written out). */
    public static ArchitectureSpec from(Architecture a) {
        return new ArchitectureSpec(a.vocabSize(), a.hiddenSize(), a.numLayers(), a.numAttentionHeads(),
                a.intermediateSize(), a.numKeyValueHeads(), a.headDim(), a.mlp(), a.norm(), a.normsPerLayer(),
                a.qkvBias(), a.attentionOutputBias(), a.mlpBias(), a.qkNorm(), a.qkNormScope(), a.attentionSinks(), a.tiedEmbeddings(),
                a.positionEmbedding(), a.maxPositionEmbeddings(), a.parallelBlock(),
                a.moe() != null ? MoeSpec.from(a.moe()) : null, a.mla() != null ? MlaSpec.from(a.mla()) : null);
    }

    static boolean isTrue(Boolean value) {
        return Boolean.TRUE.equals(value);
    }
}
