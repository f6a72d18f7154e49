package io.jsworkflows.refresher.service;

import io.jsworkflows.contracts.events.GrantState;
import io.jsworkflows.contracts.events.TokenState;

/**
 * One owned connection: its latest grant, the latest token state (read back or published by us) and its refresh
 * bookkeeping. Every field is guarded by the entry's monitor.
 */
final class ConnectionEntry {

    final String connectionId;
    final int partition;

    GrantState grant;
    TokenState token;
    /** A refresh token the provider rotated to, sealed with the grant key; null while the grant's own one is current. */
    String rotatedRefreshToken;

    boolean removed;
    boolean inFlight;
    /** A refresh request arrived while the partition was still being rebuilt. */
    boolean requested;
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

    String sealedRefreshToken() {
        return rotatedRefreshToken != null ? rotatedRefreshToken : grant.sealedRefreshToken();
    }
}
