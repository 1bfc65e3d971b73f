package dev.llmcalc.api;

import java.net.URI;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.NoHandlerFoundException;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

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

    static final URI UNKNOWN_ENDPOINT = URI.create("urn:llmcalc:problem:unknown-endpoint");

    private static final Log log = LogFactory.getLog(ApiProblems.class);

    private final Endpoints endpoints;

    ApiProblems(@Qualifier("requestMappingHandlerMapping") ObjectProvider<RequestMappingHandlerMapping> mappings) {
        this.endpoints = new Endpoints(mappings);
    }

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
        Map<String, String> errors = Map.of(JsonReadErrors.fieldOf(ex), JsonReadErrors.messageOf(ex));
        return ResponseEntity.badRequest().body(problem(HttpStatus.BAD_REQUEST, INVALID_REQUEST, "Invalid request",
                describe(errors), errors));
    }

    @Override
    protected ResponseEntity<Object> handleNoResourceFoundException(NoResourceFoundException ex, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        return unknownEndpoint(ex.getHttpMethod().name(), "/" + ex.getResourcePath());
    }

    @Override
    protected ResponseEntity<Object> handleNoHandlerFoundException(NoHandlerFoundException ex, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        return unknownEndpoint(ex.getHttpMethod(), ex.getRequestURL());
    }

    /** A path nothing answers (a misspelt endpoint): 404 listing the endpoints that exist, the closest first. */
    private ResponseEntity<Object> unknownEndpoint(String method, String path) {
        List<String> closest = this.endpoints.closest(method, path, 3);
        String detail = "There is no endpoint " + method + " " + path
                + (closest.isEmpty() ? "" : "; the closest is " + closest.get(0)) + ". The endpoints are listed in "
                + "'endpoints', and described at /v3/api-docs and /swagger-ui/index.html.";
        ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, detail);
        body.setType(UNKNOWN_ENDPOINT);
        body.setTitle("Unknown endpoint");
        body.setProperty("closest", closest);
        body.setProperty("endpoints", this.endpoints.all());
        return ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(body);
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
}
