package dev.llmcalc.core.memory;

import java.util.List;

import dev.llmcalc.core.parallel.LocalParameters;
import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.parallel.WeightMatrix;
import dev.llmcalc.core.run.Fp8Recipe;
import dev.llmcalc.core.run.Training;
import dev.llmcalc.core.unit.Exact;

/**
 * What FP8 training keeps beside the 16-bit weights of one GPU: FP8 copies of the linear layers' weights (routers,
 * embedding and LM head stay 16-bit), their transposes where the recipe caches them, and the scaling state.
 *
 * @param copiesBytes one FP8 byte per linear weight element
 * @param transposesBytes Transformer Engine's cached FP8 transposes (Hopper's FP8 GEMM reads both operands K-major)
 * @param scalingBytes TENSORWISE: amax history, scale and inverse scale per FP8 tensor; BLOCKWISE: an fp32 scale per
 *        128 × 128 weight block
 */
public record Fp8Weights(long copiesBytes, long transposesBytes, long scalingBytes) {

    static final Fp8Weights NONE = new Fp8Weights(0, 0, 0);

    private static final String Q = "perGpu.weightsBytes";

    private static final int FP32_BYTES = 4;

    /** TE keeps scale and scale_inv beside the amax history of each FP8 tensor. */
    private static final int SCALES_PER_TENSOR = 2;

    public long totalBytes() {
        return Exact.sum(Q, this.copiesBytes, this.transposesBytes, this.scalingBytes);
    }

    /**
     * One GPU's FP8 weight state; with {@code sharded} (ZeRO-3) the copies and block scales are partitioned like the
     * 16-bit weights they are cast from, over the same ranks ({@link Training#denseShardingDegree}). Per-tensor scaling
     * state is replicated.
     */
    static Fp8Weights of(LocalParameters local, Training training, Parallelism parallelism) {
        Fp8Recipe recipe = training.precision().fp8();
        boolean sharded = training.zeroStage().shardsWeights();
        if (!recipe.any()) {
            return NONE;
        }
        List<WeightMatrix> matrices = local.matrices();
        long copies = Exact.add(Q, shard(linearElements(matrices, false), sharded, training.denseShardingDegree(parallelism)),
                shard(linearElements(matrices, true), sharded, training.expertShardingDegree(parallelism)));
        if (recipe == Fp8Recipe.TENSORWISE) {
            return new Fp8Weights(copies, copies, delayedScalingBytes(linearMatrices(matrices)));
        }
        long scales = Exact.add(Q, shard(blockScaleBytes(matrices, false), sharded, training.denseShardingDegree(parallelism)),
                shard(blockScaleBytes(matrices, true), sharded, training.expertShardingDegree(parallelism)));
        return new Fp8Weights(copies, 0, scales);
    }

    private static long shard(long value, boolean sharded, long ranks) {
        return sharded && value > 0 ? Exact.ceilDiv(value, ranks) : value;
    }

    /** Elements of the linear layers' weights (the FP8 GEMMs' weights): attention, FFN and expert matrices. */
    public static long linearElements(List<WeightMatrix> matrices, boolean expert) {
        long elements = 0;
        for (WeightMatrix matrix : matrices) {
            if (matrix.role() == WeightMatrix.Role.LINEAR && matrix.expert() == expert) {
                elements = Exact.add(Q, elements, matrix.elements());
            }
        }
        return elements;
    }

    /** Linear weight tensors (one Transformer Engine GEMM module each, as accelerate's te.Linear conversion makes). */
    public static long linearMatrices(List<WeightMatrix> matrices) {
        long count = 0;
        for (WeightMatrix matrix : matrices) {
            if (matrix.role() == WeightMatrix.Role.LINEAR) {
                count = Exact.add(Q, count, matrix.count());
            }
        }
        return count;
    }

    // Transformer Engine DelayedScaling: per GEMM 5 FP8 tensors (3 forward, 2 backward), each an fp32 amax history of
    // 1,024 plus scale and scale_inv: gemms · 5 · (1,024 + 2) · 4 B
    static long delayedScalingBytes(long gemms) {
        return Exact.multiply(Q, Exact.multiply(Q, gemms, Fp8Recipe.FP8_TENSORS_PER_GEMM),
                (long) Fp8Recipe.AMAX_HISTORY + SCALES_PER_TENSOR, FP32_BYTES);
    }

    // DeepSeek-V3 §3.3.2: an fp32 scale per 128 × 128 weight block: count · ⌈rows/128⌉ · ⌈cols/128⌉ · 4 B
    static long blockScaleBytes(List<WeightMatrix> matrices, boolean expert) {
        long bytes = 0;
        for (WeightMatrix matrix : matrices) {
            if (matrix.role() == WeightMatrix.Role.LINEAR && matrix.expert() == expert) {
                long blocks = Exact.multiply(Q, matrix.count(), Exact.ceilDiv(matrix.rows(), Fp8Recipe.BLOCK),
                        Exact.ceilDiv(matrix.cols(), Fp8Recipe.BLOCK));
                bytes = Exact.add(Q, bytes, Exact.multiply(Q, blocks, FP32_BYTES));
            }
        }
        return bytes;
    }
}
