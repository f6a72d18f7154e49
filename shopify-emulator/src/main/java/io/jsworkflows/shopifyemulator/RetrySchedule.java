package io.jsworkflows.shopifyemulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The waits before each retry of a failed delivery. Shopify retries 8 times over 4 hours with exponential backoff
 * (since 2024-09-10) but does not publish the individual waits; {@link #shopify()} doubles each wait and ends the last
 * retry 4 hours after the first attempt: 56.5 s, 1 min 53 s, … 1 h 0 min 14 s, 2 h 0 min 28 s.
 */
public record RetrySchedule(List<Duration> delays) {

    public static final int SHOPIFY_RETRIES = 8;
    public static final Duration SHOPIFY_SPAN = Duration.ofHours(4);

    public RetrySchedule {
        delays = List.copyOf(delays);
        if (delays.stream().anyMatch(Duration::isNegative)) {
            throw new IllegalArgumentException("a retry delay must not be negative");
        }
    }

    /** Shopify's schedule: 8 retries, each wait twice the one before, summing to 4 hours. */
    public static RetrySchedule shopify() {
        return exponential(SHOPIFY_RETRIES, SHOPIFY_SPAN);
    }

    /** {@code retries} waits, each twice the one before, summing to {@code span}. */
    public static RetrySchedule exponential(int retries, Duration span) {
        long units = (1L << retries) - 1;
        List<Duration> delays = new ArrayList<>(retries);
        for (int i = 0; i < retries; i++) {
            delays.add(Duration.ofNanos(Math.round((double) span.toNanos() * (1L << i) / units)));
        }
        return new RetrySchedule(delays);
    }

    /** No retries: one attempt only. */
    public static RetrySchedule none() {
        return new RetrySchedule(List.of());
    }

    /** The same shape on a shorter (or longer) clock, e.g. {@code scaled(1.0 / 10_000)} runs the 4 hours in 1.44 s. */
    public RetrySchedule scaled(double factor) {
        if (!(factor >= 0)) {
            throw new IllegalArgumentException("scale factor must be >= 0");
        }
        return new RetrySchedule(delays.stream().map(d -> Duration.ofNanos(Math.round(d.toNanos() * factor))).toList());
    }

    public int retries() {
        return delays.size();
    }

    public Duration total() {
        return delays.stream().reduce(Duration.ZERO, Duration::plus);
    }
}
