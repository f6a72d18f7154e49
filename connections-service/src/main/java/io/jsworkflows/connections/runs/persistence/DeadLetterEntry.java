package io.jsworkflows.connections.runs.persistence;

import java.time.Instant;
import java.util.Optional;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A dead letter of a workspace, with the whole DeadLetter value a replay needs, and when it was last replayed. */
@Entity
@Table(name = "dead_letter")
public class DeadLetterEntry extends PanacheEntityBase {

    /** The dead-lettered run's id (one dead letter per run). */
    @Id
    public String id;

    @Column(name = "workspace_id", nullable = false)
    public String workspaceId;

    @Column(name = "run_id")
    public String runId;

    @Column(name = "workflow_id")
    public String workflowId;

    @Column(name = "workflow_version")
    public Long workflowVersion;

    @Column(name = "idempotency_key")
    public String idempotencyKey;

    public String reason;

    /** The DeadLetter JSON as read from jsw.runs.dlq. */
    @Column(nullable = false)
    public String record;

    @Column(name = "dead_lettered_at", nullable = false)
    public Instant deadLetteredAt;

    @Column(name = "replayed_at")
    public Instant replayedAt;

    @Column(name = "replayed_by")
    public String replayedBy;

    @Column(name = "replay_run_id")
    public String replayRunId;

    /** The workspace's own dead letter with this id; another workspace's id finds nothing. */
    public static Optional<DeadLetterEntry> findOwned(String workspaceId, String id) {
        return find("workspaceId = ?1 and id = ?2", workspaceId, id).firstResultOptional();
    }
}
