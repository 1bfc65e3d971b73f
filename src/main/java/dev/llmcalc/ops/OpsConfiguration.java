package dev.llmcalc.ops;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.web.servlet.config.annotation.CorsRegistry;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * What running in production takes and the calculations do not: request ids and request logs, metrics,
 * input limits, response headers and CORS. Nothing here knows an endpoint by name.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({ LimitsProperties.class, CorsProperties.class })
class OpsConfiguration {

    @Bean
    RequestLogFilter requestLogFilter() {
        return new RequestLogFilter();
    }

    @Bean
    SecurityHeadersFilter securityHeadersFilter() {
        return new SecurityHeadersFilter();
    }

    @Bean
    RequestBodyLimitFilter requestBodyLimitFilter(LimitsProperties limits, JsonMapper jsonMapper) {
        return new RequestBodyLimitFilter(limits, jsonMapper);
    }

    /**
     * Boot's JSON mapper builder, on a JSON factory with the configured stream read constraints. Boot 4.0 builds
     * its own on Jackson's default factory, and a Jackson 3 builder cannot change its factory afterwards
     * (spring-boot#48594), so this replaces that bean and applies every {@link JsonMapperBuilderCustomizer}
     * just as Boot does: the {@code spring.jackson.*} properties keep working.
     */
    @Bean
    @Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
    JsonMapper.Builder jsonMapperBuilder(LimitsProperties limits, ObjectProvider<JsonMapperBuilderCustomizer> customizers) {
        JsonFactory factory = JsonFactory.builder().streamReadConstraints(streamReadConstraints(limits)).build();
        JsonMapper.Builder builder = JsonMapper.builder(factory);
        customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
        return builder;
    }

    static StreamReadConstraints streamReadConstraints(LimitsProperties limits) {
        LimitsProperties.Json json = limits.json();
        return StreamReadConstraints.builder()
                .maxNestingDepth(json.maxNestingDepth())
                .maxStringLength(json.maxStringLength())
                .maxNumberLength(json.maxNumberLength())
                .maxNameLength(json.maxNameLength())
                .maxTokenCount(json.maxTokenCount())
                .maxDocumentLength(limits.maxRequestBody().toBytes())
                .build();
    }

    /**
     * Tomcat's error report as problem+json ({@link ProblemErrorReportValve}), in place of the HTML one Boot adds
     * (ordered after Boot's customizer, so its valve is there to be replaced). The host is told the valve's class,
     * or it would add Tomcat's default one back when it starts.
     */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReportValve(ServerProperties server) {
        String limit = server.getMaxHttpRequestHeaderSize().toKilobytes() + " KB";
        return new OrderedCustomizer<>(Ordered.LOWEST_PRECEDENCE, (factory) -> factory.addContextCustomizers((context) -> {
            StandardHost host = (StandardHost) context.getParent();
            for (Valve valve : host.getPipeline().getValves()) {
                if (valve instanceof ErrorReportValve) {
                    host.getPipeline().removeValve(valve);
                }
            }
            host.getPipeline().addValve(new ProblemErrorReportValve(limit));
            host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
        }));
    }

    /** A customizer with an order (WebServerFactoryCustomizer is a functional interface without one). */
    private record OrderedCustomizer<T extends WebServerFactory>(int order, WebServerFactoryCustomizer<T> customizer)
            implements WebServerFactoryCustomizer<T>, Ordered {

        @Override
        public void customize(T factory) {
            this.customizer.customize(factory);
        }

        @Override
        public int getOrder() {
            return this.order;
        }
    }

    @Bean
    PlannerMetrics plannerMetrics(MeterRegistry registry) {
        return new PlannerMetrics(registry);
    }

    @Bean
    MeterBinder buildInfoMetrics(ObjectProvider<BuildProperties> build) {
        // build-info.properties exists in every Maven build; an IDE run without it has no build metric
        return (registry) -> build.ifAvailable((properties) -> new BuildInfoMetrics(properties).bindTo(registry));
    }

    @Bean
    WebMvcConfigurer opsWebMvcConfigurer(MeterRegistry registry, CorsProperties cors) {
        return new WebMvcConfigurer() {
            @Override
            public void addInterceptors(InterceptorRegistry interceptors) {
                interceptors.addInterceptor(new EstimateMetrics(registry)).addPathPatterns(EstimateMetrics.API_PREFIX + "**");
            }

            @Override
            public void addCorsMappings(CorsRegistry mappings) {
                if (cors.enabled()) {
                    mappings.addMapping("/api/**")
                            .allowedOriginPatterns(cors.allowedOrigins().toArray(String[]::new))
                            .allowedMethods("GET", "POST")
                            .allowedHeaders(HttpHeaders.CONTENT_TYPE, HttpHeaders.ACCEPT, RequestLogFilter.HEADER)
                            .exposedHeaders(RequestLogFilter.HEADER)
                            .allowCredentials(false)
                            .maxAge(cors.maxAge().toSeconds());
                }
            }
        };
    }
}
