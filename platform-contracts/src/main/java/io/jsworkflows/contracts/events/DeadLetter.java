package io.jsworkflows.contracts.events;

import java.time.Instant;
import java.util.List;

/**
 * Value of {@code jsw.runs.dlq} (key = workflowId + ":" + idempotencyKey): a run that will not be attempted again,
 * with the original record and headers so that {@code jsw dlq replay} can publish it again. {@code workflowId} is null
 * when the record could not be matched to a workflow at all (for example, not JSON).
 */
public record DeadLetter(
        int schemaVersion,
        String runId,
        String workflowId,
        String workspaceId,
        Long workflowVersion,
        String idempotencyKey,
        String reason,
        TriggerRecord original,
        List<AttemptError> attempts,
        Instant deadLetteredAt) {

    public static final int SCHEMA_VERSION = 1;

    public DeadLetter {
        attempts = attempts == null ? List.of() : List.copyOf(attempts);
    }
}
