package io.jsworkflows.refresher.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import io.jsworkflows.refresher.RefresherLifecycle;
import io.smallrye.health.api.Wellness;

/**
 * DOWN while the token endpoint rejects our client credentials (invalid_client) or the grant keys cannot open refresh
 * tokens. A wellness check: it turns {@code /q/health} and {@code /q/health/well} DOWN for alerting without failing
 * liveness (a restart fixes nothing) or readiness (the replica still owns and serves its partitions).
 */
@Wellness
@ApplicationScoped
public class ConfigurationAlarmCheck implements HealthCheck {

    private final RefresherLifecycle lifecycle;

    public ConfigurationAlarmCheck(RefresherLifecycle lifecycle) {
        this.lifecycle = lifecycle;
    }

    @Override
    public HealthCheckResponse call() {
        String alarm = lifecycle.replica().node().configurationAlarm();
        HealthCheckResponseBuilder b = HealthCheckResponse.named("token-endpoint-configuration").status(alarm == null);
        if (alarm != null) {
            b.withData("alarm", alarm);
        }
        return b.build();
    }
}
