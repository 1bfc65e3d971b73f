package dev.llmcalc.core.plan;

import static dev.llmcalc.core.unit.InvalidInputException.require;

import dev.llmcalc.core.hardware.Cluster;
import dev.llmcalc.core.hardware.KernelEfficiency;
import dev.llmcalc.core.memory.FrameworkAllowance;
import dev.llmcalc.core.model.Architecture;
import dev.llmcalc.core.run.AttentionKernel;
import dev.llmcalc.core.run.Optimizer;
import dev.llmcalc.core.run.Precision;

/**
 * What to plan: a model, a batch, how it is trained, the cluster and the limits of the search.
 *
 * @param model the architecture
 * @param sequenceLength s
 * @param globalBatchSize sequences per optimizer step
 * @param precision training precision
 * @param optimizer optimizer
 * @param attention attention kernel
 * @param dropout attention-probability dropout, as {@code activations.dropout}
 * @param residualDropout dropout after the attention and MLP outputs and on the embeddings
 * @param cluster the GPUs (all of them are used)
 * @param constraints limits of the search
 * @param efficiency the shares of the GPU's peaks the kernels reach ({@link KernelEfficiency#forGpu} by default)
 * @param limit plans to return
 * @param allowance framework allowance per GPU
 */
public record PlanSearch(Architecture model, long sequenceLength, long globalBatchSize, Precision precision,
        Optimizer optimizer, AttentionKernel attention, boolean dropout, boolean residualDropout, Cluster cluster,
        PlanConstraints constraints, KernelEfficiency efficiency, int limit, FrameworkAllowance allowance,
        boolean fusedGatedActivation) {

    public static final int DEFAULT_LIMIT = 10;

    /** FlashAttention, what current training stacks run, when no kernel is given. */
    public static final AttentionKernel DEFAULT_ATTENTION = AttentionKernel.FLASH;

    public static final int MAX_LIMIT = 1000;

    public PlanSearch {
        require(model != null, "model", "is required");
        require(sequenceLength >= 1, "batch.sequenceLength", "must be at least 1");
        require(globalBatchSize >= 1, "batch.globalBatchSize", "is required for a plan search and must be at least 1");
        require(cluster != null, "cluster", "is required");
        require(efficiency != null, "efficiency", "is required");
        require(limit >= 1 && limit <= MAX_LIMIT, "limit", "must be between 1 and " + MAX_LIMIT);
    }

    /** A search whose gated activations run unfused (their output kept, as PyTorch autograd keeps it). */
    public PlanSearch(Architecture model, long sequenceLength, long globalBatchSize, Precision precision,
            Optimizer optimizer, AttentionKernel attention, boolean dropout, boolean residualDropout, Cluster cluster,
            PlanConstraints constraints, KernelEfficiency efficiency, int limit, FrameworkAllowance allowance) {
        this(model, sequenceLength, globalBatchSize, precision, optimizer, attention, dropout, residualDropout, cluster,
                constraints, efficiency, limit, allowance, false);
    }

    /** The same search at another training precision. */
    public PlanSearch withPrecision(Precision other) {
        return new PlanSearch(this.model, this.sequenceLength, this.globalBatchSize, other, this.optimizer,
                this.attention, this.dropout, this.residualDropout, this.cluster, this.constraints, this.efficiency,
                this.limit, this.allowance, this.fusedGatedActivation);
    }

    /** The same search with other kernel shares (a calibration's). */
    public PlanSearch withEfficiency(KernelEfficiency shares) {
        return new PlanSearch(this.model, this.sequenceLength, this.globalBatchSize, this.precision, this.optimizer,
                this.attention, this.dropout, this.residualDropout, this.cluster, this.constraints, shares, this.limit,
                this.allowance, this.fusedGatedActivation);
    }

    /** A search without dropout. */
    public PlanSearch(Architecture model, long sequenceLength, long globalBatchSize, Precision precision,
            Optimizer optimizer, AttentionKernel attention, Cluster cluster, PlanConstraints constraints,
            KernelEfficiency efficiency, int limit, FrameworkAllowance allowance) {
        this(model, sequenceLength, globalBatchSize, precision, optimizer, attention, false, false, cluster,
                constraints, efficiency, limit, allowance);
    }
}
