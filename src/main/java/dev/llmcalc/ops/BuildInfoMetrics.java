package dev.llmcalc.ops;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.boot.info.BuildProperties;

/**
 * {@code llmcalc.build.info} = 1, tagged with the artifact, version and build time of the running jar, and the Java
 * version: lets a dashboard show which version each replica runs.
 */
final class BuildInfoMetrics implements MeterBinder {

    static final String METER = "llmcalc.build.info";

    private final BuildProperties build;

    BuildInfoMetrics(BuildProperties build) {
        this.build = build;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder(METER, () -> 1)
                .description("Build information of the running service (always 1)")
                .tag("artifact", String.valueOf(this.build.getArtifact()))
                .tag("version", String.valueOf(this.build.getVersion()))
                .tag("built", String.valueOf(this.build.getTime()))
                .tag("java", System.getProperty("java.version", "unknown"))
                .register(registry);
    }
}
