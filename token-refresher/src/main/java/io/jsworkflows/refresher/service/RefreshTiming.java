package io.jsworkflows.refresher.service;

import java.time.Duration;

/** When to refresh and how long to back off: pure arithmetic, so it is unit tested without clocks or brokers. */
public final class RefreshTiming {

    private final long leadMillis;
    private final long jitterMillis;
    private final long backoffMinMillis;
    private final long backoffMaxMillis;

    public RefreshTiming(Duration lead, Duration jitter, Duration backoffMin, Duration backoffMax) {
        this.leadMillis = lead.toMillis();
        this.jitterMillis = Math.max(0, jitter.toMillis());
        this.backoffMinMillis = Math.max(1, backoffMin.toMillis());
        this.backoffMaxMillis = Math.max(backoffMinMillis, backoffMax.toMillis());
    }

    /**
     * The refresh time of a token expiring at {@code expiresAt}: {@code lead} before expiry, moved earlier by up to
     * {@code jitter} ({@code random} in [0,1)). A token already inside its lead window is due now, spread over at most a
     * quarter of its remaining life so a rebuilt partition does not refresh everything in the same millisecond.
     */
    public long dueAt(long now, long expiresAt, double random) {
        long ideal = expiresAt - leadMillis - (long) (random * jitterMillis);
        if (ideal > now) {
            return ideal;
        }
        long remaining = expiresAt - now;
        if (remaining <= 0) {
            return now;
        }
        return now + (long) (random * Math.min(jitterMillis, remaining / 4));
    }

    /**
     * Delay before retry number {@code attempt} (1 = after the first failure): exponential from the minimum, capped at
     * the maximum, with jitter in [half, full] of the step; never below the minimum nor below the server's Retry-After.
     */
    public long backoffMillis(int attempt, Duration retryAfter, double random) {
        int shift = Math.min(Math.max(attempt - 1, 0), 30);
        long step = Math.min(backoffMaxMillis, backoffMinMillis << shift);
        long delay = Math.max(backoffMinMillis, (long) (step * (0.5 + 0.5 * random)));
        if (retryAfter != null) {
            delay = Math.max(delay, retryAfter.toMillis());
        }
        return delay;
    }

    public long leadMillis() {
        return leadMillis;
    }
}
