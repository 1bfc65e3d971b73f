package dev.llmcalc.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.core.env.Environment;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The files that run the service elsewhere (Dockerfile, docker/compose.yaml, Prometheus, Grafana, Kubernetes)
 * parse, agree with each other, and name ports, probe paths and metrics that this application really serves.
 */
@SpringBootTest
@AutoConfigureMockMvc
class DeploymentFilesTests {

    private static final Path DOCKER = Path.of("docker");

    private static final Path K8S = DOCKER.resolve("k8s");

    private static final String APP = "llm-training-calculator";

    @Autowired
    private MockMvcTester mvc;

    @Autowired
    private Environment environment;

    @Autowired
    private PlannerMetrics plannerMetrics;

    private int serverPort() {
        return this.environment.getRequiredProperty("server.port", Integer.class);
    }

    private void assertServed(String path) {
        assertThat(this.mvc.get().uri(path).exchange()).as("GET " + path).hasStatusOk();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        assertThat(value).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object value) {
        assertThat(value).isInstanceOf(List.class);
        return (List<Object>) value;
    }

    /** Follows keys (maps) and indexes (lists). */
    private static Object at(Object node, Object... path) {
        Object current = node;
        for (Object step : path) {
            current = step instanceof Integer index ? list(current).get(index) : map(current).get(step);
            assertThat(current).as("missing %s", List.of(path)).isNotNull();
        }
        return current;
    }

    private static Map<String, Object> yaml(Path file) throws IOException {
        List<Map<String, Object>> documents = yamlDocuments(file);
        assertThat(documents).as(file.toString()).hasSize(1);
        return documents.get(0);
    }

    private static List<Map<String, Object>> yamlDocuments(Path file) throws IOException {
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        List<Map<String, Object>> documents = new ArrayList<>();
        for (Object document : yaml.loadAll(Files.readString(file, StandardCharsets.UTF_8))) {
            documents.add(map(document));
        }
        return documents;
    }

    private static Map<String, Object> k8s(String file, String kind) throws IOException {
        Map<String, Object> resource = yaml(K8S.resolve(file));
        assertThat(resource.get("kind")).as(file).isEqualTo(kind);
        assertThat(at(resource, "metadata", "name")).as(file).isEqualTo(APP);
        return resource;
    }

    @Test
    void composeShouldRunTheServiceWithPrometheusAndGrafana() throws IOException {
        Map<String, Object> services = map(at(yaml(DOCKER.resolve("compose.yaml")), "services"));
        assertThat(services).containsKeys("calculator", "prometheus", "grafana");
        Map<String, Object> calculator = map(services.get("calculator"));
        assertThat(calculator.get("build")).isEqualTo("..");
        assertThat(DOCKER.resolve("..").resolve("Dockerfile")).exists();
        assertThat(list(calculator.get("ports"))).contains(serverPort() + ":" + serverPort());
        List<Object> healthcheck = list(at(calculator, "healthcheck", "test"));
        assertThat(healthcheck).contains(HealthProbe.class.getName(), "/app/BOOT-INF/classes",
                "http://127.0.0.1:" + serverPort() + HealthProbe.READINESS_PATH);
        assertServed(HealthProbe.READINESS_PATH);
        for (String service : List.of("prometheus", "grafana")) {
            for (Object volume : list(at(services, service, "volumes"))) {
                String source = String.valueOf(volume).split(":")[0];
                assertThat(DOCKER.resolve(source)).as("%s mounts %s", service, source).exists();
            }
        }
        assertThat(list(at(services, "prometheus", "ports"))).contains("9090:9090");
    }

    @Test
    void prometheusShouldScrapeTheActuatorEndpointOfTheComposeService() throws IOException {
        Map<String, Object> job = map(at(yaml(DOCKER.resolve("prometheus/prometheus.yml")), "scrape_configs", 0));
        String path = String.valueOf(job.get("metrics_path"));
        assertThat(path).isEqualTo("/actuator/prometheus");
        assertServed(path);
        assertThat(list(at(job, "static_configs", 0, "targets"))).containsExactly("calculator:" + serverPort());
    }

    @Test
    void grafanaShouldBeProvisionedWithThePrometheusDatasourceAndTheDashboard() throws IOException {
        Map<String, Object> datasource = map(at(yaml(DOCKER.resolve("grafana/provisioning/datasources/prometheus.yaml")),
                "datasources", 0));
        assertThat(datasource).containsEntry("type", "prometheus").containsEntry("url", "http://prometheus:9090");
        Map<String, Object> compose = yaml(DOCKER.resolve("compose.yaml"));
        String dashboardsMount = list(at(compose, "services", "grafana", "volumes")).stream().map(String::valueOf)
                .filter((volume) -> volume.startsWith("./grafana/dashboards:")).findFirst().orElseThrow().split(":")[1];
        assertThat(at(yaml(DOCKER.resolve("grafana/provisioning/dashboards/dashboards.yaml")), "providers", 0, "options", "path"))
                .isEqualTo(dashboardsMount);

        JsonNode dashboard = JsonMapper.shared().readTree(DOCKER.resolve("grafana/dashboards/llm-training-calculator.json").toFile());
        List<String> titles = new ArrayList<>();
        for (JsonNode panel : dashboard.get("panels")) {
            titles.add(panel.get("title").asString());
            for (JsonNode target : panel.get("targets")) {
                assertThat(target.get("datasource").get("uid").asString()).isEqualTo(datasource.get("uid"));
            }
        }
        assertThat(titles).anyMatch((t) -> t.contains("requests")).anyMatch((t) -> t.contains("latency"))
                .anyMatch((t) -> t.contains("Estimates by calculator")).anyMatch((t) -> t.contains("Planner search time"));
    }

    @Test
    void everyMetricOnTheDashboardShouldBeServed() throws IOException {
        this.mvc.post().uri("/api/v1/parameters").contentType(MediaType.APPLICATION_JSON)
                .content("{\"model\": {\"preset\": \"gpt2\"}}").exchange();
        this.plannerMetrics.record(Duration.ofMillis(3), 8);
        MvcTestResult scrape = this.mvc.get().uri("/actuator/prometheus").exchange();
        String served = new String(scrape.getResponse().getContentAsByteArray(), StandardCharsets.UTF_8);
        Set<String> names = new LinkedHashSet<>();
        Matcher metric = Pattern.compile("\\b((?:llmcalc|http_server|jvm)_[a-z_]+)\\b")
                .matcher(Files.readString(DOCKER.resolve("grafana/dashboards/llm-training-calculator.json")));
        while (metric.find()) {
            names.add(metric.group(1));
        }
        assertThat(names).contains("llmcalc_estimates_total", "llmcalc_planner_search_seconds_bucket",
                "http_server_requests_seconds_bucket");
        for (String name : names) {
            assertThat(served).as("dashboard metric %s", name).contains("\n" + name + "{application=\"" + APP + "\"");
        }
    }

    @Test
    void deploymentShouldRunSeveralReplicasWithProbesOnTheApplicationsPaths() throws IOException {
        Map<String, Object> deployment = k8s("deployment.yaml", "Deployment");
        assertThat((Integer) at(deployment, "spec", "replicas")).isGreaterThanOrEqualTo(2);
        Map<String, Object> pod = map(at(deployment, "spec", "template"));
        assertThat(at(deployment, "spec", "selector", "matchLabels")).isEqualTo(at(pod, "metadata", "labels"));
        Map<String, Object> container = map(at(pod, "spec", "containers", 0));
        assertThat(at(container, "ports", 0, "containerPort")).isEqualTo(serverPort());
        assertThat(at(container, "ports", 0, "name")).isEqualTo("http");
        assertThat(at(container, "readinessProbe", "httpGet", "path")).isEqualTo("/actuator/health/readiness");
        assertThat(at(container, "livenessProbe", "httpGet", "path")).isEqualTo("/actuator/health/liveness");
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            assertServed(String.valueOf(at(container, probe, "httpGet", "path")));
            assertThat(at(container, probe, "httpGet", "port")).isEqualTo("http");
        }
        for (String kind : List.of("requests", "limits")) {
            assertThat(map(at(container, "resources", kind))).containsKeys("cpu", "memory");
        }
        assertThat(at(pod, "spec", "securityContext", "runAsNonRoot")).isEqualTo(true);
        assertThat(at(pod, "spec", "securityContext", "runAsUser")).isEqualTo(dockerfileUser());
        Map<String, Object> annotations = map(at(pod, "metadata", "annotations"));
        assertThat(annotations).containsEntry("prometheus.io/path", "/actuator/prometheus")
                .containsEntry("prometheus.io/port", String.valueOf(serverPort()));
        // shutdown fits in the grace period: preStop pause, then Spring's graceful shutdown phase
        long shutdown = this.environment.getRequiredProperty("spring.lifecycle.timeout-per-shutdown-phase", Duration.class)
                .toSeconds();
        List<Object> preStop = list(at(container, "lifecycle", "preStop", "exec", "command"));
        assertThat((Integer) at(pod, "spec", "terminationGracePeriodSeconds"))
                .isGreaterThan((int) (shutdown + Long.parseLong(String.valueOf(preStop.get(1)))));
        assertThat(at(container, "image")).isEqualTo(at(yaml(DOCKER.resolve("compose.yaml")), "services", "calculator", "image"));
    }

    @Test
    void serviceAutoscalerAndDisruptionBudgetShouldTargetTheDeployment() throws IOException {
        Map<String, Object> deployment = k8s("deployment.yaml", "Deployment");
        Map<String, Object> podLabels = map(at(deployment, "spec", "template", "metadata", "labels"));
        Map<String, Object> service = k8s("service.yaml", "Service");
        assertThat(podLabels).containsAllEntriesOf(map(at(service, "spec", "selector")));
        assertThat(at(service, "spec", "ports", 0, "targetPort")).isEqualTo("http");
        assertThat(at(service, "spec", "ports", 0, "port")).isEqualTo(serverPort());

        Map<String, Object> hpa = k8s("hpa.yaml", "HorizontalPodAutoscaler");
        assertThat(hpa.get("apiVersion")).isEqualTo("autoscaling/v2");
        assertThat(at(hpa, "spec", "scaleTargetRef", "kind")).isEqualTo("Deployment");
        assertThat(at(hpa, "spec", "scaleTargetRef", "name")).isEqualTo(APP);
        int min = (Integer) at(hpa, "spec", "minReplicas");
        assertThat(min).isGreaterThanOrEqualTo(2);
        assertThat((Integer) at(hpa, "spec", "maxReplicas")).isGreaterThan(min);

        Map<String, Object> pdb = k8s("pdb.yaml", "PodDisruptionBudget");
        assertThat(pdb.get("apiVersion")).isEqualTo("policy/v1");
        assertThat(podLabels).containsAllEntriesOf(map(at(pdb, "spec", "selector", "matchLabels")));

        List<String> manifests;
        try (Stream<Path> files = Files.list(K8S)) {
            manifests = files.map((file) -> file.getFileName().toString())
                    .filter((name) -> name.endsWith(".yaml") && !name.equals("kustomization.yaml")).sorted().toList();
        }
        assertThat(list(at(yaml(K8S.resolve("kustomization.yaml")), "resources"))).containsExactlyInAnyOrderElementsOf(manifests);
    }

    @Test
    void dockerfileShouldBuildWithTheWrapperAndRunTheLayeredJarAsNonRoot() throws IOException {
        String dockerfile = Files.readString(Path.of("Dockerfile"), StandardCharsets.UTF_8);
        List<String> from = Pattern.compile("(?m)^FROM (\\S+)").matcher(dockerfile).results().map((m) -> m.group(1)).toList();
        assertThat(from).containsExactly("eclipse-temurin:17-jdk", "eclipse-temurin:17-jre");
        assertThat(dockerfile).contains("./mvnw -B -q package", "-Djarmode=tools", "extract --layers --launcher",
                "EXPOSE " + serverPort(), "ENTRYPOINT [\"java\", \"org.springframework.boot.loader.launch.JarLauncher\"]");
        for (String layer : List.of("dependencies", "spring-boot-loader", "snapshot-dependencies", "application")) {
            assertThat(dockerfile).contains("/workspace/target/extracted/" + layer + "/ ./");
        }
        assertThat(dockerfileUser()).isPositive();
        Matcher toolOptions = Pattern.compile("(?m)^ENV JAVA_TOOL_OPTIONS=\"([^\"]*)\"").matcher(dockerfile);
        assertThat(toolOptions.find()).isTrue();
        assertThat(toolOptions.group(1)).contains("-XX:MaxRAMPercentage=", "-XX:+ExitOnOutOfMemoryError");
        Matcher healthcheck = Pattern.compile("(?ms)^HEALTHCHECK (.*?)\\]$").matcher(dockerfile);
        assertThat(healthcheck.find()).isTrue();
        assertThat(healthcheck.group(1)).contains("\"-cp\", \"/app/BOOT-INF/classes\", \"" + HealthProbe.class.getName() + "\"");
    }

    private static int dockerfileUser() throws IOException {
        Matcher user = Pattern.compile("(?m)^USER (\\d+):(\\d+)$").matcher(Files.readString(Path.of("Dockerfile")));
        assertThat(user.find()).as("the Dockerfile's USER is numeric").isTrue();
        return Integer.parseInt(user.group(1));
    }
}
