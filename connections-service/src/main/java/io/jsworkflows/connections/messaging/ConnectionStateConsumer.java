package io.jsworkflows.connections.messaging;

import java.time.temporal.ChronoUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.jsworkflows.connections.service.ConnectionStateUpdates;
import io.jsworkflows.contracts.events.ConnectionEvent;
import io.jsworkflows.contracts.events.TokenState;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.faulttolerance.api.ExponentialBackoff;

/**
 * Keeps status, expiry and last refresh of connections current from token-refresher's TokenState and connection
 * events. An update the database refuses is never dropped: it is retried with backoff (each attempt its own
 * transaction) while the partition waits, the consumer shows as not ready meanwhile ({@link ConsumerHealth}), and if
 * it still fails after the retries the channel fails (failure-strategy=fail): liveness goes down, the offset stays
 * uncommitted and a restart reads the record again. Unreadable records are skipped with a warning: no retry fixes them.
 */
@ApplicationScoped
public class ConnectionStateConsumer {

    static final String TOKENS = "tokens";
    static final String EVENTS = "connection-events";

    private final ConnectionStateUpdates updates;
    private final ConsumerFailures failures;

    public ConnectionStateConsumer(ConnectionStateUpdates updates, ConsumerFailures failures) {
        this.updates = updates;
        this.failures = failures;
    }

    @Incoming(TOKENS)
    @Blocking
    @Retry(maxRetries = 20, delay = 250, jitter = 100, maxDuration = 5, durationUnit = ChronoUnit.MINUTES)
    @ExponentialBackoff(maxDelay = 15_000)
    public void onTokenState(ConsumerRecord<String, String> record) {
        TokenState t = ConsumerFailures.read(record, TokenState.class); // null: a tombstone (the connection is gone) or unreadable
        if (t != null) {
            failures.apply(TOKENS, record, () -> updates.apply(t));
        }
    }

    @Incoming(EVENTS)
    @Blocking
    @Retry(maxRetries = 20, delay = 250, jitter = 100, maxDuration = 5, durationUnit = ChronoUnit.MINUTES)
    @ExponentialBackoff(maxDelay = 15_000)
    public void onConnectionEvent(ConsumerRecord<String, String> record) {
        ConnectionEvent e = ConsumerFailures.read(record, ConnectionEvent.class);
        if (e != null) {
            failures.apply(EVENTS, record, () -> updates.apply(e));
        }
    }
}
