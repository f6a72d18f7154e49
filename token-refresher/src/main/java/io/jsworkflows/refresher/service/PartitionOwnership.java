package io.jsworkflows.refresher.service;

import java.time.Duration;
import java.util.Collection;

import org.jboss.logging.Logger;

import io.jsworkflows.contracts.events.GrantState;
import io.jsworkflows.contracts.events.TokenState;

/**
 * What the partition owner (the grants consumer's thread) tells the node: a partition assigned, the tokens, chain links
 * and grants read back for it, the moment it is caught up, and its revocation with the hand-over of in-flight refreshes.
 */
final class PartitionOwnership {

    private static final Logger LOG = Logger.getLogger(PartitionOwnership.class);

    private final String name;
    private final Duration handoverTimeout;
    private final PartitionBook book;
    private final RefreshSchedule schedule;
    private final ConnectionStateMachine machine;
    private final StatePublisher publisher;

    PartitionOwnership(String name, Duration handoverTimeout, PartitionBook book, RefreshSchedule schedule,
            ConnectionStateMachine machine, StatePublisher publisher) {
        this.name = name;
        this.handoverTimeout = handoverTimeout;
        this.book = book;
        this.schedule = schedule;
        this.machine = machine;
        this.publisher = publisher;
    }

    void assigned(int partition) {
        book.assigned(partition, System.currentTimeMillis());
    }

    /** A token record read back while rebuilding a partition: keep the newest per connection. */
    void applyToken(int partition, String connectionId, TokenState token) {
        ConnectionEntry e = book.entryFor(connectionId, partition);
        synchronized (e) {
            if (token == null) {
                e.token = null;
            } else if (token.isNewerThan(e.token)) {
                e.token = token;
            }
        }
    }

    /** A refresh chain record read back while rebuilding a partition: keep the latest link per connection. */
    void applyChain(int partition, String connectionId, RefreshChainState link) {
        ConnectionEntry e = book.entryFor(connectionId, partition);
        synchronized (e) {
            if (link == null) {
                e.chain = null;
            } else if (link.isNewerThan(e.chain)) {
                e.chain = link;
            }
        }
    }

    /** A grant record (null value: the connection was deleted). Acts at once when the partition is caught up. */
    void applyGrant(int partition, String connectionId, GrantState grant) {
        ConnectionEntry e = grant == null ? book.entry(connectionId)
                : book.entryFor(connectionId, partition);
        if (e == null) {
            return;
        }
        synchronized (e) {
            if (grant == null) {
                e.grant = null;
            } else {
                if (e.grant != null && grant.grantVersion() < e.grant.grantVersion()) {
                    return; // an older authorization, superseded
                }
                e.grant = grant; // a chain link of an older grant version stops counting (ConnectionEntry.currentChain)
            }
            if (book.caughtUp(e.partition)) {
                machine.reconcile(e, System.currentTimeMillis());
            }
        }
    }

    /** Everything of the partition has been read: publish what the read-back state lacks and start scheduling. */
    void caughtUp(int partition) {
        PartitionBook.PartitionState ps = book.partition(partition);
        if (ps == null) {
            return;
        }
        ps.caughtUp = true;
        long now = System.currentTimeMillis();
        int count = 0;
        for (ConnectionEntry e : book.entries()) {
            if (e.partition == partition) {
                synchronized (e) {
                    machine.reconcile(e, now);
                }
                count++;
            }
        }
        LOG.infof("%s: partition %d rebuilt with %d connections in %d ms", name, partition, count, now - ps.assignedAt);
    }

    /**
     * Gives partitions up. On an orderly revocation, refreshes already running finish and are published first, so the
     * next owner reads their results; a lost partition may already have a new owner, so it is dropped at once.
     */
    void revoked(Collection<Integer> revoked, boolean lost) {
        for (Integer p : revoked) {
            PartitionBook.PartitionState ps = book.partition(p);
            if (ps != null) {
                ps.revoking = true;
            }
        }
        if (!lost) {
            awaitInFlight(revoked);
            publisher.flush();
        }
        int dropped = 0;
        for (ConnectionEntry e : book.entries()) {
            if (revoked.contains(e.partition)) {
                synchronized (e) {
                    e.removed = true;
                    schedule.unschedule(e);
                }
                book.forget(e);
                dropped++;
            }
        }
        revoked.forEach(book::removePartition);
        LOG.infof("%s: partitions %s %s, %d connections dropped", name, revoked, lost ? "lost" : "revoked", dropped);
    }

    /** Waits, up to the hand-over timeout, for the refreshes of the revoked partitions that are still running. */
    private void awaitInFlight(Collection<Integer> revoked) {
        long deadline = System.nanoTime() + handoverTimeout.toNanos();
        for (Integer p : revoked) {
            PartitionBook.PartitionState ps = book.partition(p);
            while (ps != null && ps.inFlight.get() > 0 && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(5); // the consumer thread must block here: the rebalance completes when this returns
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
