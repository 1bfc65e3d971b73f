package dev.llmcalc.core.unit;

/** A count or byte total that does not fit in a signed 64-bit integer. */
public class OverflowException extends ArithmeticException {

    private final String quantity;

    public OverflowException(String quantity) {
        super("'" + quantity + "' exceeds the largest exact integer (2^63 - 1)");
        this.quantity = quantity;
    }

    public String quantity() {
        return this.quantity;
    }
}
