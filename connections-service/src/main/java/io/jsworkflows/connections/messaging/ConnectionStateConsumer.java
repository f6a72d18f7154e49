package io.jsworkflows.connections.messaging;

import java.time.temporal.ChronoUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.jsworkflows.connections.service.ConnectionStateUpdates;
import io.jsworkflows.contracts.events.ConnectionEvent;
import io.jsworkflows.contracts.events.TokenState;
import io.jsworkflows.contracts.json.ContractsJson;
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

    private static final Logger LOG = Logger.getLogger(ConnectionStateConsumer.class);
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
        if (record.value() == null) {
            return; // tombstone: the connection is gone already
        }
        TokenState t;
        try {
            t = ContractsJson.read(record.value(), TokenState.class);
        } catch (IllegalArgumentException e) {
            LOG.warnf("skipping unreadable TokenState at %s-%d@%d: %s", record.topic(), record.partition(), record.offset(),
                    e.getMessage());
            return;
        }
        apply(TOKENS, record, () -> updates.apply(t));
    }

    @Incoming(EVENTS)
    @Blocking
    @Retry(maxRetries = 20, delay = 250, jitter = 100, maxDuration = 5, durationUnit = ChronoUnit.MINUTES)
    @ExponentialBackoff(maxDelay = 15_000)
    public void onConnectionEvent(ConsumerRecord<String, String> record) {
        if (record.value() == null) {
            return;
        }
        ConnectionEvent e;
        try {
            e = ContractsJson.read(record.value(), ConnectionEvent.class);
        } catch (IllegalArgumentException ex) {
            LOG.warnf("skipping unreadable ConnectionEvent at %s-%d@%d: %s", record.topic(), record.partition(), record.offset(),
                    ex.getMessage());
            return;
        }
        apply(EVENTS, record, () -> updates.apply(e));
    }

    private void apply(String channel, ConsumerRecord<String, String> record, Runnable update) {
        try {
            update.run();
            failures.succeeded(channel);
        } catch (RuntimeException ex) {
            failures.failed(channel);
            // the class only: a database message may quote row values
            LOG.warnf("applying %s-%d@%d failed (%s); retrying, nothing is skipped", record.topic(), record.partition(),
                    record.offset(), ex.getClass().getSimpleName());
            throw ex;
        }
    }
}
