package io.jsworkflows.executor.rest;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.jsworkflows.executor.messaging.ExecutorStreams;
import io.jsworkflows.executor.service.TokenView;
import io.jsworkflows.executor.service.WorkflowRegistry;

/** Ready once the token view and the definitions view caught up with their topics. */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {

    private final ExecutorStreams streams;
    private final TokenView tokens;
    private final WorkflowRegistry registry;

    public ReadinessCheck(ExecutorStreams streams, TokenView tokens, WorkflowRegistry registry) {
        this.streams = streams;
        this.tokens = tokens;
        this.registry = registry;
    }

    @Override
    public HealthCheckResponse call() {
        boolean tokensReady = tokens.ready().isDone() && !tokens.ready().isCompletedExceptionally();
        boolean definitionsReady = streams.definitionsCaughtUp().isDone() && !streams.definitionsCaughtUp().isCompletedExceptionally();
        boolean inflightReady = streams.inflightCaughtUp().isDone() && !streams.inflightCaughtUp().isCompletedExceptionally();
        return HealthCheckResponse.named("workflow-executor")
                .status(tokensReady && definitionsReady && inflightReady)
                .withData("runStartsCaughtUp", inflightReady)
                .withData("tokensCaughtUp", tokensReady)
                .withData("connections", tokens.size())
                .withData("definitionsCaughtUp", definitionsReady)
                .withData("workflows", registry.all().size())
                .build();
    }
}
