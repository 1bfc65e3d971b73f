package dev.llmcalc.core.unit;

/**
 * Input that is valid field by field but impossible as a whole (for example a key/value head count
 * that does not divide the attention heads). Names the offending field as the client wrote it.
 */
public class InvalidInputException extends IllegalArgumentException {

    private final String field;

    private final String reason;

    public InvalidInputException(String field, String reason) {
        super("'" + field + "' " + reason);
        this.field = field;
        this.reason = reason;
    }

    public String field() {
        return this.field;
    }

    /** The message without the field name, e.g. "must divide numAttentionHeads (32)". */
    public String reason() {
        return this.reason;
    }

    /** The same problem, with the field named as the client wrote it (e.g. under "model.architecture."). */
    public InvalidInputException under(String prefix) {
        return new InvalidInputException(prefix + this.field, this.reason);
    }

    /** Throws when {@code condition} is false. */
    public static void require(boolean condition, String field, String message) {
        if (!condition) {
            throw new InvalidInputException(field, message);
        }
    }
}
