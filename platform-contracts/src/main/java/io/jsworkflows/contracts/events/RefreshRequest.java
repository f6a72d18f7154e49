package io.jsworkflows.contracts.events;

import java.time.Instant;

/**
 * Value of {@code jsw.connections.refresh-requests} (key = connectionId): asks the owning refresher to refresh now.
 *
 * @param knownTokenVersion the token version the requester holds; a refresher that already published a newer one
 *                          need not refresh again
 */
public record RefreshRequest(
        int schemaVersion,
        String requestId,
        String connectionId,
        String workspaceId,
        Reason reason,
        long knownTokenVersion,
        String requester,
        Instant requestedAt) {

    public static final int SCHEMA_VERSION = 1;

    /** Why a refresh is requested. */
    public enum Reason {
        HTTP_401,
        MIN_VALIDITY,
        MANUAL
    }
}
