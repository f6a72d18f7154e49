package io.jsworkflows.executor.rest;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

import io.jsworkflows.executor.messaging.ExecutorStreams;

/**
 * DOWN when one of the executor's consumer loops (triggers, retries, the definitions, token and run-start views) stopped
 * by itself: the process would otherwise stay up and ready while running nothing, so Kubernetes restarts it.
 */
@Liveness
@ApplicationScoped
public class LivenessCheck implements HealthCheck {

    private final ExecutorStreams streams;

    public LivenessCheck(ExecutorStreams streams) {
        this.streams = streams;
    }

    @Override
    public HealthCheckResponse call() {
        List<String> dead = streams.deadLoops();
        return HealthCheckResponse.named("workflow-executor-loops").status(dead.isEmpty())
                .withData("stoppedLoops", dead.isEmpty() ? "none" : String.join(", ", dead)).build();
    }
}
