package io.jsworkflows.contracts.events;

/**
 * Status of a connection as the platform sees it. PENDING → ACTIVE ⇄ DEGRADED; ACTIVE/DEGRADED → EXPIRED (refresh keeps
 * failing past expiry) or NEEDS_REAUTH (refresh token rejected); NEEDS_REAUTH → ACTIVE by reconnecting; any → REVOKED or
 * DELETED.
 */
public enum ConnectionStatus {
    PENDING,
    ACTIVE,
    DEGRADED,
    EXPIRED,
    NEEDS_REAUTH,
    REVOKED,
    DELETED;

    /** Whether a token in this status may be handed to a workflow (if it has not expired). */
    public boolean usable() {
        return this == ACTIVE || this == DEGRADED;
    }
}
