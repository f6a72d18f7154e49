package io.jsworkflows.executor.service;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * HubSpot request budgets, one per portal (hub id), shared by every workflow on that portal. Each request reserves a
 * send slot such that no window of {@code interval + margin} holds more than {@code max} slots; a caller waits for its
 * slot instead of drawing a 429. HubSpot's {@code X-HubSpot-RateLimit-*} headers correct the budget (its max and
 * interval, and requests this replica did not make, e.g. other replicas or other apps' calls). A slot counts from its
 * request's answer once that came (HubSpot counted the request by then at the latest), not from its reservation: on a
 * loaded machine a burst of requests reserved at once reaches HubSpot over hundreds of milliseconds, and the next
 * window's requests, sent on time, would otherwise meet the burst's stragglers in HubSpot's window (429s).
 */
public final class RateBudgets {

    private final int defaultMax;
    private final long defaultIntervalNanos;
    private final long marginNanos;
    private final Map<Long, Budget> budgets = new ConcurrentHashMap<>();

    public RateBudgets(int max, Duration interval, Duration margin) {
        this.defaultMax = max;
        this.defaultIntervalNanos = interval.toNanos();
        this.marginNanos = margin.toNanos();
    }

    /** Reserves a slot; returns how long to wait before sending (zero when there is budget now). */
    public Duration reserve(long hubId) {
        return Duration.ofNanos(reserveAt(hubId, System.nanoTime()));
    }

    /** Applies HubSpot's rate-limit headers of a response (values may be null when absent); every answer calls it. */
    public void observe(long hubId, Integer max, Integer remaining, Long intervalMillis) {
        observeAt(hubId, System.nanoTime(), max, remaining, intervalMillis);
    }

    long reserveAt(long hubId, long now) {
        return budget(hubId).reserve(now);
    }

    void observeAt(long hubId, long now, Integer max, Integer remaining, Long intervalMillis) {
        budget(hubId).observe(now, max, remaining, intervalMillis);
    }

    /** After a 429: no request to this portal before the interval has passed. */
    public Duration blockAfter429(long hubId) {
        return Duration.ofNanos(budget(hubId).block(System.nanoTime()));
    }

    public Duration interval(long hubId) {
        return Duration.ofNanos(budget(hubId).interval);
    }

    private Budget budget(long hubId) {
        return budgets.computeIfAbsent(hubId, h -> new Budget(defaultMax, defaultIntervalNanos));
    }

    /** Ring of the last {@code max} slot times: slot n = max(now, slot n-max + window). */
    final class Budget {
        private long[] slots;
        private int head; // index of the oldest slot
        private long interval;
        /** The newest slots whose answer has not come yet (they count from their reservation until it does). */
        private int unanswered;

        Budget(int max, long interval) {
            this.slots = new long[max];
            this.interval = interval;
            java.util.Arrays.fill(slots, Long.MIN_VALUE / 2);
        }

        synchronized long reserve(long now) {
            long window = interval + marginNanos;
            long slot = Math.max(now, slots[head] + window);
            slots[head] = slot;
            head = (head + 1) % slots.length;
            unanswered = Math.min(unanswered + 1, slots.length);
            return slot - now;
        }

        synchronized void observe(long now, Integer max, Integer remaining, Long intervalMillis) {
            if (unanswered > 0) {
                // an answer came: the oldest request still unanswered was counted by HubSpot at the latest now
                int i = Math.floorMod(head - unanswered, slots.length);
                if (slots[i] <= now) {
                    slots[i] = now;
                    unanswered--;
                }
            }
            if (intervalMillis != null && intervalMillis > 0) {
                interval = Duration.ofMillis(intervalMillis).toNanos();
            }
            if (max != null && max > 0 && max != slots.length) {
                resize(max);
            }
            if (max != null && remaining != null && max - remaining > 0) {
                // HubSpot counted more requests in its window than this budget sent: fill the gap with slots at now
                // (the scan is O(max): skipped when HubSpot counted none, e.g. a budget raised far above HubSpot's own)
                long window = interval + marginNanos;
                int used = 0;
                for (long s : slots) {
                    if (s > now - window && s <= now) {
                        used++;
                    }
                }
                int gap = Math.min(slots.length, (max - remaining) - used);
                for (int i = 0; i < gap; i++) {
                    long slot = Math.max(now, slots[head]);
                    slots[head] = slot;
                    head = (head + 1) % slots.length;
                }
                if (gap > 0) {
                    unanswered = 0; // the ring moved under them; HubSpot's count just set the budget right
                }
            }
        }

        synchronized long block(long now) {
            long until = now + interval;
            for (int i = 0; i < slots.length; i++) {
                slots[i] = Math.max(slots[i], until - interval - marginNanos);
            }
            return interval;
        }

        private void resize(int max) {
            long[] ordered = new long[max];
            java.util.Arrays.fill(ordered, Long.MIN_VALUE / 2);
            int n = slots.length;
            // keep the newest min(n, max) slots, oldest first
            int keep = Math.min(n, max);
            for (int i = 0; i < keep; i++) {
                ordered[max - keep + i] = slots[(head + n - keep + i) % n];
            }
            slots = ordered;
            head = 0;
            unanswered = 0;
        }
    }
}
