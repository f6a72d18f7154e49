package io.jsworkflows.emulator.service;

/**
 * One portal's request budget under HubSpot's {@code TEN_SECONDLY_ROLLING} policy: at most {@code max} admitted
 * requests in any span of {@code interval}. It keeps the instants of the admitted requests that are still inside the
 * window (a ring, oldest first, never more than {@code max}), so a burst across any boundary is refused, unlike a
 * fixed window that admits twice the limit around its edge.
 *
 * <p>Hand-written because no Quarkus extension offers a rolling limit keyed by something the request resolves
 * (the token's portal). The critical section is a few array operations under the portal's own monitor: no I/O, so it
 * is safe on the event loop.
 */
public final class RollingRateWindow {

    private static final int INITIAL_CAPACITY = 16;

    /** Admission instants in epoch millis; {@code head} is the oldest, {@code size} of them are live. */
    private long[] admitted = new long[INITIAL_CAPACITY];
    private int head;
    private int size;

    /** The outcome of asking for one request: whether it may run, what is left, and when the next slot frees up. */
    public record Budget(boolean allowed, int remaining, long retryAfterMillis) {
    }

    /** Admits the request at {@code now} if the window has room; a refused request takes nothing from the budget. */
    synchronized Budget take(int max, long intervalMillis, long now) {
        if (size > 0) {
            // two threads may read the clock in one order and get here in the other; keep the ring sorted
            now = Math.max(now, newest());
        }
        long horizon = now - intervalMillis;
        while (size > 0 && admitted[head] <= horizon) {
            head = (head + 1) % admitted.length;
            size--;
        }
        if (size >= max) {
            return new Budget(false, 0, Math.max(1, admitted[head] + intervalMillis - now));
        }
        ensureRoomForOneMore();
        admitted[(head + size) % admitted.length] = now;
        size++;
        return new Budget(true, max - size, 0);
    }

    synchronized void reset() {
        head = 0;
        size = 0;
    }

    private long newest() {
        return admitted[(head + size - 1) % admitted.length];
    }

    /** Grows lazily, so a generous limit costs memory only while a portal actually uses it. */
    private void ensureRoomForOneMore() {
        if (size < admitted.length) {
            return;
        }
        long[] grown = new long[admitted.length * 2];
        for (int i = 0; i < size; i++) {
            grown[i] = admitted[(head + i) % admitted.length];
        }
        admitted = grown;
        head = 0;
    }
}
