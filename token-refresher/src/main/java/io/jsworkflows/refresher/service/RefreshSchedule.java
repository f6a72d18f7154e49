package io.jsworkflows.refresher.service;

import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;

/**
 * When each owned connection is refreshed next: one pending due time per entry, kept in a delay queue. Rescheduling
 * bumps the entry's sequence, so an earlier queued due time is recognised as stale instead of being searched for.
 */
final class RefreshSchedule {

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

    private final DelayQueue<Due> queue = new DelayQueue<>();

    /** Refresh {@code e} at epoch millis {@code at}, replacing what was scheduled (caller holds the entry's monitor). */
    void schedule(ConnectionEntry e, long at) {
        e.scheduleSeq++;
        e.dueAt = Math.max(at, 1);
        queue.add(new Due(e, e.scheduleSeq, e.dueAt));
    }

    /** Nothing scheduled for {@code e} any more (caller holds the entry's monitor). */
    void unschedule(ConnectionEntry e) {
        e.scheduleSeq++;
        e.dueAt = 0;
    }

    /** The next due time that is still current, or null when none fell due within the timeout. */
    Due nextDue(long timeoutMillis) throws InterruptedException {
        Due d = queue.poll(timeoutMillis, TimeUnit.MILLISECONDS);
        return d == null || !isCurrent(d) ? null : d;
    }

    /** The entry still wants this refresh: not removed, not rescheduled, not already refreshing. */
    static boolean isCurrent(Due d) {
        synchronized (d.entry()) {
            return !d.entry().removed && d.entry().scheduleSeq == d.seq() && !d.entry().inFlight;
        }
    }
}
