package io.jsworkflows.refresher.service;

import io.jsworkflows.contracts.events.GrantState;
import io.jsworkflows.contracts.events.TokenState;
import io.opentelemetry.context.Context;

/**
 * One owned connection: its latest grant, the latest token state (read back or published by us) and its refresh
 * bookkeeping. Every field is guarded by the entry's monitor.
 */
final class ConnectionEntry {

    final String connectionId;
    final int partition;

    GrantState grant;
    TokenState token;
    /**
     * The latest link of the refresh chain (read back or written by us): the refresh token the provider rotated to,
     * sealed with the grant key. It counts only for the grant version it was issued under.
     */
    RefreshChainState chain;

    boolean removed;
    boolean inFlight;
    /** A refresh request arrived while the partition was still being rebuilt. */
    boolean requested;
    /** The trace of the latest accepted refresh request that carried one: the next refresh continues it. */
    Context requestedBy;
    /** Bumped whenever the schedule changes, so an earlier queued due time is recognised as stale. */
    long scheduleSeq;
    /** Epoch millis of the pending refresh; 0 when none is scheduled. */
    long dueAt;

    int transientFailures;
    boolean degradedAnnounced;
    boolean misconfigured;
    long lastSuccessAt;

    ConnectionEntry(String connectionId, int partition) {
        this.connectionId = connectionId;
        this.partition = partition;
    }

    /** The chain link that continues the current grant, or null while the grant's own refresh token is current. */
    RefreshChainState currentChain() {
        return chain != null && grant != null && chain.grantVersion() == grant.grantVersion() ? chain : null;
    }

    String sealedRefreshToken() {
        RefreshChainState c = currentChain();
        return c != null ? c.sealedRefreshToken() : grant.sealedRefreshToken();
    }
}
