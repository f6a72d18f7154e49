package io.jsworkflows.gateway.service;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Delivery metrics (Prometheus names: jsw_gateway_*, docs/observability.md). Labels are outcomes and reasons only: a
 * source id is a tenant's id, and one series per source would grow with the number of shops (and with every id a
 * caller puts in a URL); a delivery's source and workspace are on its trace instead.
 */
@ApplicationScoped
public class GatewayMetrics {

    private final Counter accepted;
    private final Counter duplicates;
    private final Map<Rejection, Counter> rejected = new EnumMap<>(Rejection.class);
    private final Timer publishOk;
    private final Timer publishFailed;

    public GatewayMetrics(MeterRegistry registry) {
        accepted = Counter.builder("jsw.gateway.deliveries.accepted").description("Deliveries published (200 after the ack)")
                .register(registry);
        duplicates = Counter.builder("jsw.gateway.deliveries.duplicates").description("Replays answered 200 without a record")
                .register(registry);
        for (Rejection r : Rejection.values()) {
            rejected.put(r, Counter.builder("jsw.gateway.deliveries.rejected").tag("reason", r.tag())
                    .description("Deliveries answered with an error, by reason").register(registry));
        }
        publishOk = publishTimer(registry, "ok");
        publishFailed = publishTimer(registry, "failed");
    }

    private static Timer publishTimer(MeterRegistry registry, String outcome) {
        return Timer.builder("jsw.gateway.publish")
                .description("Time from handing a delivery to the producer to Kafka's acknowledgement")
                .tag("outcome", outcome)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
    }

    public void accepted() {
        accepted.increment();
    }

    public void duplicate() {
        duplicates.increment();
    }

    public void rejected(Rejection reason) {
        rejected.get(reason).increment();
    }

    /** Time from handing the record to the producer to Kafka's acknowledgement (or failure). */
    public void publishLatency(boolean ok, long nanos) {
        (ok ? publishOk : publishFailed).record(nanos, TimeUnit.NANOSECONDS);
    }
}
