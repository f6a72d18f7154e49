package io.jsworkflows.localstack.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Metrics, scraping and the dashboard, offline (docs/observability.md): the dashboard parses and queries only
 * documented metrics, every Deployment is scraped on its own HTTP port, every ServiceMonitor finds its Service and port,
 * and tracing is off unless an endpoint is set.
 */
class ObservabilityManifestsTest {

    private static final Pattern DOC_ROW = Pattern.compile("^\\|\\s*`([a-zA-Z_:][a-zA-Z0-9_:]*)`\\s*\\|");
    private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Set<String> PROMQL_WORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right", "and",
            "or", "unless", "offset", "bool", "inf", "nan");
    private static final List<String> SUFFIXES = List.of("_bucket", "_count", "_sum", "_max");

    private final Path k8s = Repo.root().resolve("deploy/kubernetes");
    private final Path observability = k8s.resolve("base/observability");
    private final Path dashboardFile = observability.resolve("jsworkflows-dashboard.json");

    @Test
    void theDashboardParsesAndHasThePanelsAnOperatorExpects() throws IOException {
        JsonNode d = Repo.JSON.readTree(Files.readString(dashboardFile));
        assertThat(d.path("uid").asText()).isEqualTo("jsworkflows-overview");
        assertThat(d.path("templating").path("list").findValuesAsText("type")).contains("datasource");
        List<String> titles = new ArrayList<>();
        Set<Integer> ids = new HashSet<>();
        for (JsonNode p : d.path("panels")) {
            assertThat(ids.add(p.path("id").asInt())).as("panel id " + p.path("id")).isTrue();
            if (p.path("type").asText().equals("row")) {
                continue;
            }
            titles.add(p.path("title").asText());
            assertThat(p.path("datasource").path("uid").asText()).as(p.path("title").asText()).isEqualTo("${datasource}");
            assertThat(p.path("targets")).as(p.path("title").asText()).isNotEmpty();
            p.path("targets").forEach(t -> assertThat(t.path("expr").asText()).as(p.path("title").asText()).isNotBlank());
        }
        assertThat(titles).anyMatch(t -> t.startsWith("Runs/s by outcome"))
                .anyMatch(t -> t.startsWith("Run latency p50 / p99"))
                .anyMatch(t -> t.startsWith("Trigger → completion"))
                .anyMatch(t -> t.startsWith("Token refresh outcomes"))
                .anyMatch(t -> t.startsWith("Token seconds to expiry"))
                .anyMatch(t -> t.contains("rate-budget waits"))
                .anyMatch(t -> t.startsWith("Webhook deliveries by HTTP status"))
                .anyMatch(t -> t.startsWith("Consumer lag"))
                .anyMatch(t -> t.startsWith("JVM heap"))
                .anyMatch(t -> t.startsWith("CPU per service"));
    }

    @Test
    void everyMetricTheDashboardQueriesIsInTheDocumentedList() throws IOException {
        Set<String> documented = documentedMetrics();
        assertThat(documented).contains("jsw_runs_total", "jsw_refresher_tokens_expiry_min_seconds", "jvm_memory_used_bytes");
        Set<String> queried = new TreeSet<>();
        for (String expr : expressions()) {
            queried.addAll(metricNames(expr));
        }
        assertThat(queried).hasSizeGreaterThanOrEqualTo(20);
        assertThat(undocumented(queried, documented)).isEmpty();
    }

    @Test
    void theMetricChecksCatchMistakes() throws IOException {
        assertThat(metricNames("histogram_quantile(0.99, sum by (le, outcome) (rate(jsw_gateway_publish_seconds_bucket"
                + "{uri=\"/webhooks/shopify/{sourceId}\", status=~\"5..\"}[5m])))")).containsExactly("jsw_gateway_publish_seconds_bucket");
        assertThat(metricNames("sum(rate(a_sum[5m])) / sum without (x) (rate(b_count[5m])) > bool 0")).containsExactly("a_sum", "b_count");
        assertThat(undocumented(Set.of("jsw_runs_total", "jsw_run_duration_seconds_bucket", "jsw_not_documented_total"),
                documentedMetrics())).containsExactly("jsw_not_documented_total");
    }

    @Test
    void everyDeploymentIsScrapedOnItsHttpPort() throws IOException {
        Map<String, JsonNode> deployments = KubernetesManifestsTest.byKind(base(), "Deployment");
        assertThat(deployments).hasSize(4);
        deployments.forEach((name, d) -> {
            JsonNode template = d.path("spec").path("template");
            JsonNode annotations = template.path("metadata").path("annotations");
            JsonNode container = template.path("spec").path("containers").get(0);
            String httpPort = null;
            for (JsonNode p : container.path("ports")) {
                if (p.path("name").asText().equals("http")) {
                    httpPort = p.path("containerPort").asText();
                }
            }
            assertThat(httpPort).as(name + " has a port named http").isNotNull();
            assertThat(annotations.path("prometheus.io/scrape").asText()).as(name).isEqualTo("true");
            assertThat(annotations.path("prometheus.io/path").asText()).as(name).isEqualTo("/q/metrics");
            assertThat(annotations.path("prometheus.io/port").asText()).as(name).isEqualTo(httpPort);
        });
    }

    @Test
    void everyServiceHasAServiceMonitorThatFindsItsServiceAndPort() throws IOException {
        List<JsonNode> docs = base();
        Map<String, JsonNode> services = KubernetesManifestsTest.byKind(docs, "Service");
        Map<String, JsonNode> monitors = KubernetesManifestsTest.byKind(docs, "ServiceMonitor");
        Map<String, JsonNode> deployments = KubernetesManifestsTest.byKind(docs, "Deployment");
        assertThat(monitors.keySet()).containsExactlyInAnyOrderElementsOf(deployments.keySet());
        monitors.forEach((name, m) -> {
            JsonNode spec = m.path("spec");
            List<String> matched = services.entrySet().stream()
                    .filter(s -> subset(spec.path("selector").path("matchLabels"), s.getValue().path("metadata").path("labels")))
                    .map(Map.Entry::getKey).toList();
            assertThat(matched).as("Services ServiceMonitor " + name + " selects").containsExactly(name);
            JsonNode service = services.get(name);
            Set<String> portNames = new HashSet<>();
            service.path("spec").path("ports").forEach(p -> portNames.add(p.path("name").asText()));
            spec.path("endpoints").forEach(e -> {
                assertThat(portNames).as(name + " endpoint port").contains(e.path("port").asText());
                assertThat(e.path("path").asText()).isEqualTo("/q/metrics");
            });
            assertThat(service.path("metadata").path("labels").path(spec.path("jobLabel").asText()).asText())
                    .as(name + ": the job label comes from the Service's labels").isEqualTo(name);
            // the Service's port is the one the pods serve /q/metrics on
            JsonNode podLabels = deployments.get(name).path("spec").path("template").path("metadata").path("labels");
            assertThat(subset(service.path("spec").path("selector"), podLabels)).as(name).isTrue();
        });
    }

    @Test
    void theDashboardShipsAsAConfigMapGrafanaLoads() throws Exception {
        JsonNode generator = Repo.documents(observability.resolve("kustomization.yaml")).getFirst().path("configMapGenerator").get(0);
        assertThat(generator.path("files").get(0).asText()).isEqualTo("jsworkflows-dashboard.json");
        assertThat(generator.path("options").path("labels").path("grafana_dashboard").asText()).isEqualTo("1");
        Assumptions.assumeTrue(onPath("kubectl"), "kubectl is not installed: the generator was checked above");
        Process p = new ProcessBuilder("kubectl", "kustomize", k8s.resolve("overlays/dev").toString()).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        List<JsonNode> rendered = Repo.documents(out);
        JsonNode cm = KubernetesManifestsTest.byKind(rendered, "ConfigMap").get("jsworkflows-dashboard");
        assertThat(cm).as("the dashboard ConfigMap, under its own name (no hash suffix)").isNotNull();
        assertThat(cm.path("metadata").path("labels").path("grafana_dashboard").asText()).isEqualTo("1");
        assertThat(Repo.JSON.readTree(cm.path("data").path("jsworkflows-dashboard.json").asText()))
                .isEqualTo(Repo.JSON.readTree(Files.readString(dashboardFile)));
        assertThat(KubernetesManifestsTest.byKind(rendered, "ServiceMonitor").values())
                .allSatisfy(m -> assertThat(m.path("metadata").path("namespace").asText()).isEqualTo("jsw-dev"));
    }

    @Test
    void tracingIsOffUntilAnEndpointIsSet() throws IOException {
        JsonNode config = KubernetesManifestsTest.byKind(base(), "ConfigMap").get("jsw-config");
        assertThat(config.path("data").has("QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT")).isTrue();
        assertThat(config.path("data").path("QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT").asText()).isEmpty();
        assertThat(Files.readString(Repo.root().resolve("docs/observability.md"))).contains("QUARKUS_OTEL_EXPORTER_OTLP_ENDPOINT");
    }

    // ------------------------------------------------------------------ helpers

    private List<JsonNode> base() throws IOException {
        return Repo.kustomizeResources(k8s.resolve("base"));
    }

    private List<String> expressions() throws IOException {
        JsonNode d = Repo.JSON.readTree(Files.readString(dashboardFile));
        List<String> out = new ArrayList<>();
        d.path("panels").forEach(p -> p.path("targets").forEach(t -> out.add(t.path("expr").asText())));
        return out;
    }

    /** The first column of docs/observability.md's metric list. */
    static Set<String> documentedMetrics() throws IOException {
        String doc = Files.readString(Repo.root().resolve("docs/observability.md"));
        String list = doc.substring(doc.indexOf("### Metric list"));
        Set<String> names = new LinkedHashSet<>();
        for (String line : list.lines().toList()) {
            Matcher m = DOC_ROW.matcher(line);
            if (m.find()) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    /** Queried names that are not documented, as they are or as a histogram's/summary's series of a documented name. */
    static List<String> undocumented(Set<String> queried, Set<String> documented) {
        return queried.stream().filter(q -> !documented.contains(q)
                && SUFFIXES.stream().noneMatch(s -> q.endsWith(s) && documented.contains(q.substring(0, q.length() - s.length()))))
                .sorted().toList();
    }

    /** The metric names of a PromQL expression: identifiers that are not functions, keywords, labels or durations. */
    static Set<String> metricNames(String expr) {
        String s = expr.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ");
        Set<String> names = new LinkedHashSet<>();
        Matcher m = IDENTIFIER.matcher(s);
        while (m.find()) {
            String name = m.group();
            int next = m.end();
            while (next < s.length() && Character.isWhitespace(s.charAt(next))) {
                next++;
            }
            boolean function = next < s.length() && s.charAt(next) == '(';
            boolean inNumber = m.start() > 0 && (Character.isDigit(s.charAt(m.start() - 1)) || s.charAt(m.start() - 1) == '.');
            if (!function && !inNumber && !PROMQL_WORDS.contains(name.toLowerCase())) {
                names.add(name);
            }
        }
        return names;
    }

    private static boolean subset(JsonNode selector, JsonNode labels) {
        if (selector == null || selector.isMissingNode() || selector.isEmpty()) {
            return false;
        }
        var it = selector.fields();
        while (it.hasNext()) {
            var e = it.next();
            if (!e.getValue().asText().equals(labels.path(e.getKey()).asText(null))) {
                return false;
            }
        }
        return true;
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
