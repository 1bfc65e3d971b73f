package dev.llmcalc.core.parallel;

import dev.llmcalc.core.unit.Exact;

/**
 * {@code count} weight matrices of one kind on one GPU, each its tensor-parallel slice of {@code rows × cols}
 * (PyTorch's [out_features, in_features]): what shape-dependent optimizers (Adafactor, Muon) and FP8 training need
 * beyond a parameter count. Matrices are per Hugging Face module (q, k, v, o, gate, up, down, each expert's own).
 *
 * @param name the module, e.g. "q_proj"
 * @param role what the matrix does (which optimizer and which GEMM precision it gets)
 * @param expert whether it belongs to a routed expert (sharded over data × context / expert under ZeRO)
 * @param count how many such matrices this GPU holds
 * @param rows output features on this GPU
 * @param cols input features on this GPU
 */
public record WeightMatrix(String name, Role role, boolean expert, long count, long rows, long cols) {

    private static final String Q = "localParameters";

    /** What a matrix is for. */
    public enum Role {

        /** A linear layer inside the transformer blocks: attention projections, FFN and expert matrices. */
        LINEAR,

        /** The MoE router (and Qwen2-MoE's shared-expert gate): a 2-D matrix inside the blocks, kept out of FP8. */
        ROUTER,

        /** Token and learned position embeddings. */
        EMBEDDING,

        /** The output projection (or a reward / value model's scalar head). */
        LM_HEAD
    }

    /** count · rows · cols parameters. */
    public long elements() {
        return Exact.multiply(Q, this.count, this.rows, this.cols);
    }
}
