package dev.llmcalc.core.memory;

import java.util.List;

/**
 * A LoRA / QLoRA run as data-parallel traffic sees it, per pipeline stage (Hu et al. 2021): only the adapters
 * get gradients, so only they are reduced and (ZeRO-1/2) re-gathered after the step; the frozen weights are
 * all-gathered under ZeRO-3 like any weight but never reduced.
 *
 * @param stages one entry per pipeline stage, first stage first
 */
public record FrozenBase(List<Stage> stages) {

    public FrozenBase {
        stages = List.copyOf(stages);
    }

    /**
     * What one GPU of a pipeline stage holds before ZeRO partitioning.
     *
     * @param adapterDense adapter parameters on dense weights (reduced over data × context)
     * @param adapterExpert adapter parameters on routed experts (reduced over the expert-data group)
     * @param frozenDenseBytes frozen dense weights at their storage precision (QLoRA: quantized, with constants)
     * @param frozenExpertBytes frozen routed-expert weights at their storage precision
     */
    public record Stage(long adapterDense, long adapterExpert, long frozenDenseBytes, long frozenExpertBytes) {
    }
}
