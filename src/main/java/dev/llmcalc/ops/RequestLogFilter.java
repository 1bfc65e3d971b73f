package dev.llmcalc.ops;

import java.io.IOException;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.event.Level;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every request an id and logs one line when it ends. The id is the caller's {@code X-Request-Id}
 * when that is 1–64 characters of {@code [A-Za-z0-9._:-]}, otherwise a new UUID; it is echoed in the
 * response header and kept in the MDC as {@code requestId} for every log line of the request. The line
 * (logger {@code dev.llmcalc.requests}) names method, path, status and duration, never bodies or query
 * strings; at INFO for the API, at DEBUG for Actuator (probes and scrapes would drown the rest).
 */
final class RequestLogFilter extends OncePerRequestFilter implements Ordered {

    static final String HEADER = "X-Request-Id";

    static final String MDC_KEY = "requestId";

    static final String LOGGER = "dev.llmcalc.requests";

    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private static final Logger log = LoggerFactory.getLogger(LOGGER);

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    /** The caller's id when it is safe to echo and log, otherwise a fresh one. */
    static String requestId(String incoming) {
        return incoming != null && SAFE_ID.matcher(incoming).matches() ? incoming : randomUuid().toString();
    }

    /**
     * A version-4 UUID from {@link ThreadLocalRandom}: a request id must be unique, not unpredictable, and
     * {@code UUID.randomUUID()}'s SecureRandom takes a global lock that serialised every request under load (JFR).
     */
    static UUID randomUuid() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(high, low);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String id = requestId(request.getHeader(HEADER));
        long start = System.nanoTime();
        response.setHeader(HEADER, id);
        MDC.put(MDC_KEY, id);
        boolean failed = true;
        try {
            chain.doFilter(request, response);
            failed = false;
        }
        finally {
            // an exception escaping the chain becomes a 500 in the container
            int status = failed ? HttpServletResponse.SC_INTERNAL_SERVER_ERROR : response.getStatus();
            logOutcome(request, status, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
            MDC.remove(MDC_KEY);
        }
    }

    private static void logOutcome(HttpServletRequest request, int status, long millis) {
        String path = request.getRequestURI();
        Level level = path.startsWith("/actuator/") ? Level.DEBUG : Level.INFO;
        if (!log.isEnabledForLevel(level)) {
            return;
        }
        log.atLevel(level)
                .addKeyValue("method", request.getMethod())
                .addKeyValue("path", path)
                .addKeyValue("status", status)
                .addKeyValue("durationMs", millis)
                .log("{} {} {} {}ms", request.getMethod(), path, status, millis);
    }
}
