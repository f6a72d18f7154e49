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

import io.jsworkflows.contracts.Topics;
import io.jsworkflows.localstack.client.KafkaTools;
import io.jsworkflows.localstack.stack.ServiceEnvironment;
import io.jsworkflows.localstack.stack.ServiceWiring;
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
        assertThat(deployments).containsOnlyKeys("connections-service", "token-refresher", "workflow-executor", "webhook-gateway");
        assertThat(deployments.get("token-refresher").path("spec").path("replicas").asInt()).isEqualTo(2);
        assertThat(deployments.get("webhook-gateway").path("spec").path("replicas").asInt()).isEqualTo(2);
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
        assertThat(secretKeys).containsKeys("jsw-hubspot-oauth", "jsw-grant-key", "jsw-token-key", "jsw-source-key", "jsw-database");
        // Secrets Strimzi writes: one per KafkaUser (password, sasl.jaas.config) and the cluster CA
        byKind(base(), "KafkaUser").keySet().forEach(u -> secretKeys.put(u, Set.of("password", "sasl.jaas.config")));
        secretKeys.put("jsw-kafka-cluster-ca-cert", Set.of("ca.crt", "ca.p12", "ca.password"));
        ServiceWiring wiring = ServiceWiring.local(StackSettings.fromEnv(Map.of("JSW_ROOT", Repo.root().toString())),
                Map.of("JSW_CRYPTO_GRANT_KEYS", "g", "JSW_CRYPTO_TOKEN_KEYS", "t", "JSW_CRYPTO_SOURCE_KEYS", "s", "JSW_ADMIN_KEY", "a"));
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
            for (JsonNode v : e.getValue().path("spec").path("template").path("spec").path("volumes")) {
                JsonNode secret = v.path("secret");
                if (!secret.isMissingNode()) {
                    assertThat(secretKeys).as(e.getKey() + " volume " + v.path("name").asText()).containsKey(secret.path("secretName").asText());
                    secret.path("items").forEach(it -> assertThat(secretKeys.get(secret.path("secretName").asText())).contains(it.path("key").asText()));
                }
            }
            Set<String> local = new HashSet<>(ServiceEnvironment.of(e.getKey(), wiring).keySet());
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

    /** The webhook Ingress is the only way in from outside, and it leads to webhook-gateway's /webhooks/ only. */
    @Test
    void theGatewayIsTheOnlyInternetFacingEntry() throws IOException {
        List<JsonNode> docs = base();
        assertThat(byKind(docs, "Service").values()).allSatisfy(svc ->
                assertThat(svc.path("spec").path("type").asText("ClusterIP")).as(svc.path("metadata").path("name").asText()).isEqualTo("ClusterIP"));
        Map<String, JsonNode> ingresses = byKind(docs, "Ingress");
        assertThat(ingresses).hasSize(1);
        List<String> backends = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        for (JsonNode ing : ingresses.values()) {
            assertThat(ing.path("spec").path("defaultBackend").isMissingNode()).isTrue();
            assertThat(ing.path("spec").path("tls")).as("HTTPS").isNotEmpty();
            for (JsonNode rule : ing.path("spec").path("rules")) {
                for (JsonNode path : rule.path("http").path("paths")) {
                    backends.add(path.path("backend").path("service").path("name").asText() + ":"
                            + path.path("backend").path("service").path("port").path("name").asText());
                    paths.add(path.path("path").asText());
                }
            }
        }
        assertThat(backends).containsOnly("webhook-gateway:http");
        assertThat(paths).containsOnly("/webhooks/");
        JsonNode gatewayService = byKind(docs, "Service").get("webhook-gateway");
        assertThat(gatewayService.path("spec").path("ports").get(0).path("name").asText()).isEqualTo("http");
    }

    /** Network policies: every service pod is covered; only the gateway admits peers from outside the namespace. */
    @Test
    void onlyTheGatewayAcceptsConnectionsFromOutsideTheNamespace() throws IOException {
        List<JsonNode> docs = base();
        Map<String, JsonNode> policies = byKind(docs, "NetworkPolicy");
        for (var d : byKind(docs, "Deployment").entrySet()) {
            JsonNode podLabels = d.getValue().path("spec").path("template").path("metadata").path("labels");
            List<JsonNode> applying = policies.values().stream().filter(p -> selects(p.path("spec").path("podSelector").path("matchLabels"), podLabels)).toList();
            assertThat(applying).as(d.getKey() + " is covered by a policy").isNotEmpty();
            boolean open = applying.stream().anyMatch(p -> {
                for (JsonNode rule : p.path("spec").path("ingress")) {
                    if (rule.path("from").isMissingNode() || rule.path("from").isEmpty()) {
                        return true;
                    }
                    for (JsonNode peer : rule.path("from")) {
                        if (!peer.path("namespaceSelector").isMissingNode() || !peer.path("ipBlock").isMissingNode()) {
                            return true;
                        }
                    }
                }
                return false;
            });
            assertThat(open).as(d.getKey() + " accepts peers from outside the namespace").isEqualTo(d.getKey().equals("webhook-gateway"));
        }
    }

    @Test
    void theGatewayScalesOnItsOwn() throws IOException {
        JsonNode hpa = byKind(base(), "HorizontalPodAutoscaler").get("webhook-gateway");
        assertThat(hpa).isNotNull();
        assertThat(hpa.path("spec").path("scaleTargetRef").path("kind").asText()).isEqualTo("Deployment");
        assertThat(hpa.path("spec").path("scaleTargetRef").path("name").asText()).isEqualTo("webhook-gateway");
        assertThat(hpa.path("spec").path("minReplicas").asInt()).isGreaterThanOrEqualTo(2);
        assertThat(hpa.path("spec").path("maxReplicas").asInt()).isGreaterThan(hpa.path("spec").path("minReplicas").asInt());
        assertThat(byKind(base(), "HorizontalPodAutoscaler")).containsOnlyKeys("webhook-gateway");
    }

    /** The source key ring unseals every shop's webhook secret: connections-service and the gateway only. */
    @Test
    void onlyConnectionsServiceAndTheGatewayGetTheSourceKeyRing() throws IOException {
        Set<String> holders = new HashSet<>();
        for (var e : byKind(base(), "Deployment").entrySet()) {
            for (JsonNode env : e.getValue().path("spec").path("template").path("spec").path("containers").get(0).path("env")) {
                if (env.path("valueFrom").path("secretKeyRef").path("name").asText().equals("jsw-source-key")) {
                    holders.add(e.getKey());
                }
            }
        }
        assertThat(holders).containsExactlyInAnyOrder("connections-service", "webhook-gateway");
    }

    // ------------------------------------------------------------------ Kafka: authentication and ACLs

    /** The writers column of the topics table (docs/events.md, DESIGN): who may write each deployed topic, nobody else. */
    static final Map<String, Set<String>> WRITERS = writers();
    /** Who reads each topic (services only: people and tools such as jsw tail have principals of their own). */
    static final Map<String, Set<String>> READERS = readers();

    private static Map<String, Set<String>> writers() {
        Map<String, Set<String>> m = new HashMap<>();
        m.put(Topics.CONNECTION_GRANTS, Set.of("connections-service"));
        m.put(Topics.CONNECTION_TOKENS, Set.of("token-refresher"));
        m.put(Topics.REFRESH_CHAIN, Set.of("token-refresher"));
        m.put(Topics.REFRESH_REQUESTS, Set.of("workflow-executor", "connections-service"));
        m.put(Topics.CONNECTION_EVENTS, Set.of("connections-service", "token-refresher"));
        m.put(Topics.WORKFLOW_DEFINITIONS, Set.of("workflow-executor"));
        m.put(Topics.SOURCES, Set.of("connections-service"));
        m.put(Topics.RUN_EVENTS, Set.of("workflow-executor"));
        m.put(Topics.RUN_RETRY, Set.of("workflow-executor", "connections-service")); // a dead letter's replay
        m.put(Topics.RUN_DLQ, Set.of("workflow-executor"));
        m.put(KafkaTools.RUNS_INFLIGHT.name(), Set.of("workflow-executor"));
        Topics.SHOPIFY_SOURCE_TOPICS.forEach(t -> m.put(t, Set.of("webhook-gateway")));
        return m;
    }

    private static Map<String, Set<String>> readers() {
        Map<String, Set<String>> m = new HashMap<>();
        m.put(Topics.CONNECTION_GRANTS, Set.of("token-refresher"));
        m.put(Topics.CONNECTION_TOKENS, Set.of("token-refresher", "workflow-executor", "connections-service"));
        m.put(Topics.REFRESH_CHAIN, Set.of("token-refresher"));
        m.put(Topics.REFRESH_REQUESTS, Set.of("token-refresher"));
        m.put(Topics.CONNECTION_EVENTS, Set.of("connections-service"));
        // connections-service reads definitions, run events and dead letters for its runs pages (docs/events.md)
        m.put(Topics.WORKFLOW_DEFINITIONS, Set.of("workflow-executor", "connections-service"));
        m.put(Topics.SOURCES, Set.of("webhook-gateway"));
        m.put(Topics.RUN_EVENTS, Set.of("connections-service"));
        m.put(Topics.RUN_RETRY, Set.of("workflow-executor"));
        m.put(Topics.RUN_DLQ, Set.of("connections-service"));
        m.put(KafkaTools.RUNS_INFLIGHT.name(), Set.of("workflow-executor"));
        Topics.SHOPIFY_SOURCE_TOPICS.forEach(t -> m.put(t, Set.of("workflow-executor")));
        return m;
    }

    @Test
    void theTablesCoverEveryDeployedTopic() {
        List<String> deployed = KafkaTools.allTopics().stream().map(Topics.Spec::name).toList();
        assertThat(WRITERS.keySet()).containsExactlyInAnyOrderElementsOf(deployed);
        assertThat(READERS.keySet()).containsExactlyInAnyOrderElementsOf(deployed);
    }

    /** Every listener authenticates, ACLs are enforced, no service is a super user, topics are never created implicitly. */
    @Test
    void kafkaRunsWithAuthenticationAndAcls() throws IOException {
        Map<String, JsonNode> clusters = byKind(base(), "Kafka");
        assertThat(clusters).containsOnlyKeys("jsw-kafka");
        JsonNode kafka = clusters.get("jsw-kafka").path("spec").path("kafka");
        assertThat(kafka.path("listeners")).isNotEmpty().allSatisfy(l -> {
            assertThat(l.path("authentication").path("type").asText()).as(l.path("name").asText()).isIn("scram-sha-512", "tls");
            assertThat(l.path("tls").asBoolean()).as(l.path("name").asText() + " encrypts").isTrue();
        });
        assertThat(kafka.path("authorization").path("type").asText()).isEqualTo("simple");
        assertThat(kafka.path("authorization").path("superUsers")).isEmpty();
        assertThat(kafka.path("config").path("auto.create.topics.enable").asBoolean(true)).isFalse();
        assertThat(byKind(base(), "KafkaNodePool").values()).allSatisfy(p ->
                assertThat(p.path("metadata").path("labels").path("strimzi.io/cluster").asText()).isEqualTo("jsw-kafka"));
        int port = kafka.path("listeners").get(0).path("port").asInt();
        JsonNode config = byKind(base(), "ConfigMap").get("jsw-config").path("data");
        assertThat(config.path("KAFKA_BOOTSTRAP_SERVERS").asText()).isEqualTo("jsw-kafka-kafka-bootstrap:" + port);
        assertThat(config.path("KAFKA_SECURITY_PROTOCOL").asText()).isEqualTo("SASL_SSL");
        assertThat(config.path("KAFKA_SASL_MECHANISM").asText()).isEqualTo("SCRAM-SHA-512");
    }

    /** Each service connects as its own KafkaUser, with the credentials Strimzi wrote into that user's Secret. */
    @Test
    void everyServiceHasItsOwnKafkaUserAndUsesItsCredentials() throws IOException {
        Map<String, JsonNode> users = byKind(base(), "KafkaUser");
        Map<String, JsonNode> deployments = byKind(base(), "Deployment");
        assertThat(users.keySet()).containsExactlyInAnyOrderElementsOf(deployments.keySet());
        String caPath = byKind(base(), "ConfigMap").get("jsw-config").path("data").path("KAFKA_SSL_TRUSTSTORE_LOCATION").asText();
        for (var e : deployments.entrySet()) {
            JsonNode user = users.get(e.getKey());
            assertThat(user.path("metadata").path("labels").path("strimzi.io/cluster").asText()).isEqualTo("jsw-kafka");
            assertThat(user.path("spec").path("authentication").path("type").asText()).isEqualTo("scram-sha-512");
            JsonNode pod = e.getValue().path("spec").path("template").path("spec");
            JsonNode c = pod.path("containers").get(0);
            List<String> jaas = new ArrayList<>();
            c.path("env").forEach(env -> {
                if (env.path("name").asText().equals("KAFKA_SASL_JAAS_CONFIG")) {
                    JsonNode ref = env.path("valueFrom").path("secretKeyRef");
                    jaas.add(ref.path("name").asText() + "/" + ref.path("key").asText());
                }
            });
            assertThat(jaas).as(e.getKey()).containsExactly(e.getKey() + "/sasl.jaas.config");
            List<String> mounts = new ArrayList<>();
            c.path("volumeMounts").forEach(m -> mounts.add(m.path("name").asText() + "@" + m.path("mountPath").asText()));
            assertThat(caPath).as(e.getKey()).startsWith(mounts.stream().filter(m -> m.startsWith("kafka-ca@")).findFirst()
                    .map(m -> m.substring("kafka-ca@".length())).orElse("(no kafka-ca mount)"));
        }
    }

    /** Write ACLs are the writers table exactly, read ACLs the readers table: no service can write a topic it does not own. */
    @Test
    void aclsMatchTheTopicsTable() throws IOException {
        assertThat(aclProblems(List.copyOf(byKind(base(), "KafkaUser").values()))).isEmpty();
    }

    /** The check above fails for a service that could write a topic it does not own, or read refresh tokens. */
    @Test
    void theAclCheckCatchesAnOverreach() throws IOException {
        // the gateway also allowed to write jsw.connections.* (tokens among them)
        List<JsonNode> gatewayWritesTokens = users();
        ((com.fasterxml.jackson.databind.node.ArrayNode) user(gatewayWritesTokens, "webhook-gateway").path("spec").path("authorization")
                .path("acls")).add(Repo.documents("{resource: {type: topic, name: jsw.connections., patternType: prefix}, operations: [Write]}").getFirst());
        assertThat(aclProblems(gatewayWritesTokens)).anySatisfy(p -> assertThat(p).contains("jsw.connections.tokens", "webhook-gateway"));

        // the executor's token read widened to a prefix that also covers the grants (refresh tokens)
        List<JsonNode> executorReadsGrants = users();
        for (JsonNode acl : user(executorReadsGrants, "workflow-executor").path("spec").path("authorization").path("acls")) {
            if (acl.path("resource").path("name").asText().equals(Topics.CONNECTION_TOKENS)) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) acl.path("resource")).put("name", "jsw.connections.").put("patternType", "prefix");
            }
        }
        assertThat(aclProblems(executorReadsGrants)).anySatisfy(p -> assertThat(p).contains("jsw.connections.grants", "workflow-executor"));

        // an "All" operation, even on a topic the service owns
        List<JsonNode> all = users();
        JsonNode first = user(all, "token-refresher").path("spec").path("authorization").path("acls").get(0);
        ((com.fasterxml.jackson.databind.node.ObjectNode) first).set("operations", Repo.documents("[All]").getFirst());
        assertThat(aclProblems(all)).anySatisfy(p -> assertThat(p).contains("token-refresher", "[All]"));
    }

    private List<JsonNode> users() throws IOException {
        return Repo.documents(k8s.resolve("base/kafka-users.yaml")).stream().filter(d -> d.path("kind").asText().equals("KafkaUser")).toList();
    }

    private static JsonNode user(List<JsonNode> users, String name) {
        return users.stream().filter(u -> u.path("metadata").path("name").asText().equals(name)).findFirst().orElseThrow();
    }

    /** Every consumer group a service's configuration names is covered by a group ACL of that service. */
    @Test
    void everyConsumerGroupIsAllowed() throws IOException {
        Map<String, List<String>> groups = new HashMap<>();
        for (String service : List.of("connections-service", "token-refresher", "workflow-executor", "webhook-gateway")) {
            List<String> ids = new ArrayList<>();
            Path props = Repo.root().resolve(service).resolve("src/main/resources/application.properties");
            if (Files.exists(props)) {
                for (String line : Files.readAllLines(props)) {
                    String l = line.trim();
                    if (!l.startsWith("#") && !l.startsWith("%") && l.contains("group.id=")) {
                        // a per-replica suffix such as ${quarkus.uuid} leaves the prefix the ACL must allow
                        ids.add(l.substring(l.indexOf('=') + 1).replaceAll("\\$\\{.*$", "").trim());
                    }
                }
            }
            groups.put(service, ids);
        }
        // the groups the services' @ConfigMapping defaults name
        groups.get("token-refresher").add("jsw-token-refresher");
        groups.get("workflow-executor").addAll(List.of("jsw-workflow-executor", "jsw-workflow-executor-retry"));
        Map<String, JsonNode> users = byKind(base(), "KafkaUser");
        groups.forEach((service, ids) -> ids.forEach(id -> assertThat(allowed(users.get(service), "group", id, "Read"))
                .as(service + " may consume as group " + id).isTrue()));
        assertThat(groups.get("connections-service")).isNotEmpty();
    }

    /** Problems of a set of KafkaUsers against the tables; empty when every topic's writers and readers are exactly theirs. */
    static List<String> aclProblems(List<JsonNode> users) {
        List<String> problems = new ArrayList<>();
        for (JsonNode u : users) {
            String name = u.path("metadata").path("name").asText();
            for (JsonNode acl : u.path("spec").path("authorization").path("acls")) {
                JsonNode r = acl.path("resource");
                List<String> ops = new ArrayList<>();
                acl.path("operations").forEach(o -> ops.add(o.asText()));
                if (ops.contains("All") || ops.contains("Alter") || ops.contains("AlterConfigs") || ops.contains("Delete")
                        || ops.contains("Create") || ops.contains("ClusterAction")) {
                    problems.add(name + ": " + ops + " on " + r + " is more than a service needs");
                }
                if (r.path("type").asText().equals("cluster") || r.path("name").asText().equals("*")) {
                    problems.add(name + ": an ACL on " + r + " reaches beyond its own topics and groups");
                }
                if ("deny".equals(acl.path("type").asText())) {
                    problems.add(name + ": deny rules make the table hard to read; grant less instead");
                }
            }
        }
        for (String topic : WRITERS.keySet()) {
            Set<String> writers = new HashSet<>();
            Set<String> readers = new HashSet<>();
            for (JsonNode u : users) {
                String name = u.path("metadata").path("name").asText();
                if (allowed(u, "topic", topic, "Write")) {
                    writers.add(name);
                }
                if (allowed(u, "topic", topic, "Read")) {
                    readers.add(name);
                }
            }
            if (!writers.equals(WRITERS.get(topic))) {
                problems.add(topic + " is writable by " + new java.util.TreeSet<>(writers) + ", the table says " + new java.util.TreeSet<>(WRITERS.get(topic)));
            }
            if (!readers.equals(READERS.get(topic))) {
                problems.add(topic + " is readable by " + new java.util.TreeSet<>(readers) + ", the table says " + new java.util.TreeSet<>(READERS.get(topic)));
            }
        }
        return problems;
    }

    /** Whether a KafkaUser's allow rules grant {@code operation} on the resource (literal or prefix match; All counts). */
    static boolean allowed(JsonNode user, String type, String name, String operation) {
        if (user == null) {
            return false;
        }
        for (JsonNode acl : user.path("spec").path("authorization").path("acls")) {
            JsonNode r = acl.path("resource");
            if (!type.equals(r.path("type").asText()) || "deny".equals(acl.path("type").asText())) {
                continue;
            }
            String n = r.path("name").asText();
            boolean matches = "prefix".equals(r.path("patternType").asText()) ? name.startsWith(n) : n.equals(name) || n.equals("*");
            if (!matches) {
                continue;
            }
            for (JsonNode op : acl.path("operations")) {
                if (op.asText().equals(operation) || op.asText().equals("All")) {
                    return true;
                }
            }
        }
        return false;
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
        return Repo.kustomizeResources(k8s.resolve("base"));
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
