package io.jsworkflows.executor.rest;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import io.jsworkflows.executor.messaging.ExecutorStreams;
import io.jsworkflows.executor.runtime.WorkflowRuntime;
import io.jsworkflows.executor.service.TokenView;
import io.jsworkflows.executor.service.WorkflowRegistry;

/**
 * Ready once the token view, the definitions view and the run starts caught up with their topics and the workflow
 * runtime can host a run (with worker JVMs: one connected; they start in the same seconds as the views load), and while
 * the broker answers: without Kafka no trigger runs and no deploy is published, so traffic is better sent to another
 * replica. A worker dying later does not make the replica unready (another is started at once).
 */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {

    /** No fetch answer for this long means the broker is unreachable (an idle view gets one every 500 ms). */
    static final java.time.Duration KAFKA_SILENCE = java.time.Duration.ofSeconds(10);

    private final ExecutorStreams streams;
    private final TokenView tokens;
    private final WorkflowRegistry registry;
    private final WorkflowRuntime runtime;

    public ReadinessCheck(ExecutorStreams streams, TokenView tokens, WorkflowRegistry registry, WorkflowRuntime runtime) {
        this.streams = streams;
        this.tokens = tokens;
        this.registry = registry;
        this.runtime = runtime;
    }

    @Override
    public HealthCheckResponse call() {
        boolean tokensReady = tokens.ready().isDone() && !tokens.ready().isCompletedExceptionally();
        boolean definitionsReady = streams.definitionsCaughtUp().isDone() && !streams.definitionsCaughtUp().isCompletedExceptionally();
        boolean inflightReady = streams.inflightCaughtUp().isDone() && !streams.inflightCaughtUp().isCompletedExceptionally();
        boolean kafka = streams.kafkaReachable(KAFKA_SILENCE);
        boolean runtimeStarted = runtime.started();
        return HealthCheckResponse.named("workflow-executor")
                .status(tokensReady && definitionsReady && inflightReady && runtimeStarted && kafka)
                .withData("runtimeStarted", runtimeStarted)
                .withData("kafkaReachable", kafka)
                .withData("runStartsCaughtUp", inflightReady)
                .withData("tokensCaughtUp", tokensReady)
                .withData("connections", tokens.size())
                .withData("definitionsCaughtUp", definitionsReady)
                .withData("workflows", registry.all().size())
                .build();
    }
}
