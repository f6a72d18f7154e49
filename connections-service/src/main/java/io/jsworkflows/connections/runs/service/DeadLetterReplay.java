package io.jsworkflows.connections.runs.service;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.jsworkflows.connections.runs.messaging.RetryPublisher;
import io.jsworkflows.connections.runs.persistence.DeadLetterEntry;
import io.jsworkflows.connections.service.ApiProblem;
import io.jsworkflows.contracts.events.DeadLetter;
import io.jsworkflows.contracts.events.RetryRecord;
import io.jsworkflows.contracts.json.ContractsJson;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Replays a workspace's dead letter exactly as {@code jsw dlq replay} does: a RetryRecord of its own workflow with a
 * fresh run id and attempt budget, due now, carrying the original record unchanged. The dead letter is marked replayed
 * (when, by which channel, as which run) only after the broker took the record, and an audit line names the ids.
 */
@ApplicationScoped
public class DeadLetterReplay {

    private static final Logger LOG = Logger.getLogger(DeadLetterReplay.class);

    private final RetryPublisher publisher;

    public DeadLetterReplay(RetryPublisher publisher) {
        this.publisher = publisher;
    }

    /**
     * @param by who asked, e.g. {@code web page} or {@code API}; the workspace is the caller's own
     */
    public DeadLetterView replay(String workspaceId, String id, String by) {
        DeadLetterEntry e = QuarkusTransaction.requiringNew().call(() -> DeadLetterEntry.findOwned(workspaceId, id))
                .orElseThrow(RunQueries::deadLetterNotFound);
        DeadLetter d = ContractsJson.read(e.record, DeadLetter.class);
        if (!DeadLetterView.replayable(d)) {
            throw new ApiProblem(409, "dead-letter-not-replayable", "Dead letter cannot be replayed",
                    "This record never matched a workflow (for example, it was not JSON); a replay would fail the same way.");
        }
        RetryRecord retry = new RetryRecord(RetryRecord.SCHEMA_VERSION, UUID.randomUUID().toString(), d.workflowId(), e.workspaceId,
                d.workflowVersion() == null ? 0 : d.workflowVersion(), d.idempotencyKey(), 1, Instant.now(), d.original(), List.of());
        publisher.publish(retry);
        Instant now = Instant.now();
        DeadLetterEntry updated = QuarkusTransaction.requiringNew().call(() -> {
            DeadLetterEntry row = DeadLetterEntry.findById(e.id);
            if (row == null) {
                return null; // purged meanwhile; the replay is out
            }
            row.replayedAt = now;
            row.replayedBy = by;
            row.replayRunId = retry.runId();
            return row;
        });
        LOG.infof("audit: dead letter %s of workspace %s (workflow %s) replayed as run %s by %s", e.id, e.workspaceId, d.workflowId(),
                retry.runId(), by);
        return DeadLetterView.of(updated == null ? e : updated);
    }
}
