package io.jsworkflows.gateway.service;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Per-source delivery metrics. The {@code source} tag is a source id only for sources in the view; any other id a
 * caller puts in the URL is counted as {@code unknown}, so that random ids cannot grow the number of series.
 */
@ApplicationScoped
public class GatewayMetrics {

    public static final String UNKNOWN = "unknown";

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    public GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    public void accepted(String source) {
        counter("jsw.gateway.deliveries.accepted", source, null).increment();
    }

    public void duplicate(String source) {
        counter("jsw.gateway.deliveries.duplicates", source, null).increment();
    }

    public void rejected(String source, Rejection reason) {
        counter("jsw.gateway.deliveries.rejected", source, reason.tag()).increment();
    }

    /** Time from handing the record to the producer to Kafka's acknowledgement (or failure). */
    public void publishLatency(String source, boolean ok, long nanos) {
        String key = source + (ok ? "|ok" : "|failed");
        timers.computeIfAbsent(key, k -> Timer.builder("jsw.gateway.publish")
                .description("Time from handing a delivery to the producer to Kafka's acknowledgement")
                .tag("source", source).tag("outcome", ok ? "ok" : "failed")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry)).record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    private Counter counter(String name, String source, String reason) {
        String key = name + '|' + source + '|' + reason;
        return counters.computeIfAbsent(key, k -> {
            Counter.Builder b = Counter.builder(name).tag("source", source);
            if (reason != null) {
                b.tag("reason", reason);
            }
            return b.register(registry);
        });
    }
}
