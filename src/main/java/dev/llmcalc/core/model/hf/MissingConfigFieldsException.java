package dev.llmcalc.core.model.hf;

import java.util.List;

import dev.llmcalc.core.unit.InvalidInputException;

/**
 * Required config.json fields that are absent (422). Names every one of them, not only the first, so a client
 * can fix the config in one go; {@link #field()} is the first.
 */
public class MissingConfigFieldsException extends InvalidInputException {

    static final String REASON = "is required to count the parameters and is not in the config";

    private final List<String> fields;

    public MissingConfigFieldsException(List<String> fields) {
        super(fields.get(0), REASON + (fields.size() > 1
                ? " (also missing: " + String.join(", ", fields.subList(1, fields.size())) + ")" : ""));
        this.fields = List.copyOf(fields);
    }

    /** Every missing field, with its path, in the order they were looked for. */
    public List<String> fields() {
        return this.fields;
    }

    /** The reason shared by every missing field. */
    public String fieldReason() {
        return REASON;
    }

    @Override
    public MissingConfigFieldsException under(String prefix) {
        return new MissingConfigFieldsException(this.fields.stream().map(prefix::concat).toList());
    }
}
