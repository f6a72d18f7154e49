package io.jsworkflows.refresher.service;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jboss.logging.Logger;

import io.jsworkflows.contracts.crypto.TokenCipher;
import io.jsworkflows.refresher.health.LoopHeartbeat;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;

/**
 * The scheduler thread: takes the refreshes the {@link RefreshSchedule} says are due, calls the token endpoint for
 * them, at most {@code maxInFlight} at once and one per connection, and hands each result to the
 * {@link ConnectionStateMachine}. A plain thread on a delay queue rather than a Quarkus {@code @Scheduled} job: due
 * times are per connection and to the millisecond, and tests and the benchmark run several replicas in one JVM.
 */
final class RefreshDispatcher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RefreshDispatcher.class);

    private final String name;
    private final PartitionBook book;
    private final RefreshSchedule schedule;
    private final ConnectionStateMachine machine;
    private final TokenCipher grantCipher;
    private final RefresherNode.Endpoint endpoint;
    private final RefresherStats stats;
    private final RefreshTracing tracing;

    private final Semaphore permits;
    private final AtomicInteger inFlight = new AtomicInteger();
    // results are applied off the HTTP client's event loop: applying one may wait for the broker (chain link)
    private final ExecutorService completions = Executors.newVirtualThreadPerTaskExecutor();
    private final Thread scheduler;
    private final LoopHeartbeat heartbeat;
    private volatile boolean running = true;

    RefreshDispatcher(String name, RefresherNode.Settings settings, PartitionBook book, RefreshSchedule schedule,
            ConnectionStateMachine machine, TokenCipher grantCipher, RefresherNode.Endpoint endpoint, RefresherStats stats,
            RefreshTracing tracing) {
        this.name = name;
        this.book = book;
        this.schedule = schedule;
        this.machine = machine;
        this.grantCipher = grantCipher;
        this.endpoint = endpoint;
        this.stats = stats;
        this.tracing = tracing;
        this.permits = new Semaphore(Math.max(1, settings.maxInFlight()));
        this.scheduler = Thread.ofPlatform().name(name + "-scheduler").daemon().unstarted(this::scheduleLoop);
        this.heartbeat = new LoopHeartbeat(name + "-scheduler", settings.loopStallTimeout());
    }

    void start() {
        scheduler.start();
    }

    /** Token endpoint calls in flight. */
    int inFlight() {
        return inFlight.get();
    }

    /** The scheduler loop: down when it stopped with an error or stalled. */
    LoopHeartbeat.Status status() {
        return heartbeat.status();
    }

    private void scheduleLoop() {
        try {
            while (running) {
                heartbeat.beat();
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
            heartbeat.closed();
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            heartbeat.closed();
        } catch (Throwable t) {
            heartbeat.died(t); // nothing would be refreshed any more: liveness goes DOWN
            LOG.errorf(t, "%s: scheduler stopped", name);
        }
    }

    /** Starts the due refresh, or returns false when the entry no longer wants it. */
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

    @Override
    public void close() {
        running = false;
        scheduler.interrupt();
        completions.shutdown();
        try {
            completions.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
    }
}
