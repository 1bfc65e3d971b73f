package dev.llmcalc.core.memory;

/**
 * One buffer of a GPU's model states, with the width it is kept in.
 *
 * @param tensor what it is, e.g. "FP8 weight transposes"
 * @param format its element format(s), e.g. "fp8", "bf16", "fp32 momentum + variance"
 * @param bytes its bytes on the GPU
 */
public record ModelStateItem(String tensor, String format, long bytes) {
}
