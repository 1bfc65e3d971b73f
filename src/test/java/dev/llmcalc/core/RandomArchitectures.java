package dev.llmcalc.core;

import java.util.SplittableRandom;

import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.model.MlaConfig;
import dev.llmcalc.core.model.MlpType;
import dev.llmcalc.core.model.MoeConfig;
import dev.llmcalc.core.model.NormType;
import dev.llmcalc.core.model.PositionEmbedding;
import dev.llmcalc.core.model.QkNormScope;

/** Random but valid architectures for property tests. */
public final class RandomArchitectures {

    private RandomArchitectures() {
    }

    /** The document's shape: RMSNorm, untied, d = h/a, gated MLP, no biases; GQA with g dividing a. */
    public static Architecture llamaShaped(SplittableRandom random) {
        int kvHeads = 1 << random.nextInt(0, 4);
        int heads = kvHeads * random.nextInt(1, 9);
        int headDim = 8 * random.nextInt(1, 33);
        return Architecture.builder().vocabSize(random.nextInt(1, 300_000)).hiddenSize(heads * headDim)
                .numLayers(random.nextInt(1, 130)).numAttentionHeads(heads).numKeyValueHeads(kvHeads)
                .intermediateSize(random.nextInt(1, 60_000)).build();
    }

    /** Any shape the core supports, options switched at random. */
    public static Architecture any(SplittableRandom random) {
        int kvHeads = 1 << random.nextInt(0, 4);
        int heads = kvHeads * random.nextInt(1, 9);
        int hidden = 64 * random.nextInt(1, 65);
        int layers = random.nextInt(1, 100);
        boolean mla = random.nextInt(6) == 0;
        Architecture.Builder builder = Architecture.builder().vocabSize(random.nextInt(1, 200_000)).hiddenSize(hidden)
                .numLayers(layers).numAttentionHeads(heads).numKeyValueHeads(mla ? heads : kvHeads)
                .headDim(mla ? null : 16 * random.nextInt(1, 17)).intermediateSize(random.nextInt(1, 40_000))
                .mlp(random.nextBoolean() ? MlpType.GATED : MlpType.STANDARD)
                .norm(NormType.values()[random.nextInt(NormType.values().length)])
                .normsPerLayer(random.nextInt(0, 5))
                .qkvBias(!mla && random.nextBoolean()).attentionOutputBias(random.nextBoolean())
                .mlpBias(random.nextBoolean()).qkNorm(!mla && random.nextBoolean())
                .qkNormScope(QkNormScope.values()[random.nextInt(QkNormScope.values().length)])
                .tiedEmbeddings(random.nextBoolean()).parallelBlock(random.nextBoolean());
        if (random.nextBoolean()) {
            builder.positionEmbedding(PositionEmbedding.LEARNED).maxPositionEmbeddings(random.nextInt(1, 33_000));
        }
        if (random.nextInt(3) == 0) {
            int experts = 1 << random.nextInt(0, 7);
            int shared = random.nextInt(0, 3);
            builder.moe(new MoeConfig(experts, random.nextInt(1, experts + 1), random.nextInt(1, 5000), shared,
                    shared > 0 ? random.nextInt(1, 5000) : 0, random.nextInt(0, layers + 1), random.nextBoolean(),
                    shared > 0 && random.nextBoolean()));
        }
        if (mla) {
            builder.mla(new MlaConfig(random.nextBoolean() ? 0 : random.nextInt(1, 2000), random.nextInt(1, 600),
                    random.nextInt(1, 200), random.nextInt(0, 100), random.nextInt(1, 200)));
        }
        return builder.build();
    }
}
