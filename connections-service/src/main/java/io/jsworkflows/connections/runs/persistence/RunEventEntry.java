package io.jsworkflows.connections.runs.persistence;

import java.time.Instant;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** One event of a run, stored once per event id; console lines and HTTP calls as the event's JSON lists. */
@Entity
@Table(name = "run_event")
public class RunEventEntry extends PanacheEntityBase {

    @Id
    @Column(name = "event_id")
    public String eventId;

    @Column(name = "run_id", nullable = false)
    public String runId;

    @Column(name = "workspace_id", nullable = false)
    public String workspaceId;

    @Column(nullable = false)
    public String type;

    @Column(nullable = false)
    public int attempt;

    @Column(name = "duration_millis")
    public Long durationMillis;

    public String error;

    /** JSON array of {level, message}. */
    @Column(nullable = false)
    public String console;

    /** JSON array of {method, host, path, status, durationMillis}. */
    @Column(name = "http_calls", nullable = false)
    public String httpCalls;

    @Column(name = "occurred_at", nullable = false)
    public Instant occurredAt;

    public static List<RunEventEntry> ofRun(String runId) {
        return list("runId = ?1 order by attempt, occurredAt, eventId", runId);
    }
}
