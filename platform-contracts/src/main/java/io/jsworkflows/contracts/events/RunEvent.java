package io.jsworkflows.contracts.events;

import java.time.Instant;
import java.util.List;

/**
 * Value of {@code jsw.runs.events} (key = runId). Never holds request or response headers or bodies: only the
 * method, host, path, status and duration of each HTTP call.
 */
public record RunEvent(
        int schemaVersion,
        String eventId,
        Type type,
        String runId,
        String workflowId,
        String workspaceId,
        long workflowVersion,
        String trigger,
        String idempotencyKey,
        int attempt,
        Long durationMillis,
        String error,
        List<ConsoleLine> console,
        List<HttpCall> httpCalls,
        Instant occurredAt) {

    public static final int SCHEMA_VERSION = 1;

    public RunEvent {
        console = console == null ? List.of() : List.copyOf(console);
        httpCalls = httpCalls == null ? List.of() : List.copyOf(httpCalls);
    }

    /** The run's outcome so far. */
    public enum Type {
        STARTED,
        SUCCEEDED,
        FAILED,
        RETRY_SCHEDULED,
        DEAD_LETTERED,
        PARKED;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /** One line the workflow printed. */
    public record ConsoleLine(String level, String message) {
    }

    /** One outgoing HTTP call. */
    public record HttpCall(String method, String host, String path, int status, long durationMillis) {
    }
}
