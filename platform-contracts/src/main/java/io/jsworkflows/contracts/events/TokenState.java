package io.jsworkflows.contracts.events;

import java.time.Instant;
import java.util.List;

/**
 * Value of {@code jsw.connections.tokens} (compacted, key = connectionId); token-refresher is its only writer. The access
 * token is sealed with the token key (associated data: connection id) and is null when the status is not usable.
 * Readers keep the value with the highest (grantVersion, tokenVersion) and ignore older ones.
 */
public record TokenState(
        int schemaVersion,
        String connectionId,
        String workspaceId,
        String handle,
        Long hubId,
        List<String> scopes,
        ConnectionStatus status,
        String sealedAccessToken,
        Instant expiresAt,
        long tokenVersion,
        long grantVersion,
        Instant refreshedAt,
        String statusReason) {

    public static final int SCHEMA_VERSION = 1;

    public TokenState {
        scopes = scopes == null ? List.of() : List.copyOf(scopes);
    }

    /** True when this state supersedes {@code other} (a newer grant, or a newer token of the same grant). */
    public boolean isNewerThan(TokenState other) {
        return other == null || supersedes(grantVersion, tokenVersion, other.grantVersion, other.tokenVersion);
    }

    /** The order of states: a newer grant wins, then a newer token of the same grant (readers that keep only versions). */
    public static boolean supersedes(long grantVersion, long tokenVersion, long otherGrantVersion, long otherTokenVersion) {
        return grantVersion != otherGrantVersion ? grantVersion > otherGrantVersion : tokenVersion > otherTokenVersion;
    }
}
