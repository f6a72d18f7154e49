package io.jsworkflows.executor.service;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.jsworkflows.contracts.events.AttemptError;
import io.jsworkflows.contracts.events.DeadLetter;
import io.jsworkflows.contracts.events.RetryRecord;
import io.jsworkflows.contracts.events.TriggerRecord;
import io.jsworkflows.contracts.events.WorkflowDefinition;

/**
 * One attempt of a run: which workflow version runs for which record, as which run and attempt number, with the errors
 * of the attempts before it and its deadline. Why a value: running an attempt and handing its outcome on need all of
 * these together; one value keeps them consistent (one run id, one idempotency key) across those steps.
 *
 * @param history errors of the earlier attempts (and crashes) of this run
 * @param timeout the run's deadline, from the workflow or the executor's default
 */
public record Attempt(WorkflowDefinition workflow, TriggerRecord record, String runId, String idempotencyKey, int number,
        List<AttemptError> history, Duration timeout, CrashCover cover) {

    public Attempt {
        history = List.copyOf(history);
    }

    public String workflowId() {
        return workflow.workflowId();
    }

    /** The workspace that owns the run: the workflow's, which the platform checked against the record's owner. */
    public String workspaceId() {
        return workflow.workspaceId();
    }

    /** The same attempt with one more error in its history. */
    public Attempt withError(AttemptError e) {
        List<AttemptError> h = new ArrayList<>(history);
        h.add(e);
        return new Attempt(workflow, record, runId, idempotencyKey, number, h, timeout, cover);
    }

    /** The record's headers plus the executor's own, as the workflow receives them. */
    public Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>(record.headers());
        headers.put(RunService.IDEMPOTENCY_HEADER, idempotencyKey);
        headers.put(RunService.RUN_ID_HEADER, runId);
        headers.put(RunService.ATTEMPT_HEADER, Integer.toString(number));
        return headers;
    }

    /** Key of the run's retry records and dead letters: one run's records stay in order. */
    public String handOffKey() {
        return RetryRecord.key(workflowId(), idempotencyKey);
    }

    /** A retry of this run as attempt {@code next}, due at {@code notBefore}, carrying {@code errors}. */
    public RetryRecord retry(int next, Instant notBefore, List<AttemptError> errors) {
        return new RetryRecord(RetryRecord.SCHEMA_VERSION, runId, workflowId(), workspaceId(), workflow.version(), idempotencyKey, next,
                notBefore, record, errors);
    }

    public DeadLetter deadLetter(String reason, TriggerRecord original, List<AttemptError> errors) {
        return new DeadLetter(DeadLetter.SCHEMA_VERSION, runId, workflowId(), workspaceId(), workflow.version(), idempotencyKey, reason,
                original, errors, Instant.now());
    }
}
