package dev.llmcalc.ops;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Response headers for every answer: {@code X-Content-Type-Options: nosniff} everywhere, and
 * {@code Cache-Control: no-store} on the API and Actuator (answers depend on the request body, and probes
 * and metrics must never come from a cache). Swagger UI's static files keep their own caching.
 */
final class SecurityHeadersFilter extends OncePerRequestFilter implements Ordered {

    static final String NO_STORE = "no-store";

    @Override
    public int getOrder() {
        // after the request id, before anything that may answer early (the body limit)
        return Ordered.HIGHEST_PRECEDENCE + 2;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        response.setHeader("X-Content-Type-Options", "nosniff");
        String path = request.getRequestURI();
        if (path.startsWith("/api/") || path.startsWith("/actuator/")) {
            response.setHeader(HttpHeaders.CACHE_CONTROL, NO_STORE);
        }
        chain.doFilter(request, response);
    }
}
