package io.jsworkflows.contracts.events;

import java.time.Instant;
import java.util.Map;

/**
 * Which records start a workflow: every record of {@code topic} whose headers contain all of {@code headerMatch}
 * (e.g. {@code X-Shopify-Topic: orders/create}); header names compare case-insensitively.
 *
 * @param from the binding runs only records whose Kafka timestamp is at or after this instant: the deploy time unless
 *             the deploy asked for a replay (then the replay's start); null (definitions written before it existed) means
 *             every record
 */
public record TriggerBinding(String topic, Map<String, String> headerMatch, Instant from) {

    public TriggerBinding {
        headerMatch = headerMatch == null ? Map.of() : Map.copyOf(headerMatch);
    }

    public TriggerBinding(String topic, Map<String, String> headerMatch) {
        this(topic, headerMatch, null);
    }

    /** Whether a record with this Kafka timestamp (epoch millis) lies within the binding's start. */
    public boolean startedBefore(long recordTimestampMillis) {
        return from == null || recordTimestampMillis >= from.toEpochMilli();
    }

    public boolean matches(String recordTopic, Map<String, String> headers) {
        if (!topic.equals(recordTopic)) {
            return false;
        }
        for (var wanted : headerMatch.entrySet()) {
            String actual = headers.entrySet().stream()
                    .filter(h -> h.getKey().equalsIgnoreCase(wanted.getKey()))
                    .map(Map.Entry::getValue)
                    .findFirst().orElse(null);
            if (!wanted.getValue().equals(actual)) {
                return false;
            }
        }
        return true;
    }
}
