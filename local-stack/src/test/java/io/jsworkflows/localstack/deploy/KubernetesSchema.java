package io.jsworkflows.localstack.deploy;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

/**
 * Offline schema check of Kubernetes objects with the fabric8 model (generated from the Kubernetes OpenAPI schema):
 * wrong types fail to bind, and fields the schema does not know (which fabric8 keeps in additionalProperties) are
 * reported with their path. Strimzi's KafkaTopic, KafkaUser, Kafka and KafkaNodePool are checked against the fields of
 * their v1beta2 CRDs by hand (only the fields these manifests may use).
 */
public final class KubernetesSchema {

    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .build();

    private static final Map<String, Class<?>> KINDS = Map.of(
            "apps/v1/Deployment", Deployment.class,
            "v1/Service", Service.class,
            "v1/ConfigMap", ConfigMap.class,
            "v1/Secret", Secret.class,
            "v1/Namespace", Namespace.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
            "networking.k8s.io/v1/Ingress", Ingress.class,
            "networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class,
            "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class);

    private KubernetesSchema() {
    }

    /** Problems found in one object; empty when it conforms. */
    public static List<String> validate(JsonNode doc) {
        List<String> problems = new ArrayList<>();
        String apiVersion = doc.path("apiVersion").asText();
        String kind = doc.path("kind").asText();
        String where = kind + " " + doc.path("metadata").path("name").asText("(no name)");
        if (!doc.path("metadata").path("name").isTextual()) {
            problems.add(where + ": metadata.name is missing");
        }
        if ("kafka.strimzi.io/v1beta2".equals(apiVersion) && "KafkaTopic".equals(kind)) {
            problems.addAll(kafkaTopic(doc, where));
            return problems;
        }
        if ("kafka.strimzi.io/v1beta2".equals(apiVersion) && "KafkaUser".equals(kind)) {
            problems.addAll(kafkaUser(doc, where));
            return problems;
        }
        if ("kafka.strimzi.io/v1beta2".equals(apiVersion) && "Kafka".equals(kind)) {
            problems.addAll(kafka(doc, where));
            return problems;
        }
        if ("kafka.strimzi.io/v1beta2".equals(apiVersion) && "KafkaNodePool".equals(kind)) {
            problems.addAll(kafkaNodePool(doc, where));
            return problems;
        }
        if ("monitoring.coreos.com/v1".equals(apiVersion) && "ServiceMonitor".equals(kind)) {
            problems.addAll(serviceMonitor(doc, where));
            return problems;
        }
        Class<?> type = KINDS.get(apiVersion + "/" + kind);
        if (type == null) {
            problems.add(where + ": unexpected apiVersion/kind " + apiVersion + "/" + kind);
            return problems;
        }
        Object model;
        try {
            model = STRICT.treeToValue(doc, type);
        } catch (Exception e) {
            problems.add(where + ": does not match the " + kind + " schema: " + e.getMessage().lines().findFirst().orElse(""));
            return problems;
        }
        unknownFields(model, kind, problems, where);
        return problems;
    }

    /** Walks the fabric8 model and reports every field it had to keep as "additional" (not in the schema). */
    private static void unknownFields(Object o, String path, List<String> problems, String where) {
        if (o == null || o instanceof String || o instanceof Number || o instanceof Boolean || o instanceof Enum<?>) {
            return;
        }
        if (o instanceof Collection<?> c) {
            int i = 0;
            for (Object e : c) {
                unknownFields(e, path + "[" + i++ + "]", problems, where);
            }
            return;
        }
        if (o instanceof Map<?, ?> m) {
            m.forEach((k, v) -> unknownFields(v, path + "." + k, problems, where));
            return;
        }
        if (!o.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        for (Method g : o.getClass().getMethods()) {
            if (g.getParameterCount() != 0 || Modifier.isStatic(g.getModifiers()) || !g.getName().startsWith("get")
                    || g.getDeclaringClass() == Object.class) {
                continue;
            }
            Object v;
            try {
                v = g.invoke(o);
            } catch (ReflectiveOperationException e) {
                continue;
            }
            String field = Character.toLowerCase(g.getName().charAt(3)) + g.getName().substring(4);
            if (field.equals("additionalProperties")) {
                if (v instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    problems.add(where + ": unknown field(s) " + extra.keySet() + " at " + path);
                }
                continue;
            }
            unknownFields(v, path + "." + field, problems, where);
        }
    }

    private static final List<String> ACL_OPERATIONS = List.of("Read", "Write", "Create", "Delete", "Alter", "Describe",
            "ClusterAction", "AlterConfigs", "DescribeConfigs", "IdempotentWrite", "All");

    /** KafkaUser v1beta2: authentication (scram-sha-512, tls, tls-external) and simple authorization with ACL rules. */
    private static List<String> kafkaUser(JsonNode doc, String where) {
        List<String> problems = new ArrayList<>();
        clusterLabel(doc, where, problems);
        JsonNode spec = doc.path("spec");
        only(spec, "spec", List.of("authentication", "authorization", "quotas", "template"), where, problems);
        only(spec.path("authentication"), "spec.authentication", List.of("type", "password"), where, problems);
        if (!List.of("scram-sha-512", "tls", "tls-external").contains(spec.path("authentication").path("type").asText())) {
            problems.add(where + ": spec.authentication.type must be scram-sha-512, tls or tls-external");
        }
        JsonNode authz = spec.path("authorization");
        only(authz, "spec.authorization", List.of("type", "acls"), where, problems);
        if (!"simple".equals(authz.path("type").asText())) {
            problems.add(where + ": spec.authorization.type must be simple");
        }
        int i = 0;
        for (JsonNode acl : authz.path("acls")) {
            String at = "spec.authorization.acls[" + i++ + "]";
            only(acl, at, List.of("resource", "type", "host", "operations", "operation"), where, problems);
            JsonNode r = acl.path("resource");
            only(r, at + ".resource", List.of("type", "name", "patternType"), where, problems);
            String rt = r.path("type").asText();
            if (!List.of("topic", "group", "cluster", "transactionalId").contains(rt)) {
                problems.add(where + ": " + at + ".resource.type '" + rt + "' is not topic, group, cluster or transactionalId");
            }
            if (!rt.equals("cluster") && !r.path("name").isTextual()) {
                problems.add(where + ": " + at + ".resource.name is missing");
            }
            if (r.has("patternType") && !List.of("literal", "prefix").contains(r.path("patternType").asText())) {
                problems.add(where + ": " + at + ".resource.patternType must be literal or prefix");
            }
            if (acl.has("type") && !List.of("allow", "deny").contains(acl.path("type").asText())) {
                problems.add(where + ": " + at + ".type must be allow or deny");
            }
            if (!acl.path("operations").isArray() || acl.path("operations").isEmpty()) {
                problems.add(where + ": " + at + ".operations must be a non-empty list");
            }
            acl.path("operations").forEach(op -> {
                if (!ACL_OPERATIONS.contains(op.asText())) {
                    problems.add(where + ": " + at + ": unknown operation " + op.asText());
                }
            });
        }
        return problems;
    }

    /** Kafka v1beta2 (KRaft with node pools): listeners, authorization, config, entity operator. */
    private static List<String> kafka(JsonNode doc, String where) {
        List<String> problems = new ArrayList<>();
        JsonNode spec = doc.path("spec");
        only(spec, "spec", List.of("kafka", "entityOperator", "cruiseControl", "kafkaExporter"), where, problems);
        JsonNode k = spec.path("kafka");
        only(k, "spec.kafka", List.of("version", "metadataVersion", "listeners", "authorization", "config", "resources",
                "jvmOptions", "rack", "template", "logging", "metricsConfig"), where, problems);
        int i = 0;
        for (JsonNode l : k.path("listeners")) {
            String at = "spec.kafka.listeners[" + i++ + "]";
            only(l, at, List.of("name", "port", "type", "tls", "authentication", "configuration", "networkPolicyPeers"), where, problems);
            if (!l.path("name").asText().matches("[a-z0-9]{1,11}")) {
                problems.add(where + ": " + at + ".name must be 1-11 lower-case letters or digits");
            }
            if (!l.path("port").isInt() || l.path("port").asInt() < 9092) {
                problems.add(where + ": " + at + ".port must be an integer >= 9092");
            }
            if (!List.of("internal", "route", "loadbalancer", "nodeport", "ingress", "cluster-ip").contains(l.path("type").asText())) {
                problems.add(where + ": " + at + ".type is not a Strimzi listener type");
            }
            if (!l.path("tls").isBoolean()) {
                problems.add(where + ": " + at + ".tls must be a boolean");
            }
            only(l.path("authentication"), at + ".authentication", List.of("type"), where, problems);
        }
        only(k.path("authorization"), "spec.kafka.authorization", List.of("type", "superUsers"), where, problems);
        spec.path("kafka").path("config").fields().forEachRemaining(e -> {
            if (!e.getValue().isValueNode()) {
                problems.add(where + ": spec.kafka.config." + e.getKey() + " must be a scalar");
            }
        });
        only(spec.path("entityOperator"), "spec.entityOperator", List.of("topicOperator", "userOperator", "template"), where, problems);
        return problems;
    }

    /** KafkaNodePool v1beta2: replicas, roles, storage. */
    private static List<String> kafkaNodePool(JsonNode doc, String where) {
        List<String> problems = new ArrayList<>();
        clusterLabel(doc, where, problems);
        JsonNode spec = doc.path("spec");
        only(spec, "spec", List.of("replicas", "roles", "storage", "resources", "jvmOptions", "template"), where, problems);
        if (!spec.path("replicas").isInt() || spec.path("replicas").asInt() < 0) {
            problems.add(where + ": spec.replicas must be an integer >= 0");
        }
        spec.path("roles").forEach(r -> {
            if (!List.of("controller", "broker").contains(r.asText())) {
                problems.add(where + ": unknown role " + r.asText());
            }
        });
        if (!List.of("jbod", "ephemeral", "persistent-claim").contains(spec.path("storage").path("type").asText())) {
            problems.add(where + ": spec.storage.type must be jbod, ephemeral or persistent-claim");
        }
        return problems;
    }

    private static void clusterLabel(JsonNode doc, String where, List<String> problems) {
        if (!doc.path("metadata").path("labels").path("strimzi.io/cluster").isTextual()) {
            problems.add(where + ": needs label strimzi.io/cluster (which Strimzi cluster's operators own it)");
        }
    }

    private static void only(JsonNode node, String path, List<String> allowed, String where, List<String> problems) {
        node.fieldNames().forEachRemaining(f -> {
            if (!allowed.contains(f)) {
                problems.add(where + ": unknown field " + path + "." + f);
            }
        });
    }

    private static final String DURATION = "[0-9]+(ms|s|m|h)";

    /**
     * ServiceMonitor monitoring.coreos.com/v1 (Prometheus Operator), the fields used here: a label selector of Services
     * and endpoints by port name, with path, interval and timeout.
     */
    private static List<String> serviceMonitor(JsonNode doc, String where) {
        List<String> problems = new ArrayList<>();
        only(doc, "", List.of("apiVersion", "kind", "metadata", "spec"), where, problems);
        JsonNode spec = doc.path("spec");
        only(spec, "spec", List.of("jobLabel", "targetLabels", "podTargetLabels", "selector", "namespaceSelector", "endpoints",
                "sampleLimit"), where, problems);
        only(spec.path("selector"), "spec.selector", List.of("matchLabels", "matchExpressions"), where, problems);
        if (!spec.path("selector").path("matchLabels").isObject() || spec.path("selector").path("matchLabels").isEmpty()) {
            problems.add(where + ": spec.selector.matchLabels must name the Service's labels");
        }
        if (!spec.path("endpoints").isArray() || spec.path("endpoints").isEmpty()) {
            problems.add(where + ": spec.endpoints must be a non-empty list");
        }
        int i = 0;
        for (JsonNode e : spec.path("endpoints")) {
            String at = "spec.endpoints[" + i++ + "]";
            only(e, at, List.of("port", "targetPort", "path", "scheme", "interval", "scrapeTimeout", "honorLabels", "params",
                    "relabelings", "metricRelabelings"), where, problems);
            if (!e.path("port").isTextual()) {
                problems.add(where + ": " + at + ".port must be the Service port's name");
            }
            if (e.has("path") && !e.path("path").asText().startsWith("/")) {
                problems.add(where + ": " + at + ".path must start with /");
            }
            for (String d : List.of("interval", "scrapeTimeout")) {
                if (e.has(d) && !e.path(d).asText().matches(DURATION)) {
                    problems.add(where + ": " + at + "." + d + " must be a duration like 30s");
                }
            }
        }
        return problems;
    }

    /** The KafkaTopic v1beta2 spec: topicName, partitions (>= 1), replicas (1..32767), config (scalar values). */
    private static List<String> kafkaTopic(JsonNode doc, String where) {
        List<String> problems = new ArrayList<>();
        if (!doc.path("metadata").path("labels").path("strimzi.io/cluster").isTextual()) {
            problems.add(where + ": needs label strimzi.io/cluster (which Strimzi cluster's topic operator owns it)");
        }
        String name = doc.path("metadata").path("name").asText();
        if (!name.matches("[a-z0-9]([-a-z0-9.]*[a-z0-9])?") || name.length() > 253) {
            problems.add(where + ": metadata.name is not a DNS-1123 subdomain");
        }
        JsonNode spec = doc.path("spec");
        List<String> allowed = List.of("topicName", "partitions", "replicas", "config");
        spec.fieldNames().forEachRemaining(f -> {
            if (!allowed.contains(f)) {
                problems.add(where + ": unknown field spec." + f);
            }
        });
        if (!spec.path("partitions").isInt() || spec.path("partitions").asInt() < 1) {
            problems.add(where + ": spec.partitions must be an integer >= 1");
        }
        if (!spec.path("replicas").isInt() || spec.path("replicas").asInt() < 1 || spec.path("replicas").asInt() > 32767) {
            problems.add(where + ": spec.replicas must be an integer in 1..32767");
        }
        if (spec.has("topicName") && !spec.path("topicName").isTextual()) {
            problems.add(where + ": spec.topicName must be a string");
        }
        spec.path("config").fields().forEachRemaining(e -> {
            if (!e.getValue().isValueNode()) {
                problems.add(where + ": spec.config." + e.getKey() + " must be a string, number or boolean");
            }
        });
        for (String top : List.of("apiVersion", "kind", "metadata", "spec")) {
            if (!doc.has(top)) {
                problems.add(where + ": missing " + top);
            }
        }
        return problems;
    }
}
