package io.jsworkflows.refresher.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.jsworkflows.refresher.RefresherLifecycle;
import io.jsworkflows.refresher.RefresherReplica;

/** Ready once the replica has joined the group and rebuilt every partition it owns from grants and tokens. */
@Readiness
@ApplicationScoped
public class OwnershipReadinessCheck implements HealthCheck {

    private final RefresherLifecycle lifecycle;

    public OwnershipReadinessCheck(RefresherLifecycle lifecycle) {
        this.lifecycle = lifecycle;
    }

    @Override
    public HealthCheckResponse call() {
        RefresherReplica r = lifecycle.replica();
        return HealthCheckResponse.named("partition-ownership").status(r.ready())
                .withData("partitions", r.owner().assignedPartitions().toString())
                .withData("connections", r.node().ownedConnections())
                .withData("scheduled", r.node().scheduledCount())
                .build();
    }
}
