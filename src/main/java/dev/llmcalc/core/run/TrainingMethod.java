package dev.llmcalc.core.run;

/** Which weights are trained: all of them, or low-rank adapters over frozen (optionally quantized) base weights. */
public enum TrainingMethod {

    /** Every parameter is trained (the default). */
    FULL,

    /** LoRA (Hu et al. 2021): frozen base weights at the training's weight precision, trainable low-rank adapters. */
    LORA,

    /** QLoRA (Dettmers et al. 2023): LoRA over base weights stored block-wise quantized (NF4, FP4 or INT8). */
    QLORA
}
