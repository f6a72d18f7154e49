package io.jsworkflows.contracts.events;

import java.time.Instant;

/**
 * Value of {@code jsw.connections.events} (key = connectionId): one transition in a connection's life, for people and
 * alerting. Never carries a token.
 */
public record ConnectionEvent(
        int schemaVersion,
        String eventId,
        Type type,
        String connectionId,
        String workspaceId,
        String handle,
        ConnectionStatus status,
        String reason,
        long grantVersion,
        long tokenVersion,
        String source,
        Instant occurredAt) {

    public static final int SCHEMA_VERSION = 1;

    /** The transition. */
    public enum Type {
        CREATED,
        AUTHORIZED,
        REFRESHED,
        REFRESH_FAILED,
        DEGRADED,
        RECOVERED,
        EXPIRED,
        NEEDS_REAUTH,
        CONFIGURATION_ALARM,
        REVOKED,
        DELETED;

        /** The kebab-case name used in documentation and CLI output, e.g. {@code needs-reauth}. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }
}
