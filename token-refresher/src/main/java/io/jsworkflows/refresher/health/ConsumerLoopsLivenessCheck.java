package io.jsworkflows.refresher.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

import io.jsworkflows.refresher.RefresherLifecycle;

/**
 * DOWN when one of the replica's own loops (the grants consumer that owns the partitions, the refresh scheduler) has
 * stopped or stalled: nothing else would notice, and a restart rebuilds the replica from the topics. The
 * refresh-requests channel is a SmallRye channel, whose own liveness check the Kafka connector reports.
 */
@Liveness
@ApplicationScoped
public class ConsumerLoopsLivenessCheck implements HealthCheck {

    private final RefresherLifecycle lifecycle;

    public ConsumerLoopsLivenessCheck(RefresherLifecycle lifecycle) {
        this.lifecycle = lifecycle;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("refresher-loops").up();
        for (LoopHeartbeat.Status s : lifecycle.replica().loops()) {
            b.withData(s.loop(), s.detail());
            if (!s.up()) {
                b.down();
            }
        }
        return b.build();
    }
}
