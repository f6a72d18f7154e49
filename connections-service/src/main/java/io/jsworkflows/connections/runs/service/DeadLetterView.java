package io.jsworkflows.connections.runs.service;

import java.time.Instant;
import java.util.List;

import io.jsworkflows.connections.runs.persistence.DeadLetterEntry;
import io.jsworkflows.contracts.events.AttemptError;
import io.jsworkflows.contracts.events.DeadLetter;
import io.jsworkflows.contracts.json.ContractsJson;

/**
 * A dead letter as the API and the page show it: why, each attempt's error, the trigger record's coordinates (never its
 * content), and the latest replay.
 */
public record DeadLetterView(String id, String runId, String workflowId, Long workflowVersion, String idempotencyKey, String reason,
        String trigger, List<AttemptError> attempts, Instant deadLetteredAt, boolean replayable, Instant replayedAt, String replayedBy,
        String replayRunId) {

    static DeadLetterView of(DeadLetterEntry e) {
        DeadLetter d = ContractsJson.read(e.record, DeadLetter.class);
        return new DeadLetterView(e.id, e.runId, e.workflowId, e.workflowVersion, e.idempotencyKey, e.reason,
                d.original() == null ? null : d.original().coordinates(), d.attempts(), e.deadLetteredAt, replayable(d),
                e.replayedAt, e.replayedBy, e.replayRunId);
    }

    /** Like {@code jsw dlq replay}: a record that never matched a workflow would fail the same way again. */
    static boolean replayable(DeadLetter d) {
        return d.original() != null && d.workflowId() != null;
    }
}
