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
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

/**
 * Offline schema check of Kubernetes objects with the fabric8 model (generated from the Kubernetes OpenAPI schema):
 * wrong types fail to bind, and fields the schema does not know (which fabric8 keeps in additionalProperties) are
 * reported with their path. Strimzi KafkaTopic is checked against the CRD's v1beta2 spec fields by hand.
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
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class);

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
