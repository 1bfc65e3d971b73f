package dev.llmcalc.core.comms;

/** Which parallelism a transfer serves. ZeRO's transfers are data-parallel ones. */
public enum ParallelismKind {
    DATA, TENSOR, PIPELINE, EXPERT, CONTEXT
}
