package io.jsworkflows.refresher.service;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jboss.logging.Logger;

import io.jsworkflows.contracts.events.TokenState;

/**
 * Finds owned tokens that ran out (EXPIRED for readers, and the must-stay-zero metric if it happened on this replica's
 * watch) and reports the soonest expiry for the gauge. Its own thread rather than {@code @Scheduled}: each replica in
 * the JVM (tests, benchmark) sweeps only its own book.
 */
final class ExpirySweeper implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ExpirySweeper.class);

    private final String name;
    private final Duration interval;
    private final PartitionBook book;
    private final ConnectionStateMachine machine;
    private final ScheduledExecutorService sweeper;

    ExpirySweeper(String name, Duration interval, PartitionBook book, ConnectionStateMachine machine) {
        this.name = name;
        this.interval = interval;
        this.book = book;
        this.machine = machine;
        this.sweeper = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name(name + "-sweeper").daemon().factory());
    }

    void start() {
        long every = Math.max(50, interval.toMillis());
        sweeper.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
    }

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

    @Override
    public void close() {
        sweeper.shutdownNow();
    }
}
