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

    private static final double LARGEST_EXACT_DOUBLE = 9_007_199_254_740_992.0; // 2^53

    /** The value as a long when it is an integer a double holds exactly (so JSON shows 123, not 123.0), else itself. */
    public Number valueAsNumber() {
        if (this.value == Math.rint(this.value) && Math.abs(this.value) <= LARGEST_EXACT_DOUBLE) {
            return (long) this.value;
        }
        return this.value;
    }
}
