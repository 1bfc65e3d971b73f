package dev.llmcalc.core.activation;

/**
 * One kind of tensor kept for backward, for one micro-batch on one GPU.
 *
 * @param tensor what it is, e.g. "softmax output"
 * @param bytes its bytes on one GPU (after tensor, sequence and context parallel division)
 */
public record LedgerEntry(String tensor, long bytes) {
}
