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
 * window's requests, sent on time, would otherwise meet the burst's stragglers in HubSpot's window (429s). Only what
 * HubSpot counted beyond every request of this budget it could have counted is someone else's: a request reaches HubSpot
 * some time after it leaves, so HubSpot may have counted one sent after the answered request (it overtook it) or one
 * sent just over a window before it (it travelled longer); each request's send and answer times bound when HubSpot
 * counted it. The price of that bound: another app's requests are seen only beyond this replica's requests in flight at
 * the time, so while both press on a portal a few may draw a 429, which pauses the portal's budget and retries.
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

    /** One request of a budget: when it left and, once it came, when its answer came; HubSpot counted it in between. */
    public static final class Send {
        final long at;
        long answeredAt = Long.MAX_VALUE; // guarded by the budget's monitor

        Send(long at) {
            this.at = at;
        }
    }

    /**
     * Applies HubSpot's rate-limit headers of the answer to {@code send} (values may be null when absent); every answer
     * calls it. HubSpot's count is as of the request's arrival, somewhere between its send and now.
     *
     * @return how many requests HubSpot counted beyond this budget's own (slots now taken for someone else's)
     */
    public int observe(long hubId, Send send, Integer max, Integer remaining, Long intervalMillis) {
        return observeAt(hubId, System.nanoTime(), send, max, remaining, intervalMillis);
    }

    /**
     * Records that a request to the portal is being sent now ({@link System#nanoTime()}), after waiting for its slot:
     * HubSpot counts it from its arrival, which may be well after the slot on a loaded machine.
     */
    public Send sent(long hubId, long sentAtNanos) {
        return budget(hubId).sent(sentAtNanos);
    }

    long reserveAt(long hubId, long now) {
        return budget(hubId).reserve(now);
    }

    int observeAt(long hubId, long now, Integer max, Integer remaining, Long intervalMillis) {
        return observeAt(hubId, now, budget(hubId).sent(now), max, remaining, intervalMillis);
    }

    int observeAt(long hubId, long now, Send send, Integer max, Integer remaining, Long intervalMillis) {
        return budget(hubId).observe(now, send, max, remaining, intervalMillis);
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
        /**
         * This budget's requests of the last two windows, by send time, to compare with HubSpot's count. Not the ring:
         * while many runs wait, the ring holds slots reserved up to two windows ahead and has overwritten the past ones,
         * whose requests HubSpot still counts; and a request leaves after its slot, up to hundreds of milliseconds after
         * it on a loaded machine.
         */
        private final java.util.ArrayDeque<Send> sends = new java.util.ArrayDeque<>();

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

        synchronized Send sent(long at) {
            Send s = new Send(at);
            sends.addLast(s);
            prune(at);
            return s;
        }

        /** Sends are kept for two windows: an answer may be about a request sent up to a window ago (timeouts are shorter). */
        private void prune(long now) {
            long oldest = now - 2 * (interval + marginNanos);
            while (!sends.isEmpty() && sends.peekFirst().at <= oldest) {
                sends.pollFirst();
            }
        }

        synchronized int observe(long now, Send send, Integer max, Integer remaining, Long intervalMillis) {
            send.answeredAt = Math.min(send.answeredAt, now);
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
                // (the scan is over the window's sends: skipped when HubSpot counted none)
                prune(now);
                // HubSpot counted this request on its arrival, between its send and now; it may have counted each request of
                // this budget that could have arrived before then (sent by now) and within the window before (answered after
                // the window before this one's send): only what it counted beyond those is someone else's
                int used = 0;
                for (Send s : sends) {
                    if (s.at <= now && s.answeredAt > send.at - interval) {
                        used++;
                    }
                }
                int gap = Math.min(slots.length, (max - remaining) - used);
                for (int i = 0; i < gap; i++) {
                    long slot = Math.max(now, slots[head]);
                    slots[head] = slot;
                    head = (head + 1) % slots.length;
                    Send other = new Send(slot); // someone else's request: counted from now on like one of this budget's
                    other.answeredAt = slot;
                    sends.addLast(other);
                }
                if (gap > 0) {
                    unanswered = 0; // the ring moved under them; HubSpot's count just set the budget right
                    return gap;
                }
            }
            return 0;
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
