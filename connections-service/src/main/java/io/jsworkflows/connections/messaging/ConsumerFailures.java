package io.jsworkflows.connections.messaging;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.jboss.logging.Logger;

import io.jsworkflows.contracts.json.ContractsJson;

/**
 * Which state consumer is stuck on a failing record, and since when; and the two steps every state consumer takes with a
 * record: read it (an unreadable one is skipped: no retry fixes it) and apply it (a failure is marked and rethrown for
 * the consumer's retry). Logs name a record's place, never its value.
 */
@ApplicationScoped
public class ConsumerFailures {

    private static final Logger LOG = Logger.getLogger(ConsumerFailures.class);

    private final Map<String, Instant> failingSince = new ConcurrentHashMap<>();

    public void succeeded(String channel) {
        failingSince.remove(channel);
    }

    public void failed(String channel) {
        failingSince.putIfAbsent(channel, Instant.now());
    }

    /** The record's value as {@code type}; null for a tombstone or an unreadable value (logged by place and class). */
    public static <T> T read(ConsumerRecord<String, String> record, Class<T> type) {
        if (record.value() == null) {
            return null;
        }
        try {
            return ContractsJson.read(record.value(), type);
        } catch (IllegalArgumentException e) {
            // the class only: the parser's message may quote the value
            LOG.warnf("skipping unreadable %s at %s-%d@%d (%s)", type.getSimpleName(), record.topic(), record.partition(),
                    record.offset(), e.getClass().getSimpleName());
            return null;
        }
    }

    /** Applies one record's update; a failure marks the channel and is rethrown, so that the consumer retries it. */
    public void apply(String channel, ConsumerRecord<String, String> record, Runnable update) {
        try {
            update.run();
            succeeded(channel);
        } catch (RuntimeException ex) {
            failed(channel);
            // the class only: a database message may quote row values
            LOG.warnf("applying %s-%d@%d failed (%s); retrying, nothing is skipped", record.topic(), record.partition(),
                    record.offset(), ex.getClass().getSimpleName());
            throw ex;
        }
    }

    Map<String, Instant> failing() {
        return Map.copyOf(failingSince);
    }
}
