package io.jsworkflows.refresher.service;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** The refresher's meters (Prometheus names: jsw_refresher_*). */
public final class RefresherStats {

    /** How a refresh attempt ended, as the {@code outcome} tag. */
    public enum Outcome {
        SUCCESS, NEEDS_REAUTH, MISCONFIGURED, TRANSIENT, DISCARDED;

        String tag() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final MeterRegistry registry;
    private final Map<Outcome, Counter> refreshes = new EnumMap<>(Outcome.class);
    private final Counter expiredWhileOwned;
    private final Counter requestsAccepted;
    private final Counter requestsIgnored;
    private final Timer lag;
    private final Map<Outcome, Timer> durations = new EnumMap<>(Outcome.class);

    public RefresherStats(MeterRegistry registry) {
        this.registry = registry;
        for (Outcome o : Outcome.values()) {
            refreshes.put(o, Counter.builder("jsw.refresher.refreshes").tag("outcome", o.tag())
                    .description("Token endpoint calls by outcome").register(registry));
        }
        expiredWhileOwned = Counter.builder("jsw.refresher.tokens.expired.while.owned")
                .description("Access tokens that expired while this replica owned them (must stay 0)").register(registry);
        requestsAccepted = Counter.builder("jsw.refresher.refresh.requests").tag("result", "accepted").register(registry);
        requestsIgnored = Counter.builder("jsw.refresher.refresh.requests").tag("result", "ignored").register(registry);
        for (Outcome o : Outcome.values()) {
            durations.put(o, Timer.builder("jsw.refresher.refresh.duration").tag("outcome", o.tag())
                    .description("A refresh from its start to its recorded result (the token endpoint call and the writes)")
                    .publishPercentileHistogram().minimumExpectedValue(java.time.Duration.ofMillis(5))
                    .maximumExpectedValue(java.time.Duration.ofSeconds(60)).register(registry));
        }
        lag = Timer.builder("jsw.refresher.refresh.lag")
                .description("Delay between a refresh's due time and its start").publishPercentiles(0.5, 0.99)
                .register(registry);
    }

    void gauges(Supplier<Number> scheduled, Supplier<Number> inFlight, Supplier<Number> owned, Supplier<Number> partitions,
            Supplier<Number> alarm, Supplier<Number> soonestExpiry) {
        Gauge.builder("jsw.refresher.tokens.expiry.min", soonestExpiry).baseUnit("seconds")
                .description("Seconds until the soonest-expiring usable access token this replica owns expires (NaN: none)")
                .register(registry);
        Gauge.builder("jsw.refresher.scheduled", scheduled).description("Connections with a refresh scheduled").register(registry);
        Gauge.builder("jsw.refresher.refreshes.in.flight", inFlight).description("Token endpoint calls in flight").register(registry);
        Gauge.builder("jsw.refresher.connections.owned", owned).description("Connections of the partitions this replica owns")
                .register(registry);
        Gauge.builder("jsw.refresher.partitions.owned", partitions).register(registry);
        Gauge.builder("jsw.refresher.configuration.alarm", alarm)
                .description("1 while the token endpoint rejects the client credentials").register(registry);
    }

    void refresh(Outcome outcome) {
        refreshes.get(outcome).increment();
    }

    void duration(Outcome outcome, long nanos) {
        durations.get(outcome).record(nanos, TimeUnit.NANOSECONDS);
    }

    void lag(long millis) {
        lag.record(Math.max(0, millis), TimeUnit.MILLISECONDS);
    }

    void expiredWhileOwned() {
        expiredWhileOwned.increment();
    }

    void request(boolean accepted) {
        (accepted ? requestsAccepted : requestsIgnored).increment();
    }

    public long refreshes(Outcome outcome) {
        return (long) refreshes.get(outcome).count();
    }

    public long expiredWhileOwnedCount() {
        return (long) expiredWhileOwned.count();
    }

    public double maxLagMillis() {
        return lag.max(TimeUnit.MILLISECONDS);
    }

    public double meanLagMillis() {
        return lag.mean(TimeUnit.MILLISECONDS);
    }
}
