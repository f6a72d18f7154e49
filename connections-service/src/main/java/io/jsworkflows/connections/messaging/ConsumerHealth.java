package io.jsworkflows.connections.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Readiness of the state consumers: DOWN while a record keeps failing (the consumer is stuck retrying it), naming the
 * channel and since when. A channel that gave up is reported by the Kafka connector's own liveness check.
 */
@Readiness
@ApplicationScoped
public class ConsumerHealth implements HealthCheck {

    private final ConsumerFailures failures;

    public ConsumerHealth(ConsumerFailures failures) {
        this.failures = failures;
    }

    @Override
    public HealthCheckResponse call() {
        var failing = failures.failing();
        HealthCheckResponseBuilder b = HealthCheckResponse.named("connection-state-consumers").status(failing.isEmpty());
        failing.forEach((channel, since) -> b.withData(channel, "failing since " + since));
        return b.build();
    }
}
