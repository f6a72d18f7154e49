package io.jsworkflows.connections.runs.messaging;

import java.time.temporal.ChronoUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Incoming;

import io.jsworkflows.connections.messaging.ConsumerFailures;
import io.jsworkflows.connections.runs.service.RunReadModel;
import io.jsworkflows.contracts.events.DeadLetter;
import io.jsworkflows.contracts.events.RunEvent;
import io.jsworkflows.contracts.events.WorkflowDefinition;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.faulttolerance.api.ExponentialBackoff;

/**
 * Feeds the runs read model from the executor's run events, dead letters and workflow definitions. Like
 * ConnectionStateConsumer: a write the database refuses is retried with backoff while the partition waits, the channel
 * shows in readiness meanwhile, and if it still fails the channel fails (failure-strategy=fail) with the offset
 * uncommitted, so nothing is dropped. Unreadable records are skipped with a warning naming their place, never their value.
 */
@ApplicationScoped
public class RunRecordsConsumer {

    static final String RUN_EVENTS = "run-events";
    static final String DEAD_LETTERS = "dead-letters";
    static final String WORKFLOWS = "workflow-definitions";

    private final RunReadModel model;
    private final ConsumerFailures failures;

    public RunRecordsConsumer(RunReadModel model, ConsumerFailures failures) {
        this.model = model;
        this.failures = failures;
    }

    @Incoming(RUN_EVENTS)
    @Blocking
    @Retry(maxRetries = 20, delay = 250, jitter = 100, maxDuration = 5, durationUnit = ChronoUnit.MINUTES)
    @ExponentialBackoff(maxDelay = 15_000)
    public void onRunEvent(ConsumerRecord<String, String> record) {
        RunEvent e = ConsumerFailures.read(record, RunEvent.class);
        if (e != null) {
            failures.apply(RUN_EVENTS, record, () -> model.apply(e));
        }
    }

    @Incoming(DEAD_LETTERS)
    @Blocking
    @Retry(maxRetries = 20, delay = 250, jitter = 100, maxDuration = 5, durationUnit = ChronoUnit.MINUTES)
    @ExponentialBackoff(maxDelay = 15_000)
    public void onDeadLetter(ConsumerRecord<String, String> record) {
        DeadLetter d = ConsumerFailures.read(record, DeadLetter.class);
        if (d != null) {
            failures.apply(DEAD_LETTERS, record, () -> model.apply(d, record.partition(), record.offset()));
        }
    }

    @Incoming(WORKFLOWS)
    @Blocking
    @Retry(maxRetries = 20, delay = 250, jitter = 100, maxDuration = 5, durationUnit = ChronoUnit.MINUTES)
    @ExponentialBackoff(maxDelay = 15_000)
    public void onWorkflowDefinition(ConsumerRecord<String, String> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            failures.apply(WORKFLOWS, record, () -> model.apply(record.key(), null)); // tombstone: the workflow was deleted
            return;
        }
        WorkflowDefinition d = ConsumerFailures.read(record, WorkflowDefinition.class);
        if (d != null) {
            failures.apply(WORKFLOWS, record, () -> model.apply(record.key(), d));
        }
    }
}
