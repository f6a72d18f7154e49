package io.jsworkflows.shopifyemulator;

import java.time.Duration;
import java.util.Objects;

/**
 * How a delivery is attempted: Shopify gives the receiver 1 s to accept the connection and 5 s in total for the
 * response, and retries on its schedule.
 */
public record DeliveryOptions(Duration connectTimeout, Duration totalTimeout, RetrySchedule retries) {

    public static final Duration SHOPIFY_CONNECT_TIMEOUT = Duration.ofSeconds(1);
    public static final Duration SHOPIFY_TOTAL_TIMEOUT = Duration.ofSeconds(5);

    public DeliveryOptions {
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(totalTimeout, "totalTimeout");
        Objects.requireNonNull(retries, "retries");
        if (connectTimeout.isNegative() || connectTimeout.isZero() || totalTimeout.isNegative() || totalTimeout.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }

    /** Shopify's own: 1 s connect, 5 s total, 8 retries over 4 hours. */
    public static DeliveryOptions shopify() {
        return new DeliveryOptions(SHOPIFY_CONNECT_TIMEOUT, SHOPIFY_TOTAL_TIMEOUT, RetrySchedule.shopify());
    }

    public DeliveryOptions withRetries(RetrySchedule schedule) {
        return new DeliveryOptions(connectTimeout, totalTimeout, schedule);
    }

    /** Shopify's schedule on a shorter clock (the timeouts stay: they are what a receiver must meet). */
    public DeliveryOptions withTimeScale(double factor) {
        return withRetries(retries.scaled(factor));
    }

    public DeliveryOptions withTotalTimeout(Duration total) {
        return new DeliveryOptions(connectTimeout, total, retries);
    }
}
