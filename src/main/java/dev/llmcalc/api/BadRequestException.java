package dev.llmcalc.api;

/** A request field that is missing or malformed in a way Bean Validation cannot express: 400. */
public class BadRequestException extends RuntimeException {

    private final String field;

    public BadRequestException(String field, String reason) {
        super(reason);
        this.field = field;
    }

    public String field() {
        return this.field;
    }
}
