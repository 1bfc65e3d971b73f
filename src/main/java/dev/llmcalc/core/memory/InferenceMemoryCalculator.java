package dev.llmcalc.core.memory;

import java.util.ArrayList;
import java.util.List;

import dev.llmcalc.core.DocumentFormula;
import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.unit.DType;
import dev.llmcalc.core.unit.Exact;

/** Memory to serve a model: weights in a given format and, optionally, its key/value cache. */
public final class InferenceMemoryCalculator {

    private InferenceMemoryCalculator() {
    }

    /**
     * @param parameters Φ
     * @param model the architecture, needed only for the KV cache (may be null without one)
     * @param cache the cache to size, or null
     */
    public static InferenceMemory estimate(long parameters, Architecture model, InferencePrecision precision,
            KvCache cache) {
        long weights = weights(parameters, precision);
        long perToken = 0;
        long cacheBytes = 0;
        List<String> assumptions = new ArrayList<>();
        assumptions.add("Weights at " + precision.dtype().bits() + " bits per parameter"
                + (precision == InferencePrecision.INT4
                        ? " (0.5 byte, two values per byte; the document writes only < 1Φ)" : "")
                + "; quantization scales and zero points are not counted.");
        if (cache != null) {
            perToken = kvCacheBytesPerToken(model, cache.precision());
            cacheBytes = Exact.multiply("kvCacheBytes", perToken, cache.batchSize(), cache.sequenceLength());
            assumptions.add(model.hasMla()
                    ? "KV cache holds MLA's compressed latent (kvLoraRank + qkRopeHeadDim per token per layer)."
                    : "KV cache holds keys and values for " + model.numKeyValueHeads() + " key/value heads of width "
                            + model.headDim() + " per layer (2·L·g·d elements per token).");
            assumptions.add("KV cache elements at " + cache.precision().bits() + " bits; no paging slack.");
        }
        assumptions.add("Activations, CUDA context, allocator overhead and framework workspace are not counted.");
        return new InferenceMemory(weights, cacheBytes, perToken, documentFormula(parameters, weights, precision),
                List.copyOf(assumptions));
    }

    // seed §3 table "量化程度 / 显存占用": FP32 4Φ, FP16/BF16 2Φ, INT8 1Φ, INT4 < 1Φ (0.5Φ: 4 bits)
    static long weights(long parameters, InferencePrecision precision) {
        return precision.dtype().bytesFor("weightsBytes", parameters);
    }

    // 2·L·g·d elements per token (keys and values of every layer); MLA caches L·(r_kv + d_rope) (DeepSeek-V2 §2.1.2)
    public static long kvCacheBytesPerToken(Architecture m, DType dtype) {
        long elementsPerLayer = m.hasMla() ? (long) m.mla().kvLoraRank() + m.mla().qkRopeHeadDim()
                : Exact.multiply("kvCacheBytes", 2L * m.numKeyValueHeads(), m.headDim());
        return dtype.bytesFor("kvCacheBytes", Exact.multiply("kvCacheBytes", elementsPerLayer, m.numLayers()));
    }

    private static DocumentFormula documentFormula(long parameters, long weights, InferencePrecision precision) {
        double value = precision.dtype().bytesPerElement() * parameters;
        return new DocumentFormula("seed §3 大模型训练过程中如何计算显存 (量化程度与显存占用表)",
                precision + ": " + precision.documentEntry(),
                precision.dtype().bytesPerElement() + "·" + parameters, value, value == weights,
                precision == InferencePrecision.INT4 ? "the document gives only < 1Φ for INT4; 0.5Φ is used" : null);
    }
}
