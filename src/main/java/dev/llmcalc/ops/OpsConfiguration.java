package dev.llmcalc.ops;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * What running in production takes and the calculations do not: request ids and request logs, and metrics.
 * Nothing here knows an endpoint by name.
 */
@Configuration(proxyBeanMethods = false)
class OpsConfiguration {

    @Bean
    RequestLogFilter requestLogFilter() {
        return new RequestLogFilter();
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
    WebMvcConfigurer opsWebMvcConfigurer(MeterRegistry registry) {
        return new WebMvcConfigurer() {
            @Override
            public void addInterceptors(InterceptorRegistry interceptors) {
                interceptors.addInterceptor(new EstimateMetrics(registry)).addPathPatterns(EstimateMetrics.API_PREFIX + "**");
            }
        };
    }
}
