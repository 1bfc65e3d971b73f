package dev.llmcalc.core.memory;

import java.util.List;

/**
 * What saving one training run's checkpoint writes, and how long it stalls training.
 *
 * @param parameters Φ of the whole model
 * @param trainedParameters parameters whose training state is saved (Φ, or the adapters' under LoRA / QLoRA)
 * @param weightsBytes the trained parameters' working weights at the training precision
 * @param masterWeightsBytes their fp32 master copy (mixed precision; 0 under FP32)
 * @param optimizerStatesBytes the optimizer's own states (Adam: momentum and variance)
 * @param totalBytes the three above: one full training checkpoint (gradients are not saved)
 * @param ranks GPUs that write a shard (every rank of the layout)
 * @param perRankBytes the largest shard one rank writes: its weights (tensor and pipeline slice; ZeRO-3: its
 *        partition) and its ZeRO partition of master weights and optimizer states
 * @param ranksPerNode ranks writing through one node's storage link
 * @param perNodeBytes what the busiest node writes: perRankBytes × ranksPerNode, at most totalBytes
 * @param exportBytes the weights alone at the export precision (all Φ parameters, adapters merged)
 * @param totalGiB totalBytes in GiB (2^30)
 * @param exportGiB exportBytes in GiB (2^30)
 * @param saveSeconds how long a synchronous save takes: the slower of the node and the aggregate bound (null without
 *        a storage bandwidth)
 * @param everyMinutes minutes of training between two saves (null when not given)
 * @param savingFraction share of wall-clock time spent saving: save ÷ (interval + save) (null without both)
 */
public record Checkpoint(long parameters, long trainedParameters, long weightsBytes, long masterWeightsBytes,
        long optimizerStatesBytes, long totalBytes, long ranks, long perRankBytes, long ranksPerNode,
        long perNodeBytes, long exportBytes, double totalGiB, double exportGiB, Double nodeWriteSeconds,
        Double aggregateWriteSeconds, Double saveSeconds, Double everyMinutes, Double savingFraction,
        List<String> assumptions) {
}
