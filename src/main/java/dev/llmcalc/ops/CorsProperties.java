package dev.llmcalc.ops;

import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Cross-origin access to {@code /api/**} ({@code llmcalc.cors.*}). Off unless origins are listed: a browser
 * page on another origin can then call the API; no cookies or credentials are ever allowed.
 *
 * @param allowedOrigins exact origins ({@code https://ui.example.com}), patterns ({@code https://*.example.com})
 *        or {@code *} for any origin
 * @param maxAge how long a browser may cache a preflight answer
 */
@ConfigurationProperties("llmcalc.cors")
public record CorsProperties(@DefaultValue List<String> allowedOrigins, @DefaultValue("30m") Duration maxAge) {

    public CorsProperties {
        allowedOrigins = allowedOrigins.stream().map(String::strip).filter((origin) -> !origin.isEmpty()).toList();
    }

    boolean enabled() {
        return !this.allowedOrigins.isEmpty();
    }
}
