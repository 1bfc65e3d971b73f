# syntax=docker/dockerfile:1
# Build: docker build -t llm-training-calculator .
# Run:   docker run --rm -p 8080:8080 llm-training-calculator
# Lint:  bin/lint-dockerfile.sh

# --- build: the Maven wrapper, then the fat jar split into its layers ---------------------------------------
FROM eclipse-temurin:17-jdk AS build
WORKDIR /workspace
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
RUN ./mvnw -B -q dependency:go-offline
COPY src/ src/
RUN ./mvnw -B -q package -DskipTests \
 && java -Djarmode=tools -jar target/llm-training-calculator-*.jar extract --layers --launcher --destination target/extracted

# --- run: JRE only, non-root, layers from least to most often changed -----------------------------------------
FROM eclipse-temurin:17-jre
# a numeric user, so Kubernetes can check runAsNonRoot
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --no-create-home --home-dir /app --shell /usr/sbin/nologin app
WORKDIR /app
COPY --from=build --chown=10001:10001 /workspace/target/extracted/dependencies/ ./
COPY --from=build --chown=10001:10001 /workspace/target/extracted/spring-boot-loader/ ./
COPY --from=build --chown=10001:10001 /workspace/target/extracted/snapshot-dependencies/ ./
COPY --from=build --chown=10001:10001 /workspace/target/extracted/application/ ./
USER 10001:10001
EXPOSE 8080
# Heap sized from the container's memory limit, leaving room for metaspace, threads and buffers;
# an OutOfMemoryError ends the JVM so the orchestrator restarts it instead of leaving it half alive.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=70 -XX:+ExitOnOutOfMemoryError"
# The probe is a JDK-only class of the application: it needs neither curl nor wget in the image.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["java", "-Xmx16m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", "/app/BOOT-INF/classes", "dev.llmcalc.ops.HealthProbe"]
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]
