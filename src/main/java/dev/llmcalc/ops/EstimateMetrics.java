package dev.llmcalc.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Counts estimates: {@code llmcalc.estimates} tagged {@code calculator} (the handler's path pattern after
 * {@code /api/v1/}, e.g. {@code memory/training}) and {@code outcome} ({@code ok}, {@code client_error},
 * {@code server_error}). An estimate is a POST handled by a controller under {@code /api/v1/}, so new
 * endpoints are counted without being listed; the pattern, not the raw path, keeps the tag values bounded.
 */
final class EstimateMetrics implements HandlerInterceptor {

    static final String METER = "llmcalc.estimates";

    static final String API_PREFIX = "/api/v1/";

    private final MeterRegistry registry;

    EstimateMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void afterCompletion(HttpServletRequest request, HttpServletResponse response, Object handler,
            Exception ex) {
        if (!(handler instanceof HandlerMethod) || !"POST".equals(request.getMethod())) {
            return;
        }
        Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        if (!(pattern instanceof String path) || !path.startsWith(API_PREFIX)) {
            return;
        }
        Counter.builder(METER)
                .description("Estimates answered, by calculator and outcome")
                .tag("calculator", path.substring(API_PREFIX.length()))
                .tag("outcome", outcome(ex != null ? 500 : response.getStatus()))
                .register(this.registry)
                .increment();
    }

    static String outcome(int status) {
        if (status >= 500) {
            return "server_error";
        }
        return status >= 400 ? "client_error" : "ok";
    }
}
