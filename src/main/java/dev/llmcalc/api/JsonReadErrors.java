package dev.llmcalc.api;

import java.util.Arrays;
import java.util.List;

import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Names the field and says what is wrong with an unreadable JSON body, from what Jackson reports, in the API's
 * words: a JSON path ({@code training.zeroStag}, {@code cluster.gpu.peakFlops.FP8}, {@code layers[2]}) and a message
 * without Java class names. The HTTP problem answers and the command line use the same text.
 */
public final class JsonReadErrors {

    private JsonReadErrors() {
    }

    /** The JSON path of the value at fault ({@code body} when the document as a whole is), from the exception or a cause. */
    public static String fieldOf(Throwable ex) {
        JacksonException jackson = jacksonCause(ex);
        if (jackson == null || jackson.getPath().isEmpty()) {
            return "body";
        }
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference reference : jackson.getPath()) {
            if (reference.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getPropertyName());
            }
            else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "body" : path.toString();
    }

    /** What is wrong there, to follow the quoted path: "is not a known field; known fields here: …", "must be …". */
    public static String messageOf(Throwable ex) {
        JacksonException jackson = jacksonCause(ex);
        if (jackson == null) {
            return "is required: send a JSON object";
        }
        if (jackson instanceof UnrecognizedPropertyException unknown) {
            List<String> known = unknown.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList();
            return "is not a known field; known fields here: " + String.join(", ", known);
        }
        if (jackson instanceof InvalidFormatException invalid && invalid.getTargetType() != null
                && invalid.getTargetType().isEnum()) {
            return "must be one of " + Arrays.toString(invalid.getTargetType().getEnumConstants())
                    + " (got " + abbreviate(String.valueOf(invalid.getValue())) + ")";
        }
        if (jackson instanceof MismatchedInputException mismatched && mismatched.getTargetType() != null) {
            return "must be " + typeName(mismatched.getTargetType());
        }
        if (jackson instanceof InputCoercionException coercion && coercion.getTargetType() != null) {
            return "is out of range for " + typeName(coercion.getTargetType());
        }
        if (jackson instanceof StreamConstraintsException) {
            // Jackson names the limit and where it is set ("..., from `StreamReadConstraints.get...()`"): keep the first
            return "exceeds a request size limit: "
                    + abbreviate(jackson.getOriginalMessage().replaceAll(", from `[^`]*`", ""));
        }
        if (jackson instanceof StreamReadException read && read.getLocation() != null) {
            return "is not valid JSON (line " + read.getLocation().getLineNr() + ", column "
                    + read.getLocation().getColumnNr() + ")";
        }
        return "could not be read as JSON";
    }

    private static JacksonException jacksonCause(Throwable ex) {
        for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
            if (cause instanceof JacksonException jackson) {
                return jackson;
            }
        }
        return null;
    }

    private static String typeName(Class<?> type) {
        if (type.isEnum()) {
            return "one of " + Arrays.toString(type.getEnumConstants());
        }
        if (type == Integer.class || type == int.class) {
            return "an integer between 0 and 2147483647";
        }
        if (type == Long.class || type == long.class) {
            return "an integer between 0 and 9223372036854775807";
        }
        if (type == Double.class || type == double.class) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (List.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        return "a JSON object";
    }

    private static String abbreviate(String text) {
        return text == null || text.length() <= 80 ? text : text.substring(0, 80) + "…";
    }
}
