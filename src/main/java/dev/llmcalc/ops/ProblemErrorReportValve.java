package dev.llmcalc.ops;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.tomcat.util.res.StringManager;
import org.springframework.http.HttpStatus;

/**
 * Tomcat's answer to a request it refuses before the application sees it (request headers over
 * {@code server.max-http-request-header-size}, a malformed request line), as RFC 9457 problem+json instead of
 * Tomcat's HTML page. Headers that are too large are 431 Request Header Fields Too Large (RFC 6585); anything else
 * keeps Tomcat's status. Errors of the application itself never get here: Spring answers them first.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    static final String HEADERS_TOO_LARGE_TYPE = "urn:llmcalc:problem:request-headers-too-large";

    static final String UNREADABLE_TYPE = "urn:llmcalc:problem:unreadable-request";

    // Tomcat's own message for the case, in the JVM's locale, as Http11InputBuffer raises it
    private static final String HEADERS_TOO_LARGE = StringManager.getManager("org.apache.coyote.http11")
            .getString("iib.requestheadertoolarge.error");

    private final String headerLimit;

    /** @param headerLimit the configured limit, as the README and {@code application.properties} write it */
    public ProblemErrorReportValve(String headerLimit) {
        this.headerLimit = headerLimit;
        setShowReport(false);
        setShowServerInfo(false);
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        boolean headersTooLarge = throwable != null && HEADERS_TOO_LARGE.equals(throwable.getMessage());
        String body;
        if (headersTooLarge) {
            status = 431;
            response.setStatus(status);
            body = problem(HEADERS_TOO_LARGE_TYPE, "Request headers too large", status,
                    "The request's headers are larger than this server accepts (" + this.headerLimit
                            + " in all, server.max-http-request-header-size). Send fewer or shorter headers "
                            + "(cookies, tokens).");
        }
        else {
            HttpStatus known = HttpStatus.resolve(status);
            body = problem(UNREADABLE_TYPE, known != null ? known.getReasonPhrase() : "Error", status,
                    "The server could not read the request as HTTP: its request line or headers are malformed or "
                            + "too large (at most " + this.headerLimit + " of headers).");
        }
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(body);
                response.finishResponse();
            }
        }
        catch (IOException | IllegalStateException ex) {
            // the client is gone or the answer already started: nothing more to say
        }
    }

    // every value is a constant of this class or a number, so nothing needs escaping
    private static String problem(String type, String title, int status, String detail) {
        return "{\"type\":\"" + type + "\",\"title\":\"" + title + "\",\"status\":" + status + ",\"detail\":\""
                + detail + "\"}";
    }
}
