package io.jsworkflows.gateway.rest;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.jsworkflows.gateway.messaging.SourcesReader;
import io.jsworkflows.gateway.service.SourceDirectory;

/**
 * Ready once the sources view caught up with the topic as it was at start, and while the broker answers: without
 * the view every delivery would be a 404, without the broker every delivery a 503, so Shopify's traffic is better sent
 * to another replica.
 */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {

    /** No fetch answer for this long means the broker is unreachable (an idle view gets one every 500 ms). */
    static final Duration KAFKA_SILENCE = Duration.ofSeconds(10);

    private final SourcesReader reader;
    private final SourceDirectory sources;

    public ReadinessCheck(SourcesReader reader, SourceDirectory sources) {
        this.reader = reader;
        this.sources = sources;
    }

    @Override
    public HealthCheckResponse call() {
        boolean caughtUp = reader.caughtUp().isDone() && !reader.caughtUp().isCompletedExceptionally();
        boolean kafka = reader.fetchedWithin(KAFKA_SILENCE);
        return HealthCheckResponse.named("webhook-gateway")
                .status(caughtUp && kafka)
                .withData("sourcesCaughtUp", caughtUp)
                .withData("kafkaReachable", kafka)
                .withData("sources", sources.size())
                .build();
    }
}
