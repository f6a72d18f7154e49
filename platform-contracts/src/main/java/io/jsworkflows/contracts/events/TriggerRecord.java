package io.jsworkflows.contracts.events;

import java.util.Map;

/** The trigger record a run came from, kept whole so that a retry or a DLQ replay can run it again. */
public record TriggerRecord(String topic, int partition, long offset, String key, String value, Map<String, String> headers) {

    public TriggerRecord {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    /** Coordinates without the payload, for run events. */
    public String coordinates() {
        return topic + "/" + partition + "/" + offset;
    }
}
