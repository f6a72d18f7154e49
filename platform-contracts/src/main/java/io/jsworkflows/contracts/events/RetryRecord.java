package io.jsworkflows.contracts.events;

import java.time.Instant;
import java.util.List;

/** Value of {@code jsw.runs.retry} (key = workflowId + ":" + idempotencyKey): a run to attempt again after {@code notBefore}. */
public record RetryRecord(
        int schemaVersion,
        String runId,
        String workflowId,
        long workflowVersion,
        String idempotencyKey,
        int attempt,
        Instant notBefore,
        TriggerRecord original,
        List<AttemptError> errors) {

    public static final int SCHEMA_VERSION = 1;

    public RetryRecord {
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    public static String key(String workflowId, String idempotencyKey) {
        return workflowId + ":" + idempotencyKey;
    }
}
