package dev.llmcalc.api;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

import dev.llmcalc.core.model.EditDistance;

/**
 * The endpoints this server has under {@code /api/}, as "METHOD /path", read from Spring MVC's own mappings (so the
 * list cannot drift from the controllers), and the ones closest to a path that does not exist.
 */
final class Endpoints {

    static final String API_PREFIX = "/api/";

    private final ObjectProvider<RequestMappingHandlerMapping> mappings;

    private volatile List<String> all;

    // looked up on first use: the advice that answers unknown paths is built before the handler mapping
    Endpoints(ObjectProvider<RequestMappingHandlerMapping> mappings) {
        this.mappings = mappings;
    }

    /** Every API endpoint, sorted by path, then method. */
    List<String> all() {
        List<String> endpoints = this.all;
        if (endpoints == null) {
            TreeSet<String[]> sorted = new TreeSet<>(Comparator.<String[], String>comparing((e) -> e[1])
                    .thenComparing((e) -> e[0]));
            RequestMappingHandlerMapping mapping = this.mappings.getIfAvailable();
            if (mapping != null) {
                for (Map.Entry<RequestMappingInfo, HandlerMethod> entry : mapping.getHandlerMethods().entrySet()) {
                    RequestMappingInfo info = entry.getKey();
                    for (String path : info.getPatternValues()) {
                        if (!path.startsWith(API_PREFIX)) {
                            continue;
                        }
                        info.getMethodsCondition().getMethods()
                                .forEach((method) -> sorted.add(new String[] { method.name(), path }));
                    }
                }
            }
            endpoints = sorted.stream().map((e) -> e[0] + " " + e[1]).toList();
            this.all = endpoints;
        }
        return endpoints;
    }

    /** Up to {@code limit} endpoints nearest to the request by edit distance of "METHOD /path", nearest first. */
    List<String> closest(String method, String path, int limit) {
        String wanted = method + " " + path;
        return all().stream()
                .sorted(Comparator.comparingInt((String endpoint) -> EditDistance.between(wanted, endpoint))
                        .thenComparing(Comparator.naturalOrder()))
                .limit(limit)
                .toList();
    }
}
