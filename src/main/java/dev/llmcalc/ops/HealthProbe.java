package dev.llmcalc.ops;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;

/**
 * The container's health check, for images without curl or wget: exits 0 when the readiness probe answers
 * 200, 1 otherwise. Uses only the JDK, so it runs from the application classes without Spring:
 * {@code java -cp /app/BOOT-INF/classes dev.llmcalc.ops.HealthProbe [url]}. Without an argument it asks
 * {@code http://127.0.0.1:$SERVER_PORT/actuator/health/readiness} (port 8080 unless SERVER_PORT is set).
 */
public final class HealthProbe {

    static final String READINESS_PATH = "/actuator/health/readiness";

    private static final int TIMEOUT_MILLIS = 2_000;

    private HealthProbe() {
    }

    public static void main(String[] args) {
        URI uri = URI.create(args.length > 0 ? args[0] : defaultUrl(System.getenv("SERVER_PORT")));
        boolean healthy = isHealthy(uri);
        System.out.println((healthy ? "healthy: " : "unhealthy: ") + uri);
        System.exit(healthy ? 0 : 1);
    }

    static String defaultUrl(String port) {
        String p = port == null || !port.matches("[0-9]{1,5}") ? "8080" : port;
        return "http://127.0.0.1:" + p + READINESS_PATH;
    }

    static boolean isHealthy(URI uri) {
        try {
            HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
            connection.setConnectTimeout(TIMEOUT_MILLIS);
            connection.setReadTimeout(TIMEOUT_MILLIS);
            connection.setInstanceFollowRedirects(false);
            try {
                return connection.getResponseCode() == 200;
            }
            finally {
                connection.disconnect();
            }
        }
        catch (IOException | IllegalArgumentException ex) {
            return false;
        }
    }
}
