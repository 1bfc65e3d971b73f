package dev.llmcalc.core.model.hf;

/**
 * A config.json field of the wrong JSON type or out of range (a string where a count belongs, a fraction, a
 * negative head count). The API answers 400 naming the field; a config that is well-formed but incomplete or
 * impossible as a whole is an {@link dev.llmcalc.core.unit.InvalidInputException} (422) instead.
 */
public class MalformedConfigException extends IllegalArgumentException {

    private final String field;

    private final String reason;

    public MalformedConfigException(String field, String reason) {
        super("'" + field + "' " + reason);
        this.field = field;
        this.reason = reason;
    }

    /** The config key as the client wrote it, with its path for nested objects (e.g. "text_config.hidden_size"). */
    public String field() {
        return this.field;
    }

    /** The message without the field name. */
    public String reason() {
        return this.reason;
    }
}
