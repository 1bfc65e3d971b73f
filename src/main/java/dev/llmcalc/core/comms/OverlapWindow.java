package dev.llmcalc.core.comms;

/**
 * What compute a transfer can hide behind, as /checks' step time prices it ({@code StepTimeModel}): the transfer is
 * exposed by what outlasts its window.
 */
public enum OverlapWindow {

    /**
     * On the critical path by default: tensor-parallel and expert collectives, pipeline sends, ZeRO-1/2 weight gathers
     * (the step time hides some of them when {@code kernelEfficiency} says the framework overlaps them: tensorOverlap
     * FULL, expertOverlap, parameterGatherOverlap, pipelineOverlap for an interleaved schedule's boundary sends).
     */
    NONE,

    /** Behind the whole step's compute (sequence-parallel re-gathers, overlapped with the input-gradient GEMMs). */
    STEP,

    /**
     * Behind the backward pass of the step's last micro-batch only: gradients accumulate locally until then, and
     * bucketed reduction starts as that backward produces them (Megatron-Core {@code --overlap-grad-reduce},
     * PyTorch DDP {@code no_sync} under gradient accumulation).
     */
    LAST_BACKWARD,

    /** Behind the backward pass of its own micro-batch, once per micro-batch (DeepSpeed ZeRO-2's reduce-scatters). */
    EACH_BACKWARD,

    /**
     * Behind the backward's weight-gradient GEMMs: the column-parallel layers' input-gradient all-reduce (reduce-scatter
     * under sequence parallelism), which Megatron-LM has launched asynchronously since 2022 and Transformer Engine
     * does too; on the critical path for a stack without it ({@code kernelEfficiency.tensorOverlap} NONE).
     */
    WEIGHT_GRADIENT,

    /** Behind the compute of the layer phase it serves (ZeRO-3 prefetch: forward gathers, backward gathers + reduce-scatters). */
    LAYER_PHASE,

    /** Behind the attention of the block in hand (ring attention). */
    ATTENTION_BLOCK
}
