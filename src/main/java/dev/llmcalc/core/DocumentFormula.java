package dev.llmcalc.core;

/**
 * A formula from the source document ({@code llm-interview-notes.zh.md}), evaluated exactly as the
 * document writes it, next to the product's detailed value for the same quantity.
 *
 * @param source where in the document it is (section and heading)
 * @param expression the formula in the document's notation
 * @param substituted the formula with this request's numbers put in
 * @param value its value for this request
 * @param exact whether the value equals the detailed estimate for this request
 * @param note what the formula assumes or misses, when that explains a difference
 */
public record DocumentFormula(String source, String expression, String substituted, double value, boolean exact,
        String note) {
}
