package io.jsworkflows.refresher.service;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.jboss.logging.Logger;

import io.jsworkflows.contracts.CloudEventTypes;
import io.jsworkflows.contracts.Topics;
import io.jsworkflows.contracts.crypto.TokenCipher;
import io.jsworkflows.contracts.events.ConnectionEvent;
import io.jsworkflows.contracts.events.ConnectionStatus;
import io.jsworkflows.contracts.events.GrantState;
import io.jsworkflows.contracts.events.RefreshRequest;
import io.jsworkflows.contracts.events.TokenState;
import io.jsworkflows.refresher.health.LoopHeartbeat;
import io.smallrye.mutiny.Uni;

/**
 * The schedule and state of the connections in the partitions this replica owns. The partition owner feeds it grants
 * and the tokens read back on assignment; a scheduler thread starts refreshes when they fall due, at most
 * {@code maxInFlight} at once and one per connection; results become TokenState records and, on health changes,
 * connection events.
 */
public final class RefresherNode implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RefresherNode.class);

    /** The token endpoint as the node sees it (so the benchmark and tests can count or wrap calls). */
    public interface Endpoint {
        Uni<RefreshOutcome> refresh(String refreshToken);
    }

    /** The settings the node uses, taken from configuration. */
    public record Settings(RefreshTiming timing, int maxInFlight, Duration configAlarmRetry, Duration recentRefreshWindow,
            Duration sweepInterval, Duration handoverTimeout, Duration loopStallTimeout) {
    }

    private final String name;
    private final Settings settings;
    private final TokenCipher grantCipher;
    private final TokenCipher tokenCipher;
    private final Endpoint endpoint;
    private final StatePublisher publisher;
    private final RefresherStats stats;

    private final ConcurrentHashMap<String, ConnectionEntry> entries = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Integer, PartitionState> partitions = new ConcurrentHashMap<>();
    private final DelayQueue<Due> queue = new DelayQueue<>();
    private final Semaphore permits;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicReference<String> alarm = new AtomicReference<>();
    private final ExecutorService completions = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService sweeper;
    private final Thread scheduler;
    private final LoopHeartbeat schedulerHeartbeat;
    private volatile boolean running = true;

    public RefresherNode(String name, Settings settings, TokenCipher grantCipher, TokenCipher tokenCipher, Endpoint endpoint,
            StatePublisher publisher, RefresherStats stats) {
        this.name = name;
        this.settings = settings;
        this.grantCipher = grantCipher;
        this.tokenCipher = tokenCipher;
        this.endpoint = endpoint;
        this.publisher = publisher;
        this.stats = stats;
        this.permits = new Semaphore(Math.max(1, settings.maxInFlight()));
        stats.gauges(this::scheduledCount, inFlight::get, entries::size, partitions::size, () -> alarm.get() == null ? 0 : 1);
        this.scheduler = Thread.ofPlatform().name(name + "-scheduler").daemon().unstarted(this::scheduleLoop);
        this.schedulerHeartbeat = new LoopHeartbeat(name + "-scheduler", settings.loopStallTimeout());
        this.sweeper = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name(name + "-sweeper").daemon().factory());
    }

    public void start() {
        scheduler.start();
        long every = Math.max(50, settings.sweepInterval().toMillis());
        sweeper.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
    }

    // ---------------------------------------------------------------- partition ownership (consumer thread)

    public void partitionAssigned(int partition) {
        partitions.put(partition, new PartitionState(System.currentTimeMillis()));
    }

    /** A token record read back while rebuilding a partition: keep the newest per connection. */
    public void applyToken(int partition, String connectionId, TokenState token) {
        ConnectionEntry e = entries.computeIfAbsent(connectionId, id -> new ConnectionEntry(id, partition));
        synchronized (e) {
            if (token == null) {
                e.token = null;
            } else if (token.isNewerThan(e.token)) {
                e.token = token;
            }
        }
    }

    /** A refresh chain record read back while rebuilding a partition: keep the latest link per connection. */
    public void applyChain(int partition, String connectionId, RefreshChainState link) {
        ConnectionEntry e = entries.computeIfAbsent(connectionId, id -> new ConnectionEntry(id, partition));
        synchronized (e) {
            if (link == null) {
                e.chain = null;
            } else if (link.isNewerThan(e.chain)) {
                e.chain = link;
            }
        }
    }

    /** A grant record (null value: the connection was deleted). Acts at once when the partition is caught up. */
    public void applyGrant(int partition, String connectionId, GrantState grant) {
        ConnectionEntry e = grant == null ? entries.get(connectionId)
                : entries.computeIfAbsent(connectionId, id -> new ConnectionEntry(id, partition));
        if (e == null) {
            return;
        }
        synchronized (e) {
            if (grant == null) {
                e.grant = null;
            } else {
                if (e.grant != null && grant.grantVersion() < e.grant.grantVersion()) {
                    return; // an older authorization, superseded
                }
                e.grant = grant; // a chain link of an older grant version stops counting (ConnectionEntry.currentChain)
            }
            if (caughtUp(e.partition)) {
                reconcile(e, System.currentTimeMillis());
            }
        }
    }

    /** Everything of the partition has been read: publish what the read-back state lacks and start scheduling. */
    public void partitionCaughtUp(int partition) {
        PartitionState ps = partitions.get(partition);
        if (ps == null) {
            return;
        }
        ps.caughtUp = true;
        long now = System.currentTimeMillis();
        int count = 0;
        for (ConnectionEntry e : entries.values()) {
            if (e.partition == partition) {
                synchronized (e) {
                    reconcile(e, now);
                }
                count++;
            }
        }
        LOG.infof("%s: partition %d rebuilt with %d connections in %d ms", name, partition, count, now - ps.assignedAt);
    }

    /**
     * Gives partitions up. On an orderly revocation, refreshes already running finish and are published first, so the
     * next owner reads their results; a lost partition may already have a new owner, so it is dropped at once.
     */
    public void partitionsRevoked(Collection<Integer> revoked, boolean lost) {
        for (Integer p : revoked) {
            PartitionState ps = partitions.get(p);
            if (ps != null) {
                ps.revoking = true;
            }
        }
        if (!lost) {
            long deadline = System.nanoTime() + settings.handoverTimeout().toNanos();
            for (Integer p : revoked) {
                PartitionState ps = partitions.get(p);
                while (ps != null && ps.inFlight.get() > 0 && System.nanoTime() < deadline) {
                    try {
                        Thread.sleep(5);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
            }
            publisher.flush();
        }
        int dropped = 0;
        for (ConnectionEntry e : entries.values()) {
            if (revoked.contains(e.partition)) {
                synchronized (e) {
                    e.removed = true;
                    unschedule(e);
                }
                entries.remove(e.connectionId, e);
                dropped++;
            }
        }
        revoked.forEach(partitions::remove);
        LOG.infof("%s: partitions %s %s, %d connections dropped", name, revoked, lost ? "lost" : "revoked", dropped);
    }

    // ---------------------------------------------------------------- refresh requests

    /**
     * Refresh now, unless one succeeded within the recent window, a refresh is already coming, or the requester simply
     * has not seen the newer token that is already published (a known version of 0 means "unknown").
     */
    public boolean onRefreshRequest(RefreshRequest request) {
        ConnectionEntry e = entries.get(request.connectionId());
        if (e == null) {
            return false; // not ours (or unknown)
        }
        long now = System.currentTimeMillis();
        synchronized (e) {
            PartitionState ps = partitions.get(e.partition);
            if (e.removed || ps == null || ps.revoking) {
                return false;
            }
            if (!ps.caughtUp) {
                e.requested = true;
                stats.request(true);
                return true;
            }
            String ignored = null;
            if (e.grant == null || e.token == null || e.token.status() == ConnectionStatus.NEEDS_REAUTH) {
                ignored = "not refreshable";
            } else if (now - e.lastSuccessAt < settings.recentRefreshWindow().toMillis()) {
                ignored = "refreshed recently";
            } else if (request.knownTokenVersion() > 0 && request.knownTokenVersion() < e.token.tokenVersion()
                    && e.token.status().usable() && e.dueAt > now) {
                ignored = "the requester holds an older token than the one already published";
            } else if (e.inFlight) {
                ignored = "a refresh is in flight";
            } else if (e.transientFailures > 0 || e.misconfigured) {
                ignored = "backing off after failures";
            }
            if (ignored != null) {
                LOG.debugf("%s: refresh request for %s ignored: %s", name, e.connectionId, ignored);
                stats.request(false);
                return false;
            }
            LOG.debugf("%s: refresh request for %s (%s)", name, e.connectionId, request.reason());
            schedule(e, now);
            stats.request(true);
            return true;
        }
    }

    // ---------------------------------------------------------------- state machine (caller holds the entry's monitor)

    private void reconcile(ConnectionEntry e, long now) {
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
            unschedule(e);
            entries.remove(e.connectionId, e);
            return;
        }
        if (!refreshable(g)) {
            if (t != null && (t.grantVersion() < g.grantVersion() || t.status() != g.status())) {
                publish(e, g.status(), null, t.expiresAt(), Instant.ofEpochMilli(now), "grant status " + g.status());
            }
            unschedule(e);
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
                schedule(e, settings.timing().dueAt(now, g.expiresAt().toEpochMilli(), random()));
            } else {
                publish(e, ConnectionStatus.EXPIRED, null, g.expiresAt(), Instant.ofEpochMilli(now),
                        "the grant's access token has expired; refreshing");
                schedule(e, now);
            }
            return;
        }
        if (t.status() == ConnectionStatus.NEEDS_REAUTH) {
            unschedule(e); // nothing to do until the user reconnects (a newer grant)
            return;
        }
        if (e.inFlight) {
            return; // the completion schedules the next one
        }
        if (e.requested) {
            e.requested = false;
            schedule(e, now);
        } else if (e.dueAt == 0) {
            long expires = t.expiresAt() != null ? t.expiresAt().toEpochMilli() : now;
            schedule(e, settings.timing().dueAt(now, expires, random()));
        }
    }

    private static boolean refreshable(GrantState g) {
        return g.sealedRefreshToken() != null && (g.status() == ConnectionStatus.ACTIVE || g.status() == ConnectionStatus.DEGRADED
                || g.status() == ConnectionStatus.EXPIRED);
    }

    private void onOutcome(ConnectionEntry e, RefreshOutcome outcome, String usedRefreshToken, long now) {
        TokenState t = e.token;
        switch (outcome) {
            case RefreshOutcome.Success s -> {
                if (s.refreshToken() != null && !s.refreshToken().equals(usedRefreshToken) && !recordChain(e, s.refreshToken(), now)) {
                    // never publish a token state ahead of its chain: a crash right after would lose the refresh token
                    onOutcome(e, new RefreshOutcome.Transient("the rotated refresh token could not be recorded on "
                            + Topics.REFRESH_CHAIN, null), s.refreshToken(), now);
                    return;
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
                schedule(e, settings.timing().dueAt(now, e.token.expiresAt().toEpochMilli(), random()));
            }
            case RefreshOutcome.Rejected r -> {
                publish(e, ConnectionStatus.NEEDS_REAUTH, null, t.expiresAt(), t.refreshedAt(), r.reason());
                event(e, ConnectionEvent.Type.NEEDS_REAUTH, r.reason());
                e.transientFailures = 0;
                e.degradedAnnounced = false;
                unschedule(e);
                stats.refresh(RefresherStats.Outcome.NEEDS_REAUTH);
                LOG.warnf("%s: connection %s (%s) needs the user to reconnect: %s", name, e.connectionId, e.grant.handle(),
                        r.reason());
            }
            case RefreshOutcome.Misconfigured m -> {
                e.misconfigured = true;
                // counted before the alarm shows: whoever sees the alarm also sees the refresh that raised it
                stats.refresh(RefresherStats.Outcome.MISCONFIGURED);
                if (alarm.getAndSet(m.reason()) == null) {
                    LOG.errorf("%s: configuration alarm: %s", name, m.reason());
                    event(e, ConnectionEvent.Type.CONFIGURATION_ALARM, m.reason());
                }
                schedule(e, now + settings.configAlarmRetry().toMillis());
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
                schedule(e, now + delay);
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

    private void schedule(ConnectionEntry e, long at) {
        e.scheduleSeq++;
        e.dueAt = Math.max(at, 1);
        queue.add(new Due(e, e.scheduleSeq, e.dueAt));
    }

    private static void unschedule(ConnectionEntry e) {
        e.scheduleSeq++;
        e.dueAt = 0;
    }

    // ---------------------------------------------------------------- scheduler and refresh execution

    private void scheduleLoop() {
        try {
            while (running) {
                schedulerHeartbeat.beat();
                try {
                    Due d = queue.poll(200, TimeUnit.MILLISECONDS);
                    if (d == null || !isCurrent(d)) {
                        continue;
                    }
                    permits.acquire();
                    if (!start(d)) {
                        permits.release();
                    }
                } catch (RuntimeException ex) {
                    LOG.errorf(ex, "%s: scheduler error", name);
                }
            }
            schedulerHeartbeat.closed();
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            schedulerHeartbeat.closed();
        } catch (Throwable t) {
            schedulerHeartbeat.died(t); // nothing would be refreshed any more: liveness goes DOWN
            LOG.errorf(t, "%s: scheduler stopped", name);
        }
    }

    private static boolean isCurrent(Due d) {
        synchronized (d.entry) {
            return !d.entry.removed && d.entry.scheduleSeq == d.seq && !d.entry.inFlight;
        }
    }

    private boolean start(Due d) {
        ConnectionEntry e = d.entry;
        long now = System.currentTimeMillis();
        long grantVersion;
        String sealedRefresh;
        PartitionState ps;
        synchronized (e) {
            ps = partitions.get(e.partition);
            if (e.removed || e.scheduleSeq != d.seq || e.inFlight || e.grant == null || ps == null || !ps.caughtUp
                    || ps.revoking) {
                return false;
            }
            e.inFlight = true;
            e.dueAt = 0;
            grantVersion = e.grant.grantVersion();
            sealedRefresh = e.sealedRefreshToken();
            ps.inFlight.incrementAndGet();
        }
        inFlight.incrementAndGet();
        stats.lag(now - d.at);
        String refreshToken;
        try {
            refreshToken = grantCipher.open(sealedRefresh, e.connectionId);
        } catch (TokenCipher.SealedValueException ex) {
            complete(e, grantVersion, ps, new RefreshOutcome.Misconfigured(
                    "the grant key ring (jsw.crypto.grant-keys) cannot open a refresh token: " + ex.getMessage()), null);
            return true;
        }
        final String used = refreshToken;
        endpoint.refresh(refreshToken).subscribe().with(
                outcome -> completions.execute(() -> complete(e, grantVersion, ps, outcome, used)),
                failure -> completions.execute(() -> complete(e, grantVersion, ps,
                        new RefreshOutcome.Transient("token endpoint call failed (" + failure.getClass().getSimpleName() + ")",
                                null), used)));
        return true;
    }

    private void complete(ConnectionEntry e, long grantVersion, PartitionState ps, RefreshOutcome outcome, String used) {
        try {
            synchronized (e) {
                e.inFlight = false;
                if (e.removed) {
                    stats.refresh(RefresherStats.Outcome.DISCARDED);
                } else if (e.grant == null || e.grant.grantVersion() != grantVersion) {
                    // a reconnect arrived meanwhile: this result belongs to the old grant
                    stats.refresh(RefresherStats.Outcome.DISCARDED);
                    e.dueAt = 0;
                    if (caughtUp(e.partition)) {
                        reconcile(e, System.currentTimeMillis());
                    }
                } else {
                    onOutcome(e, outcome, used, System.currentTimeMillis());
                }
            }
        } catch (RuntimeException ex) {
            LOG.errorf(ex, "%s: could not record the refresh result of %s", name, e.connectionId);
        } finally {
            ps.inFlight.decrementAndGet();
            inFlight.decrementAndGet();
            permits.release();
        }
    }

    private void complete(ConnectionEntry e, long grantVersion, PartitionState ps, RefreshOutcome outcome) {
        complete(e, grantVersion, ps, outcome, null);
    }

    /** Owned tokens that ran out: EXPIRED for readers, and the must-stay-zero metric if it happened on our watch. */
    private void sweep() {
        try {
            long now = System.currentTimeMillis();
            for (ConnectionEntry e : entries.values()) {
                TokenState t = e.token;
                if (t == null || !t.status().usable() || t.expiresAt() == null || t.expiresAt().toEpochMilli() > now) {
                    continue;
                }
                synchronized (e) {
                    t = e.token;
                    PartitionState ps = partitions.get(e.partition);
                    if (e.removed || ps == null || !ps.caughtUp || t == null || !t.status().usable()
                            || t.expiresAt().toEpochMilli() > now) {
                        continue;
                    }
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
                        schedule(e, now);
                    }
                }
            }
        } catch (RuntimeException ex) {
            LOG.errorf(ex, "%s: expiry sweep failed", name);
        }
    }

    // ---------------------------------------------------------------- views

    private boolean caughtUp(int partition) {
        PartitionState ps = partitions.get(partition);
        return ps != null && ps.caughtUp && !ps.revoking;
    }

    public int scheduledCount() {
        int n = 0;
        for (ConnectionEntry e : entries.values()) {
            if (e.dueAt != 0) {
                n++;
            }
        }
        return n;
    }

    public int ownedConnections() {
        return entries.size();
    }

    public int inFlight() {
        return inFlight.get();
    }

    /** The refresh scheduler's loop: down when it stopped with an error or stalled. */
    public LoopHeartbeat.Status schedulerStatus() {
        return schedulerHeartbeat.status();
    }

    /** The configuration alarm's reason, or null when none is raised. */
    public String configurationAlarm() {
        return alarm.get();
    }

    public RefresherStats stats() {
        return stats;
    }

    public String name() {
        return name;
    }

    private static double random() {
        return ThreadLocalRandom.current().nextDouble();
    }

    @Override
    public void close() {
        running = false;
        scheduler.interrupt();
        sweeper.shutdownNow();
        completions.shutdown();
        try {
            completions.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
    }

    /** Ownership state of one partition. */
    static final class PartitionState {
        final long assignedAt;
        volatile boolean caughtUp;
        volatile boolean revoking;
        final AtomicInteger inFlight = new AtomicInteger();

        PartitionState(long assignedAt) {
            this.assignedAt = assignedAt;
        }
    }

    /** A queued due time; stale when the entry's schedule changed since. */
    record Due(ConnectionEntry entry, long seq, long at) implements Delayed {
        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(at - System.currentTimeMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            return Long.compare(at, ((Due) o).at);
        }
    }
}
