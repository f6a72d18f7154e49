package io.jsworkflows.connections.runs.persistence;

import java.time.Instant;
import java.util.Optional;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** One run of a workflow as its latest event describes it; owned by the workspace the executor established. */
@Entity
@Table(name = "run")
public class Run extends PanacheEntityBase {

    @Id
    @Column(name = "run_id")
    public String runId;

    @Column(name = "workspace_id", nullable = false)
    public String workspaceId;

    @Column(name = "workflow_id", nullable = false)
    public String workflowId;

    @Column(name = "workflow_version", nullable = false)
    public long workflowVersion;

    /** The type of the latest event, e.g. FAILED. */
    @Column(nullable = false)
    public String status;

    /** Place of {@link #status} within its attempt: an event with a lower (attempt, rank) never replaces it. */
    @Column(name = "status_rank", nullable = false)
    public int statusRank;

    @Column(nullable = false)
    public int attempt;

    @Column(name = "idempotency_key")
    public String idempotencyKey;

    /** Coordinates of the trigger record (topic/partition/offset), never its content. */
    public String trigger;

    public String error;

    @Column(name = "duration_millis")
    public Long durationMillis;

    @Column(name = "started_at", nullable = false)
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    @Column(name = "last_event_at", nullable = false)
    public Instant lastEventAt;

    /** The workspace's own run with this id; another workspace's id finds nothing. */
    public static Optional<Run> findOwned(String workspaceId, String runId) {
        return find("workspaceId = ?1 and runId = ?2", workspaceId, runId).firstResultOptional();
    }
}
