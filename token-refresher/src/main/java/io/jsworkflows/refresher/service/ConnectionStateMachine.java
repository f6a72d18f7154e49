package io.jsworkflows.refresher.service;

import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;

import org.jboss.logging.Logger;

import io.jsworkflows.contracts.CloudEventTypes;
import io.jsworkflows.contracts.Topics;
import io.jsworkflows.contracts.crypto.TokenCipher;
import io.jsworkflows.contracts.events.ConnectionEvent;
import io.jsworkflows.contracts.events.ConnectionStatus;
import io.jsworkflows.contracts.events.GrantState;
import io.jsworkflows.contracts.events.TokenState;

/**
 * What each change means for a connection: a new or changed grant, a refresh outcome (success, rejected refresh token,
 * rejected client, transient failure) or an expiry becomes the next TokenState, a connection event when its health
 * changes, a refresh chain link when the provider rotated the refresh token, and the next due time. Every method runs
 * with the entry's monitor held by the caller.
 */
final class ConnectionStateMachine {

    private static final Logger LOG = Logger.getLogger(ConnectionStateMachine.class);

    private final String name;
    private final RefresherNode.Settings settings;
    private final PartitionBook book;
    private final RefreshSchedule schedule;
    private final TokenCipher grantCipher;
    private final TokenCipher tokenCipher;
    private final StatePublisher publisher;
    private final RefresherStats stats;
    private final AtomicReference<String> alarm = new AtomicReference<>();

    ConnectionStateMachine(String name, RefresherNode.Settings settings, PartitionBook book, RefreshSchedule schedule,
            TokenCipher grantCipher, TokenCipher tokenCipher, StatePublisher publisher, RefresherStats stats) {
        this.name = name;
        this.settings = settings;
        this.book = book;
        this.schedule = schedule;
        this.grantCipher = grantCipher;
        this.tokenCipher = tokenCipher;
        this.publisher = publisher;
        this.stats = stats;
    }

    /** Brings the entry in line with its latest grant: publishes what readers lack and (re)schedules or stops refreshing. */
    void reconcile(ConnectionEntry e, long now) {
        GrantState g = e.grant;
        TokenState t = e.token;
        if (g == null) {
            if (t != null) {
                publisher.tokenTombstone(e.connectionId);
            }
            if (e.chain != null) {
                publisher.chainTombstone(e.connectionId);
                e.chain = null;
            }
            e.removed = true;
            schedule.unschedule(e);
            book.forget(e);
            return;
        }
        if (!refreshable(g)) {
            if (t != null && (t.grantVersion() < g.grantVersion() || t.status() != g.status())) {
                publish(e, g.status(), null, t.expiresAt(), Instant.ofEpochMilli(now), "grant status " + g.status());
            }
            schedule.unschedule(e);
            return;
        }
        if (t == null || t.grantVersion() < g.grantVersion()) {
            // a new authorization (first grant or reconnect): readers get its token now, and NEEDS_REAUTH is cleared
            e.transientFailures = 0;
            e.degradedAnnounced = false;
            e.misconfigured = false;
            e.lastSuccessAt = 0;
            boolean usable = g.sealedAccessToken() != null && g.expiresAt() != null && g.expiresAt().toEpochMilli() > now;
            if (usable) {
                publish(e, ConnectionStatus.ACTIVE, g.sealedAccessToken(), g.expiresAt(),
                        g.updatedAt() != null ? g.updatedAt() : Instant.ofEpochMilli(now), null);
                schedule.schedule(e, settings.timing().dueAt(now, g.expiresAt().toEpochMilli(), random()));
            } else {
                publish(e, ConnectionStatus.EXPIRED, null, g.expiresAt(), Instant.ofEpochMilli(now),
                        "the grant's access token has expired; refreshing");
                schedule.schedule(e, now);
            }
            return;
        }
        if (t.status() == ConnectionStatus.NEEDS_REAUTH) {
            schedule.unschedule(e); // nothing to do until the user reconnects (a newer grant)
            return;
        }
        if (e.inFlight) {
            return; // the completion schedules the next one
        }
        if (e.requested) {
            e.requested = false;
            schedule.schedule(e, now);
        } else if (e.dueAt == 0) {
            long expires = t.expiresAt() != null ? t.expiresAt().toEpochMilli() : now;
            schedule.schedule(e, settings.timing().dueAt(now, expires, random()));
        }
    }

    private static boolean refreshable(GrantState g) {
        return g.sealedRefreshToken() != null && (g.status() == ConnectionStatus.ACTIVE || g.status() == ConnectionStatus.DEGRADED
                || g.status() == ConnectionStatus.EXPIRED);
    }

    /**
     * The token endpoint's answer for the entry's current grant: the next token state, events and schedule.
     *
     * @return how the refresh is counted
     */
    RefresherStats.Outcome onOutcome(ConnectionEntry e, RefreshOutcome outcome, String usedRefreshToken, long now) {
        TokenState t = e.token;
        switch (outcome) {
            case RefreshOutcome.Success s -> {
                if (s.refreshToken() != null && !s.refreshToken().equals(usedRefreshToken) && !recordChain(e, s.refreshToken(), now)) {
                    // never publish a token state ahead of its chain: a crash right after would lose the refresh token
                    return onOutcome(e, new RefreshOutcome.Transient("the rotated refresh token could not be recorded on "
                            + Topics.REFRESH_CHAIN, null), s.refreshToken(), now);
                }
                boolean wasUnhealthy = e.degradedAnnounced || t.status() == ConnectionStatus.EXPIRED
                        || t.status() == ConnectionStatus.DEGRADED;
                int failures = e.transientFailures;
                publish(e, ConnectionStatus.ACTIVE, tokenCipher.seal(s.accessToken(), e.connectionId),
                        Instant.ofEpochMilli(now + s.expiresInSeconds() * 1000), Instant.ofEpochMilli(now), null);
                if (wasUnhealthy) {
                    event(e, ConnectionEvent.Type.RECOVERED, "refresh succeeded again after " + failures + " failed attempts");
                }
                e.transientFailures = 0;
                e.degradedAnnounced = false;
                e.misconfigured = false;
                e.lastSuccessAt = now;
                e.requested = false;
                alarm.set(null);
                stats.refresh(RefresherStats.Outcome.SUCCESS);
                schedule.schedule(e, settings.timing().dueAt(now, e.token.expiresAt().toEpochMilli(), random()));
                return RefresherStats.Outcome.SUCCESS;
            }
            case RefreshOutcome.Rejected r -> {
                publish(e, ConnectionStatus.NEEDS_REAUTH, null, t.expiresAt(), t.refreshedAt(), r.reason());
                event(e, ConnectionEvent.Type.NEEDS_REAUTH, r.reason());
                e.transientFailures = 0;
                e.degradedAnnounced = false;
                schedule.unschedule(e);
                stats.refresh(RefresherStats.Outcome.NEEDS_REAUTH);
                LOG.warnf("%s: connection %s (%s) needs the user to reconnect: %s", name, e.connectionId, e.grant.handle(),
                        r.reason());
                return RefresherStats.Outcome.NEEDS_REAUTH;
            }
            case RefreshOutcome.Misconfigured m -> {
                e.misconfigured = true;
                // counted before the alarm shows: whoever sees the alarm also sees the refresh that raised it
                stats.refresh(RefresherStats.Outcome.MISCONFIGURED);
                if (alarm.getAndSet(m.reason()) == null) {
                    LOG.errorf("%s: configuration alarm: %s", name, m.reason());
                    event(e, ConnectionEvent.Type.CONFIGURATION_ALARM, m.reason());
                }
                schedule.schedule(e, now + settings.configAlarmRetry().toMillis());
                return RefresherStats.Outcome.MISCONFIGURED;
            }
            case RefreshOutcome.Transient f -> {
                e.transientFailures++;
                if (!e.degradedAnnounced) {
                    e.degradedAnnounced = true;
                    if (t.status() == ConnectionStatus.ACTIVE) {
                        // the old token stays in use while it is valid; readers see the connection is degraded
                        publish(e, ConnectionStatus.DEGRADED, t.sealedAccessToken(), t.expiresAt(), t.refreshedAt(), f.reason());
                        event(e, ConnectionEvent.Type.DEGRADED, f.reason());
                    }
                    LOG.warnf("%s: refresh of %s failed, backing off: %s", name, e.connectionId, f.reason());
                }
                long delay = settings.timing().backoffMillis(e.transientFailures, f.retryAfter(), random());
                stats.refresh(RefresherStats.Outcome.TRANSIENT);
                schedule.schedule(e, now + delay);
                return RefresherStats.Outcome.TRANSIENT;
            }
        }
    }

    /**
     * Keeps the refresh token the provider rotated to, sealed, as the entry's next chain link, and writes it durably.
     * The link is kept in memory even when the write fails: the provider has already revoked the previous token.
     */
    private boolean recordChain(ConnectionEntry e, String refreshToken, long now) {
        RefreshChainState current = e.currentChain();
        RefreshChainState next = new RefreshChainState(RefreshChainState.SCHEMA_VERSION, e.connectionId, e.grant.workspaceId(),
                e.grant.grantVersion(), grantCipher.seal(refreshToken, e.connectionId),
                current == null ? 1 : current.chainVersion() + 1, Instant.ofEpochMilli(now));
        e.chain = next;
        try {
            publisher.chain(next);
            return true;
        } catch (RuntimeException ex) {
            LOG.errorf("%s: %s", name, ex instanceof StatePublisher.WriteFailedException ? ex.getMessage()
                    : "could not write the refresh chain of " + e.connectionId + " (" + ex.getClass().getSimpleName() + ")");
            return false;
        }
    }

    /** Publishes the next token state of {@code e} (tokenVersion + 1) and keeps it as the entry's current one. */
    private void publish(ConnectionEntry e, ConnectionStatus status, String sealedAccessToken, Instant expiresAt,
            Instant refreshedAt, String reason) {
        GrantState g = e.grant;
        long version = e.token == null ? 1 : e.token.tokenVersion() + 1;
        TokenState next = new TokenState(TokenState.SCHEMA_VERSION, e.connectionId, g.workspaceId(), g.handle(), g.hubId(),
                g.scopes(), status, status.usable() ? sealedAccessToken : null, expiresAt, version, g.grantVersion(), refreshedAt,
                reason);
        e.token = next;
        publisher.token(next);
    }

    private void event(ConnectionEntry e, ConnectionEvent.Type type, String reason) {
        GrantState g = e.grant;
        publisher.event(new ConnectionEvent(ConnectionEvent.SCHEMA_VERSION, UUID.randomUUID().toString(), type, e.connectionId,
                g.workspaceId(), g.handle(), e.token.status(), reason, g.grantVersion(), e.token.tokenVersion(),
                CloudEventTypes.SOURCE_REFRESHER, Instant.now()));
    }

    /** The entry's usable token ran out: EXPIRED for readers, and counted if it happened while this replica owned it. */
    void expired(ConnectionEntry e, TokenState t, PartitionBook.PartitionState ps, long now) {
        if (t.expiresAt().toEpochMilli() > ps.assignedAt) {
            stats.expiredWhileOwned();
        }
        String reason = e.transientFailures > 0 || e.misconfigured
                ? "the access token expired while refreshes kept failing"
                : "the access token expired before it was refreshed";
        publish(e, ConnectionStatus.EXPIRED, null, t.expiresAt(), t.refreshedAt(), reason);
        event(e, ConnectionEvent.Type.EXPIRED, reason);
        LOG.warnf("%s: connection %s: %s", name, e.connectionId, reason);
        if (!e.inFlight && e.dueAt == 0) {
            schedule.schedule(e, now);
        }
    }

    /** The configuration alarm's reason, or null when none is raised. */
    String configurationAlarm() {
        return alarm.get();
    }

    private static double random() {
        return ThreadLocalRandom.current().nextDouble();
    }
}
