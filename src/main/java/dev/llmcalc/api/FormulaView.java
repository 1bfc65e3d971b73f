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

    public static FormulaView of(DocumentFormula formula) {
        return formula == null ? null
                : new FormulaView(formula.source(), formula.expression(), formula.substituted(),
                        formula.valueAsNumber(), formula.exact(), formula.note());
    }
}
