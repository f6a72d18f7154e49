package io.jsworkflows.connections.runs.service;

import java.time.Instant;

import io.jsworkflows.connections.runs.persistence.Run;

/** A run as the API and the page show it. */
public record RunView(String runId, String workflowId, long workflowVersion, String status, int attempt, String idempotencyKey,
        String trigger, String error, Long durationMillis, Instant startedAt, Instant finishedAt) {

    /** The duration for people: 840 ms, 12.3 s; empty while unknown. */
    public String duration() {
        return Durations.human(durationMillis);
    }

    static RunView of(Run r) {
        return new RunView(r.runId, r.workflowId, r.workflowVersion, r.status, r.attempt, r.idempotencyKey, r.trigger, r.error,
                r.durationMillis, r.startedAt, r.finishedAt);
    }
}
