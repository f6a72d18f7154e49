package io.jsworkflows.refresher.service;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The partitions this replica owns, their ownership state, and the connections of each. */
final class PartitionBook {

    /** Ownership state of one partition. */
    static final class PartitionState {
        final long assignedAt;
        volatile boolean caughtUp;
        volatile boolean revoking;
        /** Token endpoint calls in flight for the partition's connections (a revocation waits for them). */
        final AtomicInteger inFlight = new AtomicInteger();

        PartitionState(long assignedAt) {
            this.assignedAt = assignedAt;
        }
    }

    private final ConcurrentHashMap<String, ConnectionEntry> entries = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Integer, PartitionState> partitions = new ConcurrentHashMap<>();

    void assigned(int partition, long now) {
        partitions.put(partition, new PartitionState(now));
    }

    /** The partition's state, or null when it is not (or no longer) owned. */
    PartitionState partition(int partition) {
        return partitions.get(partition);
    }

    /** Owned, rebuilt and not being handed over: its connections may be acted on. */
    boolean caughtUp(int partition) {
        PartitionState ps = partitions.get(partition);
        return ps != null && ps.caughtUp && !ps.revoking;
    }

    void removePartition(int partition) {
        partitions.remove(partition);
    }

    /** The connection's entry, or null when it is not one of the owned partitions'. */
    ConnectionEntry entry(String connectionId) {
        return entries.get(connectionId);
    }

    /** The connection's entry, created when it is new. */
    ConnectionEntry entryFor(String connectionId, int partition) {
        return entries.computeIfAbsent(connectionId, id -> new ConnectionEntry(id, partition));
    }

    /** Drops the entry (unless it has been replaced meanwhile). */
    void forget(ConnectionEntry e) {
        entries.remove(e.connectionId, e);
    }

    Collection<ConnectionEntry> entries() {
        return entries.values();
    }

    int connections() {
        return entries.size();
    }

    int partitionCount() {
        return partitions.size();
    }

    /** Connections with a refresh scheduled. */
    int scheduledCount() {
        int n = 0;
        for (ConnectionEntry e : entries.values()) {
            if (e.dueAt != 0) {
                n++;
            }
        }
        return n;
    }
}
