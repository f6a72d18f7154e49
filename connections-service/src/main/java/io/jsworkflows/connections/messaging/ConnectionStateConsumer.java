package io.jsworkflows.connections.messaging;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.jsworkflows.connections.persistence.Connection;
import io.jsworkflows.contracts.CloudEventTypes;
import io.jsworkflows.contracts.events.ConnectionEvent;
import io.jsworkflows.contracts.events.ConnectionStatus;
import io.jsworkflows.contracts.events.TokenState;
import io.jsworkflows.contracts.json.ContractsJson;
import io.smallrye.common.annotation.Blocking;

/**
 * Keeps status, expiry and last refresh of connections current from token-refresher's TokenState and connection events.
 * Idempotent by version: only states of the connection's current grant are applied, and never one older than the
 * token version already seen, so redeliveries and replays change nothing.
 */
@ApplicationScoped
public class ConnectionStateConsumer {

    private static final Logger LOG = Logger.getLogger(ConnectionStateConsumer.class);
    /** Statuses the refresher may report; DELETED/REVOKED/PENDING are this service's own decisions. */
    private static final Set<ConnectionStatus> FROM_REFRESHER = EnumSet.of(ConnectionStatus.ACTIVE, ConnectionStatus.DEGRADED,
            ConnectionStatus.EXPIRED, ConnectionStatus.NEEDS_REAUTH);

    @Incoming("tokens")
    @Blocking
    @Transactional
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
        Connection c = t.connectionId() == null ? null : Connection.findById(t.connectionId(), LockModeType.PESSIMISTIC_WRITE);
        if (c == null || t.grantVersion() != c.grantVersion || t.tokenVersion() < c.tokenVersion) {
            return; // unknown, another grant, or older than what we have
        }
        // the status only from a strictly newer version: the refresher's event of this version may have set it already,
        // and a redelivered older copy must not undo that; expiry and last refresh only ever move forward
        if (t.tokenVersion() > c.tokenVersion && t.status() != null && FROM_REFRESHER.contains(t.status()) && isAuthorized(c)) {
            c.status = t.status();
            c.statusReason = t.statusReason();
        }
        c.tokenVersion = t.tokenVersion();
        if (t.expiresAt() != null && (c.expiresAt == null || t.expiresAt().isAfter(c.expiresAt))) {
            c.expiresAt = t.expiresAt();
        }
        if (t.refreshedAt() != null && (c.lastRefreshAt == null || t.refreshedAt().isAfter(c.lastRefreshAt))) {
            c.lastRefreshAt = t.refreshedAt();
        }
        c.updatedAt = Instant.now();
    }

    @Incoming("connection-events")
    @Blocking
    @Transactional
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
        if (CloudEventTypes.SOURCE_CONNECTIONS.equals(e.source()) || e.connectionId() == null) {
            return; // our own transitions, already applied when they were written
        }
        Connection c = Connection.findById(e.connectionId(), LockModeType.PESSIMISTIC_WRITE);
        if (c == null || e.grantVersion() != c.grantVersion || e.tokenVersion() < c.tokenVersion || !isAuthorized(c)) {
            return;
        }
        if (e.status() != null && FROM_REFRESHER.contains(e.status())) {
            c.status = e.status();
            c.statusReason = e.status() == ConnectionStatus.ACTIVE ? null : e.reason();
        }
        if (e.type() == ConnectionEvent.Type.REFRESHED && e.occurredAt() != null
                && (c.lastRefreshAt == null || e.occurredAt().isAfter(c.lastRefreshAt))) {
            c.lastRefreshAt = e.occurredAt();
        }
        c.tokenVersion = e.tokenVersion();
        c.updatedAt = Instant.now();
    }

    /** Only connections that hold a grant follow the refresher; a PENDING one has nothing to refresh. */
    private static boolean isAuthorized(Connection c) {
        return c.grantVersion > 0 && c.status != ConnectionStatus.DELETED && c.status != ConnectionStatus.REVOKED;
    }
}
