package io.jsworkflows.executor.service;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import io.jsworkflows.contracts.CloudEventTypes;
import io.jsworkflows.contracts.Topics;
import io.jsworkflows.contracts.events.AttemptError;
import io.jsworkflows.contracts.events.RetryPolicy;
import io.jsworkflows.contracts.events.RunEvent;
import io.jsworkflows.contracts.events.TriggerRecord;
import io.jsworkflows.executor.config.ExecutorConfig;
import io.jsworkflows.executor.messaging.KafkaClients;
import io.jsworkflows.executor.runtime.ErrorCategory;
import io.jsworkflows.executor.runtime.RunResult;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Hands an attempt's outcome on: its run event, and for a failure the decision between a retry (exponential backoff per
 * the workflow's bounded policy), a parked retry (the connection needs re-authorization; no attempt used) and a dead
 * letter with the original record and every attempt's error. A hand-off returns only after Kafka acknowledged it, so the
 * caller may then commit the record's offset (at least once). Why a class of its own: what happens after a run is policy,
 * apart from how a run is run.
 */
@ApplicationScoped
public class RunOutcomes {

    private static final Duration HANDOFF_TIMEOUT = Duration.ofSeconds(30);

    private final ExecutorConfig config;
    private final KafkaClients kafka;
    private final MeterRegistry meters;
    private final RunEvents events;

    public RunOutcomes(ExecutorConfig config, KafkaClients kafka, MeterRegistry meters, RunEvents events) {
        this.config = config;
        this.kafka = kafka;
        this.meters = meters;
        this.events = events;
    }

    public void succeeded(Attempt a, RunResult result, List<RunEvent.HttpCall> calls) {
        count("succeeded");
        events.publish(a, RunEvent.Type.SUCCEEDED, result.durationMillis(), null, result.console(), calls);
    }

    /** The run stopped the worker hosting it: reported; the caller counts the crash. */
    public void crashed(Attempt a, RunResult result, List<RunEvent.HttpCall> calls) {
        count("crashed");
        events.publish(a, RunEvent.Type.FAILED, result.durationMillis(), result.error(), result.console(), calls);
    }

    /**
     * A failed attempt: reported, then retried, parked or dead-lettered.
     *
     * @param needsReauth the run was told that its connection needs re-authorization
     * @param transientCategory the category of the last transient failure of a fetch, or null
     */
    public void failed(Attempt a, RunResult result, List<RunEvent.HttpCall> calls, boolean needsReauth, ErrorCategory transientCategory) {
        ErrorCategory category = switch (result.outcome()) {
            case TIMEOUT -> ErrorCategory.TIMEOUT;
            case LIMIT -> ErrorCategory.LIMIT;
            default -> needsReauth ? ErrorCategory.NEEDS_REAUTH : transientCategory != null ? transientCategory : ErrorCategory.THROWN;
        };
        List<AttemptError> errors = a.withError(new AttemptError(a.number(), category.name(), result.error(), category.isTransient(),
                Instant.now())).history();
        events.publish(a, RunEvent.Type.FAILED, result.durationMillis(), result.error(), result.console(), calls);
        RetryPolicy policy = bounded(a.workflow().retryPolicy() == null ? RetryPolicy.DEFAULT : a.workflow().retryPolicy());
        if (category == ErrorCategory.NEEDS_REAUTH) {
            // parking does not use up an attempt: the workflow is not at fault
            Instant notBefore = Instant.now().plus(config.executor().retry().parkRecheck());
            if (retry(a, a.retry(a.number(), notBefore, errors), errors)) {
                count("parked");
                events.publish(a, RunEvent.Type.PARKED, result.durationMillis(), result.error(), List.of(), List.of());
            }
        } else if (a.number() < policy.maxAttempts()) {
            Duration backoff = policy.backoffBefore(a.number() + 1);
            long jitter = backoff.toMillis() / 10 == 0 ? 0 : ThreadLocalRandom.current().nextLong(backoff.toMillis() / 10);
            Instant notBefore = Instant.now().plus(backoff).plusMillis(jitter);
            if (retry(a, a.retry(a.number() + 1, notBefore, errors), errors)) {
                count("retry_scheduled");
                events.publish(a, RunEvent.Type.RETRY_SCHEDULED, result.durationMillis(), result.error(), List.of(), List.of());
            }
        } else {
            deadLetter(a, errors, "failed " + a.number() + " of " + policy.maxAttempts() + " attempts; last error: " + result.error());
        }
    }

    /** Sends the run to the DLQ with {@code errors} and reports it. */
    public void deadLetter(Attempt a, List<AttemptError> errors, String reason) {
        TriggerRecord record = a.record();
        String why = reason;
        try {
            handOff(Topics.RUN_DLQ, a.handOffKey(), a.deadLetter(reason, record, errors), CloudEventTypes.DEAD_LETTER);
        } catch (IllegalStateException e) {
            if (!tooLarge(e) || record.value() == null) {
                throw e;
            }
            // a refused dead letter would rewind the batch forever and stop the partition: carry the record without its
            // value (still on its topic at these coordinates), so the letter is small and the partition moves on
            why = reason + " (the record's value, " + record.value().length() + " characters, is too large to carry in a dead letter; "
                    + "read it at " + record.coordinates() + ")";
            handOff(Topics.RUN_DLQ, a.handOffKey(), a.deadLetter(why, withoutValue(record), errors), CloudEventTypes.DEAD_LETTER);
        }
        count("dead_lettered");
        meters.counter("jsw.runs.dlq").increment();
        events.publish(a, RunEvent.Type.DEAD_LETTERED, null, why, List.of(), List.of());
    }

    /** Schedules a retry; a retry record too large for Kafka would block the partition, so the run is dead-lettered instead. */
    private boolean retry(Attempt a, Object retry, List<AttemptError> errors) {
        try {
            handOff(Topics.RUN_RETRY, a.handOffKey(), retry, CloudEventTypes.RETRY_RECORD);
            return true;
        } catch (IllegalStateException e) {
            if (!tooLarge(e)) {
                throw e;
            }
            deadLetter(a, errors, "the run failed and its record is too large to schedule a retry (Kafka's "
                    + "max.request.size); last error: " + errors.getLast().message());
            return false;
        }
    }

    /** A policy within the configured bounds: deploys check them, definitions published before they existed are clamped. */
    private RetryPolicy bounded(RetryPolicy p) {
        var b = config.executor().retry();
        Duration max = p.maxBackoff().compareTo(b.maxBackoff()) > 0 ? b.maxBackoff() : p.maxBackoff();
        Duration initial = p.initialBackoff().compareTo(b.minBackoff()) < 0 ? b.minBackoff() : p.initialBackoff();
        if (initial.compareTo(max) > 0) {
            max = initial;
        }
        return new RetryPolicy(Math.min(p.maxAttempts(), b.maxAttempts()), initial, max, p.multiplier());
    }

    static boolean tooLarge(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.apache.kafka.common.errors.RecordTooLargeException) {
                return true;
            }
        }
        return false;
    }

    private static TriggerRecord withoutValue(TriggerRecord r) {
        return new TriggerRecord(r.topic(), r.partition(), r.offset(), r.key(), null, r.headers());
    }

    private void handOff(String topic, String key, Object value, String ceType) {
        try {
            kafka.send(topic, key, value, ceType).get(HANDOFF_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while handing a run to " + topic);
        } catch (Exception e) {
            // the caller does not commit the trigger offset: the record is processed again
            throw new IllegalStateException("could not hand a run to " + topic + ": " + e.getMessage(), e);
        }
    }

    void count(String outcome) {
        meters.counter("jsw.runs", "outcome", outcome).increment();
    }
}
