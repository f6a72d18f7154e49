package io.jsworkflows.contracts.events;

import java.time.Instant;
import java.util.List;

/**
 * Value of {@code jsw.connections.grants} (compacted, key = connectionId), written by connections-service's outbox.
 * The refresh token is sealed with the grant key, the initial access token with the token key; both use the
 * connection id as associated data. A tombstone (null value) means the connection was deleted.
 *
 * @param grantVersion increases with every new authorization (reconnect) of the connection
 */
public record GrantState(
        int schemaVersion,
        String connectionId,
        String workspaceId,
        String handle,
        ConnectionStatus status,
        List<String> scopes,
        Long hubId,
        String hubDomain,
        String sealedRefreshToken,
        String sealedAccessToken,
        Instant expiresAt,
        long grantVersion,
        Instant updatedAt) {

    public static final int SCHEMA_VERSION = 1;

    public GrantState {
        scopes = scopes == null ? List.of() : List.copyOf(scopes);
    }
}
