package dev.llmcalc.api;

import java.net.URI;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

import dev.llmcalc.core.model.hf.MissingConfigFieldsException;
import dev.llmcalc.core.model.hf.UnmodelledConfigException;
import dev.llmcalc.core.unit.InvalidInputException;
import dev.llmcalc.core.unit.OverflowException;

/**
 * Every failure as RFC 9457 {@code application/problem+json}: 400 with {@code errors} (field → message)
 * for malformed or out-of-range input, 404 for unknown presets, 422 for impossible combinations and
 * results that would overflow. Internal details (class names, stack traces) never reach the client.
 */
@RestControllerAdvice
class ApiProblems extends ResponseEntityExceptionHandler {

    static final URI INVALID_REQUEST = URI.create("urn:llmcalc:problem:invalid-request");

    static final URI IMPOSSIBLE_REQUEST = URI.create("urn:llmcalc:problem:impossible-request");

    static final URI OVERFLOW = URI.create("urn:llmcalc:problem:overflow");

    static final URI UNKNOWN_PRESET = URI.create("urn:llmcalc:problem:unknown-preset");

    private static final Log log = LogFactory.getLog(ApiProblems.class);

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        Map<String, String> errors = ex.getBindingResult().getFieldErrors().stream()
                .sorted(Comparator.comparing(FieldError::getField).thenComparing(ApiProblems::message))
                .collect(Collectors.toMap(FieldError::getField, ApiProblems::message, (a, b) -> a + "; " + b,
                        LinkedHashMap::new));
        ex.getBindingResult().getGlobalErrors()
                .forEach((error) -> errors.merge(error.getObjectName(), String.valueOf(error.getDefaultMessage()),
                        (a, b) -> a + "; " + b));
        return ResponseEntity.badRequest().body(problem(HttpStatus.BAD_REQUEST, INVALID_REQUEST, "Invalid request",
                describe(errors), errors));
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        Map<String, String> errors = Map.of(ReadError.fieldOf(ex), ReadError.messageOf(ex));
        return ResponseEntity.badRequest().body(problem(HttpStatus.BAD_REQUEST, INVALID_REQUEST, "Invalid request",
                describe(errors), errors));
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> badRequest(BadRequestException ex) {
        Map<String, String> errors = Map.of(ex.field(), ex.getMessage());
        return ResponseEntity.badRequest().body(problem(HttpStatus.BAD_REQUEST, INVALID_REQUEST, "Invalid request",
                describe(errors), errors));
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> impossible(InvalidInputException ex) {
        Map<String, String> errors = Map.of(ex.field(), ex.reason());
        if (ex instanceof MissingConfigFieldsException missing) {
            errors = new LinkedHashMap<>();
            for (String field : missing.fields()) {
                errors.put(field, missing.fieldReason());
            }
        }
        else if (ex instanceof UnmodelledConfigException unmodelled) {
            errors = unmodelled.problems();
        }
        return ResponseEntity.unprocessableContent().body(problem(HttpStatus.UNPROCESSABLE_CONTENT,
                IMPOSSIBLE_REQUEST, "Impossible request", ex.getMessage(), errors));
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> overflow(OverflowException ex) {
        Map<String, String> errors = Map.of(ex.quantity(), "exceeds 2^63 - 1");
        return ResponseEntity.unprocessableContent().body(problem(HttpStatus.UNPROCESSABLE_CONTENT, OVERFLOW,
                "Result too large", ex.getMessage() + "; the request describes a model or run too large to count exactly",
                errors));
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> unknownPreset(UnknownPresetException ex) {
        ProblemDetail body = problem(HttpStatus.NOT_FOUND, UNKNOWN_PRESET, "Unknown preset", ex.getMessage(),
                Map.of(ex.field(), "unknown id"));
        body.setProperty("closest", ex.closest());
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(body);
    }

    @ExceptionHandler
    ResponseEntity<ProblemDetail> unexpected(Exception ex) {
        log.error("Unexpected failure", ex);
        ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "The calculation failed unexpectedly; the failure was logged.");
        body.setTitle("Internal error");
        return ResponseEntity.internalServerError().body(body);
    }

    static ProblemDetail problem(HttpStatus status, URI type, String title, String detail, Map<String, String> errors) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
        body.setType(type);
        body.setTitle(title);
        body.setProperty("errors", errors);
        return body;
    }

    private static String describe(Map<String, String> errors) {
        return errors.entrySet().stream()
                .map((e) -> "'" + e.getKey() + "' " + e.getValue())
                .collect(Collectors.joining("; "));
    }

    private static String message(FieldError error) {
        return String.valueOf(error.getDefaultMessage());
    }

    /** Names the field and the expected type of an unreadable body, from what Jackson reports. */
    static final class ReadError {

        private ReadError() {
        }

        static String fieldOf(HttpMessageNotReadableException ex) {
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

        static String messageOf(HttpMessageNotReadableException ex) {
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
}
