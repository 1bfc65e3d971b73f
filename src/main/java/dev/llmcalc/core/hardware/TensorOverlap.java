package dev.llmcalc.core.hardware;

/**
 * Which of a layer's tensor-parallel collectives the framework runs behind GEMMs rather than on the critical path.
 */
public enum TensorOverlap {

    /**
     * None: every collective waits for its GEMM and the next waits for it (Megatron-LM of 2021, examples/sc21, which
     * Narayanan et al. 2021 ran; Megatron-DeepSpeed forks of that code).
     */
    NONE,

    /**
     * The backward's input-gradient collectives of the column-parallel layers (QKV, MLP up: an all-reduce, a
     * reduce-scatter under sequence parallelism) run while the weight-gradient GEMM computes (Megatron-LM since 2022,
     * {@code --async-tensor-model-parallel-allreduce} on by default, mpu/layers.py
     * LinearWithGradAccumulationAndAsyncCommunication; Transformer Engine's Linear likewise); the rest stays on the
     * critical path (the LM head's input gradient too, one collective per micro-batch, though Megatron runs it the same
     * way).
     */
    BACKWARD,

    /**
     * Every tensor-parallel collective (the layers', the embedding's, the LM head's and the recomputed ones) split into
     * chunks and pipelined with the GEMMs (Megatron-Core {@code --tp-comm-overlap}, Transformer Engine userbuffers;
     * needs sequence parallelism, without which the step time prices {@link #BACKWARD}).
     */
    FULL
}
