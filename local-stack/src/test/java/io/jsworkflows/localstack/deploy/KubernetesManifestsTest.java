package io.jsworkflows.localstack.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.jsworkflows.localstack.stack.StackRunner;
import io.jsworkflows.localstack.stack.StackSettings;

/** Every manifest under deploy/kubernetes, offline: schemas, and the wiring between the objects. */
class KubernetesManifestsTest {

    private final Path k8s = Repo.root().resolve("deploy/kubernetes");

    @Test
    void everyManifestFileMatchesItsSchema() throws IOException {
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (Path f : yamlFiles()) {
            if (f.getFileName().toString().equals("kustomization.yaml") || isPatch(f)) {
                continue;
            }
            for (JsonNode doc : Repo.documents(f)) {
                KubernetesSchema.validate(doc).forEach(p -> problems.add(k8s.relativize(f) + ": " + p));
                checked++;
            }
        }
        assertThat(problems).isEmpty();
        assertThat(checked).isGreaterThanOrEqualTo(20);
    }

    @Test
    void theSchemaCheckCatchesMistakes() throws IOException {
        JsonNode bad = Repo.documents("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: x}
                spec:
                  replicas: 2
                  selector: {matchLabels: {a: b}}
                  template:
                    metadata: {labels: {a: b}}
                    spec:
                      containers:
                        - name: x
                          image: x
                          readinessProbe: {httpGet: {path: /q/health/ready, port: http}, periodSecond: 5}
                """).getFirst();
        assertThat(KubernetesSchema.validate(bad)).singleElement().asString().contains("periodSecond");
        JsonNode wrongType = Repo.documents("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: x}
                spec: {replicas: [2]}
                """).getFirst();
        assertThat(KubernetesSchema.validate(wrongType)).singleElement().asString().contains("does not match");
        JsonNode topic = Repo.documents("""
                apiVersion: kafka.strimzi.io/v1beta2
                kind: KafkaTopic
                metadata: {name: t, labels: {strimzi.io/cluster: c}}
                spec: {partitions: 0, replicas: 1, retention: 5}
                """).getFirst();
        assertThat(KubernetesSchema.validate(topic)).hasSize(2);
    }

    @Test
    void deploymentsHaveProbesResourcesReplicasAndDisruptionBudgets() throws IOException {
        Map<String, JsonNode> deployments = byKind(base(), "Deployment");
        Map<String, JsonNode> pdbs = byKind(base(), "PodDisruptionBudget");
        Map<String, JsonNode> services = byKind(base(), "Service");
        assertThat(deployments).containsOnlyKeys("connections-service", "token-refresher", "workflow-executor");
        assertThat(deployments.get("token-refresher").path("spec").path("replicas").asInt()).isEqualTo(2);
        assertThat(deployments.get("workflow-executor").path("spec").path("replicas").asInt()).isEqualTo(2);
        for (var e : deployments.entrySet()) {
            String name = e.getKey();
            JsonNode spec = e.getValue().path("spec");
            JsonNode podLabels = spec.path("template").path("metadata").path("labels");
            JsonNode c = spec.path("template").path("spec").path("containers").get(0);
            assertThat(c.path("livenessProbe").path("httpGet").path("path").asText()).as(name).isEqualTo("/q/health/live");
            assertThat(c.path("readinessProbe").path("httpGet").path("path").asText()).as(name).isEqualTo("/q/health/ready");
            assertThat(c.path("startupProbe").path("httpGet").path("path").asText()).as(name).isEqualTo("/q/health/started");
            assertThat(c.path("resources").path("requests").path("memory").isMissingNode()).as(name).isFalse();
            assertThat(c.path("resources").path("limits").path("memory").isMissingNode()).as(name).isFalse();
            int port = StackRunner.SERVICES.stream().filter(s -> s.module().equals(name)).findFirst().orElseThrow().port();
            assertThat(c.path("ports").get(0).path("containerPort").asInt()).as(name).isEqualTo(port);
            assertThat(selects(pdbs.get(name).path("spec").path("selector").path("matchLabels"), podLabels)).as("PDB of " + name).isTrue();
            assertThat(selects(services.get(name).path("spec").path("selector"), podLabels)).as("Service of " + name).isTrue();
            assertThat(selects(spec.path("selector").path("matchLabels"), podLabels)).as("selector of " + name).isTrue();
        }
    }

    /** The services get the same variables as under ./jsw up (from the ConfigMap or a Secret), and every reference resolves. */
    @Test
    void environmentMatchesTheLocalStackAndEveryReferenceResolves() throws IOException {
        Map<String, JsonNode> deployments = byKind(base(), "Deployment");
        JsonNode config = byKind(base(), "ConfigMap").get("jsw-config");
        Map<String, Set<String>> secretKeys = new HashMap<>();
        for (JsonNode s : Repo.documents(k8s.resolve("secrets/secrets.template.yaml"))) {
            Set<String> keys = new HashSet<>();
            s.path("stringData").fieldNames().forEachRemaining(keys::add);
            secretKeys.put(s.path("metadata").path("name").asText(), keys);
        }
        assertThat(secretKeys).containsKeys("jsw-hubspot-oauth", "jsw-grant-key", "jsw-token-key", "jsw-database");
        StackRunner runner = new StackRunner(StackSettings.fromEnv(Map.of("JSW_ROOT", Repo.root().toString())), System.out);
        Map<String, String> keys = Map.of("JSW_CRYPTO_GRANT_KEYS", "g", "JSW_CRYPTO_TOKEN_KEYS", "t", "JSW_ADMIN_KEY", "a");
        for (var e : deployments.entrySet()) {
            JsonNode c = e.getValue().path("spec").path("template").path("spec").path("containers").get(0);
            Set<String> names = new HashSet<>();
            c.path("envFrom").forEach(f -> {
                assertThat(f.path("configMapRef").path("name").asText()).isEqualTo("jsw-config");
                config.path("data").fieldNames().forEachRemaining(names::add);
            });
            for (JsonNode env : c.path("env")) {
                names.add(env.path("name").asText());
                JsonNode ref = env.path("valueFrom").path("secretKeyRef");
                if (!ref.isMissingNode()) {
                    assertThat(secretKeys.get(ref.path("name").asText())).as(env.path("name").asText()).contains(ref.path("key").asText());
                }
            }
            Set<String> local = new HashSet<>(runner.serviceEnv(e.getKey(), keys).keySet());
            local.remove("QUARKUS_LOG_CONSOLE_COLOR");
            local.remove("JSW_EXECUTOR_EGRESS_ALLOW"); // only where the emulator is on a private address (dev overlay)
            assertThat(names).as(e.getKey()).containsAll(local);
        }
    }

    @Test
    void kustomizationsReferToFilesThatExist() throws IOException {
        for (Path f : yamlFiles()) {
            if (!f.getFileName().toString().equals("kustomization.yaml")) {
                continue;
            }
            JsonNode k = Repo.documents(f).getFirst();
            for (JsonNode r : k.path("resources")) {
                Path p = f.getParent().resolve(r.asText()).normalize();
                assertThat(Files.isRegularFile(p) || Files.isRegularFile(p.resolve("kustomization.yaml"))).as(f + " -> " + r).isTrue();
            }
            for (JsonNode p : k.path("patches")) {
                if (p.has("path")) {
                    assertThat(f.getParent().resolve(p.path("path").asText())).as(f + " patch").isRegularFile();
                }
            }
        }
    }

    /** Renders base and overlay with kubectl's built-in Kustomize (offline) and checks the result, if kubectl is there. */
    @Test
    void renderedBaseAndDevOverlayAreValid() throws Exception {
        Assumptions.assumeTrue(onPath("kubectl"), "kubectl is not installed: the files were checked one by one above");
        for (String dir : List.of("base", "overlays/dev")) {
            Process p = new ProcessBuilder("kubectl", "kustomize", k8s.resolve(dir).toString()).redirectErrorStream(false).start();
            String out = new String(p.getInputStream().readAllBytes());
            String err = new String(p.getErrorStream().readAllBytes());
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("kubectl kustomize " + dir + ": " + err).isZero();
            List<JsonNode> docs = Repo.documents(out);
            List<String> problems = new ArrayList<>();
            docs.forEach(d -> problems.addAll(KubernetesSchema.validate(d)));
            assertThat(problems).as(dir).isEmpty();
            if (dir.equals("overlays/dev")) {
                assertThat(docs).allSatisfy(d -> {
                    if (!d.path("kind").asText().equals("Namespace")) {
                        assertThat(d.path("metadata").path("namespace").asText()).isEqualTo("jsw-dev");
                    }
                });
                assertThat(byKind(docs, "Deployment")).containsKey("hubspot-emulator");
                assertThat(byKind(docs, "ConfigMap").get("jsw-config").path("data").path("JSW_HUBSPOT_API_URL").asText())
                        .isEqualTo("http://hubspot-emulator:8090");
                assertThat(byKind(docs, "KafkaTopic").values()).allSatisfy(t -> assertThat(t.path("spec").path("replicas").asInt()).isEqualTo(1));
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    private List<Path> yamlFiles() throws IOException {
        try (Stream<Path> s = Files.walk(k8s)) {
            return s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        }
    }

    /** Strategic-merge patches are partial objects: they are checked in the rendered overlay instead. */
    private boolean isPatch(Path f) throws IOException {
        for (Path k : yamlFiles()) {
            if (k.getFileName().toString().equals("kustomization.yaml") && k.getParent().equals(f.getParent())) {
                for (JsonNode p : Repo.documents(k).getFirst().path("patches")) {
                    if (f.getFileName().toString().equals(p.path("path").asText())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private List<JsonNode> base() throws IOException {
        List<JsonNode> all = new ArrayList<>();
        for (JsonNode r : Repo.documents(k8s.resolve("base/kustomization.yaml")).getFirst().path("resources")) {
            all.addAll(Repo.documents(k8s.resolve("base").resolve(r.asText())));
        }
        return all;
    }

    static Map<String, JsonNode> byKind(List<JsonNode> docs, String kind) {
        Map<String, JsonNode> out = new HashMap<>();
        docs.stream().filter(d -> kind.equals(d.path("kind").asText())).forEach(d -> out.put(d.path("metadata").path("name").asText(), d));
        return out;
    }

    private static boolean selects(JsonNode selector, JsonNode labels) {
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

    static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
