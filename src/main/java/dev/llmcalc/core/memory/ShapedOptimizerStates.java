package dev.llmcalc.core.memory;

import java.util.List;

import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.parallel.LocalParameters;
import dev.llmcalc.core.parallel.Parallelism;
import dev.llmcalc.core.parallel.ParameterPlacement;
import dev.llmcalc.core.parallel.WeightMatrix;
import dev.llmcalc.core.run.Optimizer;
import dev.llmcalc.core.unit.Exact;

/**
 * Optimizer states that depend on each weight matrix's shape, before ZeRO partitioning and without the fp32 master
 * copy: Adafactor's factored second moment and Muon's momentum on the hidden matrices (AdamW for the rest).
 */
public final class ShapedOptimizerStates {

    private static final String Q = "perGpu.optimizerStatesBytes";

    /** Adafactor and Muon keep their states in fp32 (transformers' Adafactor casts bf16 gradients to fp32). */
    private static final int FP32_BYTES = 4;

    /** AdamW's fp32 momentum and variance, for the parameters Muon leaves to it. */
    private static final int ADAMW_BYTES = 8;

    /** Newton–Schulz iterations of the reference Muon (zeropower_via_newtonschulz5, steps = 5). */
    public static final int NEWTON_SCHULZ_STEPS = 5;

    private ShapedOptimizerStates() {
    }

    /** State bytes of the dense and of the routed-expert parameters of one GPU (ZeRO shards each its own way). */
    public record Split(long dense, long expert) {

        public long total() {
            return Exact.add(Q, this.dense, this.expert);
        }
    }

    /** The states of {@code local}'s parameters under {@code optimizer}; the local parameters must carry shapes. */
    public static Split bytes(LocalParameters local, Optimizer optimizer) {
        return new Split(groupBytes(local.matrices(), false, local.dense(), optimizer),
                groupBytes(local.matrices(), true, local.expert(), optimizer));
    }

    private static long groupBytes(List<WeightMatrix> matrices, boolean expert, long parameters, Optimizer optimizer) {
        if (parameters == 0) {
            return 0;
        }
        return switch (optimizer) {
            case ADAFACTOR -> adafactorBytes(matrices, expert, parameters, false);
            case ADAFACTOR_MOMENTUM -> adafactorBytes(matrices, expert, parameters, true);
            case MUON -> muonBytes(matrices, expert, parameters);
            default -> throw new IllegalArgumentException(optimizer + " does not depend on shapes");
        };
    }

    // Shazeer & Stern 2018 §3 (transformers Adafactor: exp_avg_sq_row + exp_avg_sq_col for ≥ 2-D, exp_avg_sq else):
    // 4 B × (Σ (rows + cols) over matrices + vector elements), + a full 4 B first moment when beta1 is set
    static long adafactorBytes(List<WeightMatrix> matrices, boolean expert, long parameters, boolean firstMoment) {
        long values = Exact.add(Q, factoredSecondMoment(matrices, expert), vectorParameters(matrices, expert, parameters));
        long secondMoment = Exact.multiply(Q, values, FP32_BYTES);
        return firstMoment ? Exact.add(Q, secondMoment, Exact.multiply(Q, parameters, FP32_BYTES)) : secondMoment;
    }

    // Shazeer & Stern 2018 §3: a factored r × c matrix keeps r row and c column statistics: count · (r + c) values
    public static long factoredSecondMoment(List<WeightMatrix> matrices, boolean expert) {
        long values = 0;
        for (WeightMatrix matrix : matrices) {
            if (matrix.expert() == expert) {
                values = Exact.add(Q, values, Exact.multiply(Q, matrix.count(), Exact.add(Q, matrix.rows(), matrix.cols())));
            }
        }
        return values;
    }

    /** Parameters outside 2-D matrices (norms, biases, sinks): what is left of the count once the matrices are out. */
    public static long vectorParameters(List<WeightMatrix> matrices, boolean expert, long parameters) {
        long inMatrices = 0;
        for (WeightMatrix matrix : matrices) {
            if (matrix.expert() == expert) {
                inMatrices = Exact.add(Q, inMatrices, matrix.elements());
            }
        }
        // tensor-parallel rounding (⌈V/t⌉·h vs ⌈V·h/t⌉) can leave the matrices a few elements over the count
        return Math.max(0, parameters - inMatrices);
    }

    // Jordan et al. 2024 (Muon reference: hidden ≥ 2-D params → Muon, embeddings / head / vectors → AdamW); Liu et al.
    // 2025 §2.2 the same split: 4 B momentum × Muon parameters + 8 B AdamW moments × the rest
    static long muonBytes(List<WeightMatrix> matrices, boolean expert, long parameters) {
        long muon = Math.min(parameters, muonParameters(matrices, expert));
        return Exact.add(Q, Exact.multiply(Q, muon, FP32_BYTES), Exact.multiply(Q, parameters - muon, ADAMW_BYTES));
    }

    /** Parameters Muon orthogonalizes: the hidden matrices (attention, FFN, experts, routers), not embeddings or head. */
    public static long muonParameters(List<WeightMatrix> matrices, boolean expert) {
        long parameters = 0;
        for (WeightMatrix matrix : matrices) {
            if (matrix.expert() == expert && isHidden(matrix)) {
                parameters = Exact.add(Q, parameters, matrix.elements());
            }
        }
        return parameters;
    }

    private static boolean isHidden(WeightMatrix matrix) {
        return matrix.role() == WeightMatrix.Role.LINEAR || matrix.role() == WeightMatrix.Role.ROUTER;
    }

    // Jordan 2024 zeropower_via_newtonschulz5 on an m × n matrix, m ≤ n (it transposes a tall one), per iteration
    // A = X·Xᵀ (2m²n) + A·A (2m³) + B·X (2m²n): 5 · (4m²n + 2m³) matmul FLOPs (the element-wise terms left out)
    public static long newtonSchulzFlops(long rows, long cols) {
        String q = "newtonSchulzFlopsPerStep";
        long m = Math.min(rows, cols);
        long n = Math.max(rows, cols);
        long mm = Exact.multiply(q, m, m);
        long perIteration = Exact.add(q, Exact.multiply(q, 4, mm, n), Exact.multiply(q, 2, mm, m));
        return Exact.multiply(q, NEWTON_SCHULZ_STEPS, perIteration);
    }

    /**
     * Newton–Schulz FLOPs of one optimizer step over the whole model: every hidden matrix orthogonalized once at its
     * full (un-split) shape. Distributed Muon spreads this over ranks (whole matrices per rank) rather than dividing
     * each matrix, so this is the work to share, not one GPU's.
     */
    public static long newtonSchulzFlopsPerStep(Architecture model) {
        String q = "newtonSchulzFlopsPerStep";
        long flops = 0;
        for (WeightMatrix matrix : ParameterPlacement.stages(model, Parallelism.NONE).get(0).matrices()) {
            if (isHidden(matrix)) {
                flops = Exact.add(q, flops, Exact.multiply(q, matrix.count(), newtonSchulzFlops(matrix.rows(), matrix.cols())));
            }
        }
        return flops;
    }

    /** The whole model's states, one copy (a checkpoint's optimizer states). */
    public static long wholeModel(Architecture model, Optimizer optimizer) {
        return bytes(ParameterPlacement.stages(model, Parallelism.NONE).get(0), optimizer).total();
    }
}
