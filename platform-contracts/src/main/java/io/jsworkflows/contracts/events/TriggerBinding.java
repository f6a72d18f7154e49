package io.jsworkflows.contracts.events;

import java.util.Map;

/**
 * Which records start a workflow: every record of {@code topic} whose headers contain all of {@code headerMatch}
 * (e.g. {@code X-Shopify-Topic: orders/create}); header names compare case-insensitively.
 */
public record TriggerBinding(String topic, Map<String, String> headerMatch) {

    public TriggerBinding {
        headerMatch = headerMatch == null ? Map.of() : Map.copyOf(headerMatch);
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
