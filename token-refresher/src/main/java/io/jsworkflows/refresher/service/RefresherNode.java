package io.jsworkflows.refresher.service;

import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jboss.logging.Logger;

import io.jsworkflows.contracts.crypto.TokenCipher;
import io.jsworkflows.contracts.events.ConnectionStatus;
import io.jsworkflows.contracts.events.GrantState;
import io.jsworkflows.contracts.events.RefreshRequest;
import io.jsworkflows.contracts.events.TokenState;
import io.jsworkflows.refresher.health.LoopHeartbeat;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.smallrye.mutiny.Uni;

/**
 * Runs the refreshes of the partitions this replica owns. The partition owner feeds it grants and the tokens and chain
 * links read back on assignment (kept in the {@link PartitionBook}); a scheduler thread starts refreshes when the
 * {@link RefreshSchedule} says they are due, at most {@code maxInFlight} at once and one per connection; a sweeper
 * finds tokens that ran out; what each result means is the {@link ConnectionStateMachine}'s job.
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
    private final PartitionBook book;
    private final RefreshSchedule schedule;
    private final ConnectionStateMachine machine;
    private final TokenCipher grantCipher;
    private final Endpoint endpoint;
    private final StatePublisher publisher;
    private final RefresherStats stats;
    private final RefreshTracing tracing;

    private final Semaphore permits;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ExecutorService completions = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService sweeper;
    private final Thread scheduler;
    private final LoopHeartbeat schedulerHeartbeat;
    private volatile boolean running = true;

    /** A node with its own partition book, schedule and state machine, without tracing. */
    public RefresherNode(String name, Settings settings, TokenCipher grantCipher, TokenCipher tokenCipher, Endpoint endpoint,
            StatePublisher publisher, RefresherStats stats) {
        this(name, settings, grantCipher, tokenCipher, endpoint, publisher, stats, RefreshTracing.off());
    }

    /** A node with its own partition book, schedule and state machine. */
    public RefresherNode(String name, Settings settings, TokenCipher grantCipher, TokenCipher tokenCipher, Endpoint endpoint,
            StatePublisher publisher, RefresherStats stats, RefreshTracing tracing) {
        PartitionBook book = new PartitionBook();
        RefreshSchedule schedule = new RefreshSchedule();
        this(name, settings, book, schedule,
                new ConnectionStateMachine(name, settings, book, schedule, grantCipher, tokenCipher, publisher, stats), grantCipher,
                endpoint, publisher, stats, tracing);
    }

    RefresherNode(String name, Settings settings, PartitionBook book, RefreshSchedule schedule, ConnectionStateMachine machine,
            TokenCipher grantCipher, Endpoint endpoint, StatePublisher publisher, RefresherStats stats, RefreshTracing tracing) {
        this.name = name;
        this.settings = settings;
        this.book = book;
        this.schedule = schedule;
        this.machine = machine;
        this.grantCipher = grantCipher;
        this.endpoint = endpoint;
        this.publisher = publisher;
        this.stats = stats;
        this.tracing = tracing;
        this.permits = new Semaphore(Math.max(1, settings.maxInFlight()));
        stats.gauges(book::scheduledCount, inFlight::get, book::connections, book::partitionCount,
                () -> machine.configurationAlarm() == null ? 0 : 1, this::soonestExpirySeconds);
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
        book.assigned(partition, System.currentTimeMillis());
    }

    /** A token record read back while rebuilding a partition: keep the newest per connection. */
    public void applyToken(int partition, String connectionId, TokenState token) {
        ConnectionEntry e = book.entryFor(connectionId, partition);
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
        ConnectionEntry e = book.entryFor(connectionId, partition);
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
        ConnectionEntry e = grant == null ? book.entry(connectionId)
                : book.entryFor(connectionId, partition);
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
            if (book.caughtUp(e.partition)) {
                machine.reconcile(e, System.currentTimeMillis());
            }
        }
    }

    /** Everything of the partition has been read: publish what the read-back state lacks and start scheduling. */
    public void partitionCaughtUp(int partition) {
        PartitionBook.PartitionState ps = book.partition(partition);
        if (ps == null) {
            return;
        }
        ps.caughtUp = true;
        long now = System.currentTimeMillis();
        int count = 0;
        for (ConnectionEntry e : book.entries()) {
            if (e.partition == partition) {
                synchronized (e) {
                    machine.reconcile(e, now);
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
            PartitionBook.PartitionState ps = book.partition(p);
            if (ps != null) {
                ps.revoking = true;
            }
        }
        if (!lost) {
            long deadline = System.nanoTime() + settings.handoverTimeout().toNanos();
            for (Integer p : revoked) {
                PartitionBook.PartitionState ps = book.partition(p);
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
        for (ConnectionEntry e : book.entries()) {
            if (revoked.contains(e.partition)) {
                synchronized (e) {
                    e.removed = true;
                    schedule.unschedule(e);
                }
                book.forget(e);
                dropped++;
            }
        }
        revoked.forEach(book::removePartition);
        LOG.infof("%s: partitions %s %s, %d connections dropped", name, revoked, lost ? "lost" : "revoked", dropped);
    }

    // ---------------------------------------------------------------- refresh requests

    /**
     * Refresh now, unless one succeeded within the recent window, a refresh is already coming, or the requester simply
     * has not seen the newer token that is already published (a known version of 0 means "unknown").
     */
    public boolean onRefreshRequest(RefreshRequest request) {
        return onRefreshRequest(request, null);
    }

    /** @param requestedBy the requester's trace (from the request record's {@code traceparent}), or null */
    public boolean onRefreshRequest(RefreshRequest request, Context requestedBy) {
        ConnectionEntry e = book.entry(request.connectionId());
        if (e == null) {
            return false; // not ours (or unknown)
        }
        long now = System.currentTimeMillis();
        synchronized (e) {
            PartitionBook.PartitionState ps = book.partition(e.partition);
            if (e.removed || ps == null || ps.revoking) {
                return false;
            }
            if (!ps.caughtUp) {
                e.requested = true;
                e.requestedBy = requestedBy;
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
            schedule.schedule(e, now);
            e.requestedBy = requestedBy;
            stats.request(true);
            return true;
        }
    }

    // ---------------------------------------------------------------- scheduler and refresh execution

    private void scheduleLoop() {
        try {
            while (running) {
                schedulerHeartbeat.beat();
                try {
                    RefreshSchedule.Due d = schedule.nextDue(200);
                    if (d == null) {
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

    private boolean start(RefreshSchedule.Due d) {
        ConnectionEntry e = d.entry();
        long now = System.currentTimeMillis();
        long grantVersion;
        String sealedRefresh;
        String workspaceId;
        Context requestedBy;
        PartitionBook.PartitionState ps;
        synchronized (e) {
            ps = book.partition(e.partition);
            if (e.removed || e.scheduleSeq != d.seq() || e.inFlight || e.grant == null || ps == null || !ps.caughtUp
                    || ps.revoking) {
                return false;
            }
            e.inFlight = true;
            e.dueAt = 0;
            grantVersion = e.grant.grantVersion();
            sealedRefresh = e.sealedRefreshToken();
            workspaceId = e.grant.workspaceId();
            requestedBy = e.requestedBy;
            e.requestedBy = null;
            ps.inFlight.incrementAndGet();
        }
        Span span = tracing.start(e.connectionId, workspaceId, requestedBy);
        long startedAt = System.nanoTime();
        inFlight.incrementAndGet();
        stats.lag(now - d.at());
        String refreshToken;
        try {
            refreshToken = grantCipher.open(sealedRefresh, e.connectionId);
        } catch (TokenCipher.SealedValueException ex) {
            complete(e, grantVersion, ps, new RefreshOutcome.Misconfigured(
                    "the grant key ring (jsw.crypto.grant-keys) cannot open a refresh token: " + ex.getMessage()), null, span,
                    startedAt);
            return true;
        }
        final String used = refreshToken;
        try (Scope ignored = span.makeCurrent()) { // the token endpoint call's client span, if any, belongs to the refresh
            endpoint.refresh(refreshToken).subscribe().with(
                    outcome -> completions.execute(() -> complete(e, grantVersion, ps, outcome, used, span, startedAt)),
                    failure -> completions.execute(() -> complete(e, grantVersion, ps,
                            new RefreshOutcome.Transient("token endpoint call failed (" + failure.getClass().getSimpleName() + ")",
                                    null), used, span, startedAt)));
        }
        return true;
    }

    private void complete(ConnectionEntry e, long grantVersion, PartitionBook.PartitionState ps, RefreshOutcome outcome,
            String used, Span span, long startedAt) {
        RefresherStats.Outcome counted = RefresherStats.Outcome.DISCARDED;
        // what the result publishes (token state, events, chain link) carries the refresh's trace
        try (Scope ignored = span.makeCurrent()) {
            synchronized (e) {
                e.inFlight = false;
                if (e.removed) {
                    stats.refresh(RefresherStats.Outcome.DISCARDED);
                } else if (e.grant == null || e.grant.grantVersion() != grantVersion) {
                    // a reconnect arrived meanwhile: this result belongs to the old grant
                    stats.refresh(RefresherStats.Outcome.DISCARDED);
                    e.dueAt = 0;
                    if (book.caughtUp(e.partition)) {
                        machine.reconcile(e, System.currentTimeMillis());
                    }
                } else {
                    counted = machine.onOutcome(e, outcome, used, System.currentTimeMillis());
                }
            }
        } catch (RuntimeException ex) {
            LOG.errorf(ex, "%s: could not record the refresh result of %s", name, e.connectionId);
        } finally {
            stats.duration(counted, System.nanoTime() - startedAt);
            RefreshTracing.end(span, counted);
            ps.inFlight.decrementAndGet();
            inFlight.decrementAndGet();
            permits.release();
        }
    }

    /** Owned tokens that ran out: EXPIRED for readers, and the must-stay-zero metric if it happened on our watch. */
    private void sweep() {
        try {
            long now = System.currentTimeMillis();
            for (ConnectionEntry e : book.entries()) {
                TokenState t = e.token;
                if (t == null || !t.status().usable() || t.expiresAt() == null || t.expiresAt().toEpochMilli() > now) {
                    continue;
                }
                synchronized (e) {
                    t = e.token;
                    PartitionBook.PartitionState ps = book.partition(e.partition);
                    if (e.removed || ps == null || !ps.caughtUp || t == null || !t.status().usable()
                            || t.expiresAt().toEpochMilli() > now) {
                        continue;
                    }
                    machine.expired(e, t, ps, now);
                }
            }
        } catch (RuntimeException ex) {
            LOG.errorf(ex, "%s: expiry sweep failed", name);
        }
    }

    // ---------------------------------------------------------------- views

    /** Seconds until the soonest usable owned token expires (negative: already expired), NaN when there is none. */
    double soonestExpirySeconds() {
        long now = System.currentTimeMillis();
        long soonest = Long.MAX_VALUE;
        for (ConnectionEntry e : book.entries()) {
            TokenState t = e.token; // a racy read is fine for a gauge
            if (t != null && t.status().usable() && t.expiresAt() != null) {
                soonest = Math.min(soonest, t.expiresAt().toEpochMilli());
            }
        }
        return soonest == Long.MAX_VALUE ? Double.NaN : (soonest - now) / 1000.0;
    }

    public int scheduledCount() {
        return book.scheduledCount();
    }

    public int ownedConnections() {
        return book.connections();
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
        return machine.configurationAlarm();
    }

    public RefresherStats stats() {
        return stats;
    }

    public String name() {
        return name;
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
}
