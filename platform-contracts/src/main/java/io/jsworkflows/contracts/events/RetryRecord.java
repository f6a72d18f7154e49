package io.jsworkflows.contracts.events;

import java.time.Instant;
import java.util.List;

/**
 * Value of {@code jsw.runs.retry} (key = workflowId + ":" + idempotencyKey): a run to attempt again after {@code notBefore}.
 * {@code workspaceId} is the workspace that owned the trigger and the workflow when the run was first attempted; a
 * retry runs only if the workflow still belongs to it (a deleted id taken by another workspace gets nothing).
 */
public record RetryRecord(
        int schemaVersion,
        String runId,
        String workflowId,
        String workspaceId,
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
