package dev.llmcalc.core.unit;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Exact arithmetic for counts and bytes (longs) and for the document's formulas (BigDecimal). Every long
 * overflow becomes an {@link OverflowException} naming the quantity that could not be represented, never a
 * wrapped negative number.
 */
public final class Exact {

    private Exact() {
    }

    /**
     * n / d for the document's formulas: exact when d divides n (the common case, without BigDecimal's slow rounding
     * path), else to 34 significant digits.
     */
    public static BigDecimal quotient(BigDecimal n, long d) {
        BigDecimal divisor = BigDecimal.valueOf(d);
        BigDecimal[] quotient = n.divideAndRemainder(divisor);
        return quotient[1].signum() == 0 ? quotient[0] : n.divide(divisor, MathContext.DECIMAL128);
    }

    public static long subtract(String quantity, long a, long b) {
        try {
            return Math.subtractExact(a, b);
        }
        catch (ArithmeticException ex) {
            throw new OverflowException(quantity);
        }
    }

    public static long add(String quantity, long a, long b) {
        try {
            return Math.addExact(a, b);
        }
        catch (ArithmeticException ex) {
            throw new OverflowException(quantity);
        }
    }

    public static long multiply(String quantity, long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        }
        catch (ArithmeticException ex) {
            throw new OverflowException(quantity);
        }
    }

    public static long multiply(String quantity, long a, long b, long c) {
        return multiply(quantity, multiply(quantity, a, b), c);
    }

    /** Sum of non-negative terms, exactly. */
    public static long sum(String quantity, long... terms) {
        long total = 0;
        for (long term : terms) {
            total = add(quantity, total, term);
        }
        return total;
    }

    /** The most-loaded shard when {@code count} items are split over {@code ways}: ceil(count / ways). */
    public static long ceilDiv(long count, long ways) {
        if (ways <= 0) {
            throw new IllegalArgumentException("'ways' must be positive");
        }
        return -Math.floorDiv(-count, ways);
    }
}
