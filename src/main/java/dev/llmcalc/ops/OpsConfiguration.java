package dev.llmcalc.ops;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;
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
