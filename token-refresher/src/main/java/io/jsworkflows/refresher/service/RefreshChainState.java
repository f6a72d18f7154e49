package io.jsworkflows.refresher.service;

import java.time.Instant;

/**
 * Value of {@code jsw.connections.refresh-chain} (compacted, key = connectionId, co-partitioned with grants), written
 * and read only by the token refresher: the refresh token the provider rotated to, sealed with the grant key (the
 * connection id as associated data). It continues the grant's refresh token only for the same {@code grantVersion}; a
 * reconnect starts a new chain. A tombstone follows the grant's.
 *
 * @param chainVersion 1 for the first rotation under a grant, then + 1 per rotation; a reader keeps the highest
 *        {@code (grantVersion, chainVersion)}
 */
public record RefreshChainState(
        int schemaVersion,
        String connectionId,
        String workspaceId,
        long grantVersion,
        String sealedRefreshToken,
        long chainVersion,
        Instant updatedAt) {

    public static final int SCHEMA_VERSION = 1;
    /** CloudEvents type of the chain records (refresher-internal, hence not in the platform contracts). */
    public static final String CE_TYPE = "io.jsworkflows.connection.refresh-chain.v1";

    /** Whether this link is later in the chain than {@code other} (null: nothing known yet). */
    public boolean isNewerThan(RefreshChainState other) {
        if (other == null) {
            return true;
        }
        return grantVersion != other.grantVersion ? grantVersion > other.grantVersion : chainVersion >= other.chainVersion;
    }
}
