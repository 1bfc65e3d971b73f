package dev.llmcalc.api;

import dev.llmcalc.core.DocumentFormula;
import io.swagger.v3.oas.annotations.media.Schema;

/** A {@link DocumentFormula} as JSON; integral values are written as integers. */
@Schema(description = "The source document's formula for this quantity, evaluated exactly as written")
public record FormulaView(
        @Schema(description = "where in the source document the formula is") String source,
        @Schema(description = "the formula in the document's notation") String expression,
        @Schema(description = "the formula with this request's numbers") String substituted,
        @Schema(description = "its value for this request") Number value,
        @Schema(description = "true when it equals the detailed estimate for this request") boolean exact,
        @Schema(description = "what it assumes or misses") String note) {

    private static final double LARGEST_EXACT_DOUBLE = 9_007_199_254_740_992.0; // 2^53

    public static FormulaView of(DocumentFormula formula) {
        return formula == null ? null
                : new FormulaView(formula.source(), formula.expression(), formula.substituted(),
                        asNumber(formula.value()), formula.exact(), formula.note());
    }

    /** A long when the double is an integer that a double represents exactly, the double otherwise. */
    public static Number asNumber(double value) {
        if (value == Math.rint(value) && Math.abs(value) <= LARGEST_EXACT_DOUBLE) {
            return (long) value;
        }
        return value;
    }
}
