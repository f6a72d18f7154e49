package io.jsworkflows.connections.service;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import io.jsworkflows.connections.persistence.Connection;
import io.jsworkflows.contracts.CloudEventTypes;
import io.jsworkflows.contracts.events.ConnectionEvent;
import io.jsworkflows.contracts.events.ConnectionStatus;
import io.jsworkflows.contracts.events.TokenState;

/**
 * Applies token-refresher's TokenState and connection events to the connections, one transaction each (so that a
 * retry starts afresh). Idempotent by version: only states of the connection's current grant are applied, and never
 * one older than the token version already seen, so redeliveries and replays change nothing.
 */
@ApplicationScoped
public class ConnectionStateUpdates {

    /** Statuses the refresher may report; DELETED/REVOKED/PENDING are this service's own decisions. */
    private static final Set<ConnectionStatus> FROM_REFRESHER = EnumSet.of(ConnectionStatus.ACTIVE, ConnectionStatus.DEGRADED,
            ConnectionStatus.EXPIRED, ConnectionStatus.NEEDS_REAUTH);

    @Transactional
    public void apply(TokenState t) {
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

    @Transactional
    public void apply(ConnectionEvent e) {
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
