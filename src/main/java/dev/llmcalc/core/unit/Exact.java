package dev.llmcalc.core.unit;

/**
 * Exact long arithmetic for counts and bytes. Every overflow becomes an {@link OverflowException}
 * naming the quantity that could not be represented, never a wrapped negative number.
 */
public final class Exact {

    private Exact() {
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
