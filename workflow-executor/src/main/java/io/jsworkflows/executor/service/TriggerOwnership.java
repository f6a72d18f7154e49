package io.jsworkflows.executor.service;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import io.jsworkflows.contracts.PlatformHeaders;
import io.jsworkflows.contracts.Topics;
import io.jsworkflows.contracts.events.TriggerRecord;
import io.jsworkflows.executor.config.ExecutorConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;

/**
 * Who owns a trigger record, and which topics a workspace may bind. The trust rules:
 * <ul>
 * <li>a shared source topic ({@link Topics#SHOPIFY_SOURCE_TOPICS}) is written only by the platform, which stamps the
 * owner in {@code jsw-workspace}; a record without it belongs to nobody;</li>
 * <li>an operator-declared workspace topic ({@code jsw.executor.workspace-topics}) belongs to its configured workspace;
 * a {@code jsw-workspace} header that names another one makes the record nobody's;</li>
 * <li>any other topic belongs to nobody (bindings to it predate these rules or were loaded from elsewhere).</li>
 * </ul>
 * A record that belongs to nobody runs nothing; it is counted ({@code jsw.triggers.rejected}, by reason) and logged at
 * most once a minute per reason, by coordinates only.
 */
@ApplicationScoped
@io.quarkus.runtime.Startup // a bad jsw.executor.workspace-topics fails the start, not the first record
public class TriggerOwnership {

    public static final String MISSING_WORKSPACE = "missing-workspace";
    public static final String WORKSPACE_MISMATCH = "workspace-mismatch";
    public static final String UNDECLARED_TOPIC = "undeclared-topic";
    private static final Pattern TOPIC = Pattern.compile("[a-zA-Z0-9._-]{1,249}");
    private static final long LOG_EVERY_NANOS = 60_000_000_000L;

    private final Map<String, String> workspaceTopics;
    private final MeterRegistry meters;
    private final Map<String, AtomicLong> lastLogged = new ConcurrentHashMap<>();

    public TriggerOwnership(ExecutorConfig config, MeterRegistry meters) {
        this.workspaceTopics = Collections.unmodifiableMap(new TreeMap<>(validated(config.executor().workspaceTopics())));
        this.meters = meters;
    }

    /** Fails the start on a declaration that would let a workspace claim a platform or shared topic. */
    static Map<String, String> validated(Map<String, String> declared) {
        List<String> problems = new ArrayList<>();
        declared.forEach((topic, ws) -> {
            if (!TOPIC.matcher(topic).matches() || topic.equals(".") || topic.equals("..")) {
                problems.add("'" + topic + "' is not a Kafka topic name");
            } else if (topic.startsWith("jsw.") || topic.startsWith("__")) {
                problems.add("'" + topic + "' is a platform topic");
            } else if (Topics.SHOPIFY_SOURCE_TOPICS.contains(topic)) {
                problems.add("'" + topic + "' is a shared source topic (its records name their workspace)");
            }
            if (ws == null || ws.isBlank()) {
                problems.add("'" + topic + "' names no workspace");
            }
        });
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("jsw.executor.workspace-topics is invalid: " + String.join("; ", problems));
        }
        return declared;
    }

    /** The workspace that owns the record, or null (then it was counted and runs nothing). */
    public String ownerOf(TriggerRecord record) {
        String header = null;
        boolean conflicting = false;
        for (var h : record.headers().entrySet()) {
            if (h.getKey().equalsIgnoreCase(PlatformHeaders.WORKSPACE)) {
                String v = h.getValue() == null ? "" : h.getValue().trim();
                conflicting |= header != null && !header.equals(v);
                header = v;
            }
        }
        String declared = workspaceTopics.get(record.topic());
        if (declared != null) {
            if (header != null && (conflicting || !header.equals(declared))) {
                return reject(record, WORKSPACE_MISMATCH);
            }
            return declared;
        }
        if (!Topics.SHOPIFY_SOURCE_TOPICS.contains(record.topic())) {
            return reject(record, UNDECLARED_TOPIC);
        }
        if (header == null || header.isEmpty()) {
            return reject(record, MISSING_WORKSPACE);
        }
        if (conflicting) {
            return reject(record, WORKSPACE_MISMATCH);
        }
        return header;
    }

    /** The topics a workspace may bind: the shared source topics and the topics declared for it. */
    public Set<String> allowedTopics(String workspaceId) {
        Set<String> allowed = new TreeSet<>(Topics.SHOPIFY_SOURCE_TOPICS);
        workspaceTopics.forEach((topic, ws) -> {
            if (ws.equals(workspaceId)) {
                allowed.add(topic);
            }
        });
        return allowed;
    }

    /** Whether a record of this topic can belong to anyone (the trigger loop subscribes to no other topic). */
    public boolean consumable(String topic) {
        return Topics.SHOPIFY_SOURCE_TOPICS.contains(topic) || workspaceTopics.containsKey(topic);
    }

    private String reject(TriggerRecord record, String reason) {
        Counter.builder("jsw.triggers.rejected").description("trigger records that ran nothing because no workspace owns them")
                .tag("reason", reason).tag("topic", record.topic()).register(meters).increment();
        AtomicLong last = lastLogged.computeIfAbsent(reason, r -> new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS));
        long prev = last.get();
        long now = System.nanoTime();
        if (now - prev >= LOG_EVERY_NANOS && last.compareAndSet(prev, now)) {
            Log.warnf("trigger record %s runs nothing (%s); further ones are only counted for a minute (jsw_triggers_rejected_total)",
                    record.coordinates(), reason);
        }
        return null;
    }
}
