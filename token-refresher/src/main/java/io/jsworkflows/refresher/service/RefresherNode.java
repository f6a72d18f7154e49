package io.jsworkflows.refresher.service;

import java.time.Duration;
import java.util.Collection;

import io.jsworkflows.contracts.crypto.TokenCipher;
import io.jsworkflows.contracts.events.GrantState;
import io.jsworkflows.contracts.events.RefreshRequest;
import io.jsworkflows.contracts.events.TokenState;
import io.jsworkflows.refresher.health.LoopHeartbeat;
import io.opentelemetry.context.Context;
import io.smallrye.mutiny.Uni;

/**
 * Runs the refreshes of the partitions this replica owns: wires the parts that share its {@link PartitionBook} and
 * {@link RefreshSchedule} and is the one surface the partition owner, the refresh-requests channel and the health
 * checks talk to. {@link PartitionOwnership} applies assignment, read-back and revocation; {@link RefreshRequestHandler}
 * decides on refresh requests; {@link RefreshDispatcher} starts due refreshes and applies their results;
 * {@link ExpirySweeper} finds tokens that ran out; what each result means is the {@link ConnectionStateMachine}'s job.
 */
public final class RefresherNode implements AutoCloseable {

    /** The token endpoint as the node sees it (so the benchmark and tests can count or wrap calls). */
    public interface Endpoint {
        Uni<RefreshOutcome> refresh(String refreshToken);
    }

    /** The settings the node uses, taken from configuration. */
    public record Settings(RefreshTiming timing, int maxInFlight, Duration configAlarmRetry, Duration recentRefreshWindow,
            Duration sweepInterval, Duration handoverTimeout, Duration loopStallTimeout) {
    }

    private final String name;
    private final PartitionBook book;
    private final ConnectionStateMachine machine;
    private final RefresherStats stats;
    private final PartitionOwnership ownership;
    private final RefreshRequestHandler requests;
    private final RefreshDispatcher dispatcher;
    private final ExpirySweeper sweeper;

    /** A node with its own partition book, schedule and state machine, without tracing. */
    public RefresherNode(String name, Settings settings, TokenCipher grantCipher, TokenCipher tokenCipher, Endpoint endpoint,
            StatePublisher publisher, RefresherStats stats) {
        this(name, settings, grantCipher, tokenCipher, endpoint, publisher, stats, RefreshTracing.off());
    }

    /** A node with its own partition book, schedule and state machine. */
    public RefresherNode(String name, Settings settings, TokenCipher grantCipher, TokenCipher tokenCipher, Endpoint endpoint,
            StatePublisher publisher, RefresherStats stats, RefreshTracing tracing) {
        PartitionBook book = new PartitionBook();
        RefreshSchedule schedule = new RefreshSchedule();
        this(name, settings, book, schedule,
                new ConnectionStateMachine(name, settings, book, schedule, grantCipher, tokenCipher, publisher, stats), grantCipher,
                endpoint, publisher, stats, tracing);
    }

    RefresherNode(String name, Settings settings, PartitionBook book, RefreshSchedule schedule, ConnectionStateMachine machine,
            TokenCipher grantCipher, Endpoint endpoint, StatePublisher publisher, RefresherStats stats, RefreshTracing tracing) {
        this.name = name;
        this.book = book;
        this.machine = machine;
        this.stats = stats;
        this.ownership = new PartitionOwnership(name, settings.handoverTimeout(), book, schedule, machine, publisher);
        this.requests = new RefreshRequestHandler(name, settings.recentRefreshWindow(), book, schedule, stats);
        this.dispatcher = new RefreshDispatcher(name, settings, book, schedule, machine, grantCipher, endpoint, stats, tracing);
        this.sweeper = new ExpirySweeper(name, settings.sweepInterval(), book, machine);
        stats.gauges(book::scheduledCount, dispatcher::inFlight, book::connections, book::partitionCount,
                () -> machine.configurationAlarm() == null ? 0 : 1, sweeper::soonestExpirySeconds);
    }

    public void start() {
        dispatcher.start();
        sweeper.start();
    }

    // ---------------------------------------------------------------- partition ownership (consumer thread)

    public void partitionAssigned(int partition) {
        ownership.assigned(partition);
    }

    /** A token record read back while rebuilding a partition: keep the newest per connection. */
    public void applyToken(int partition, String connectionId, TokenState token) {
        ownership.applyToken(partition, connectionId, token);
    }

    /** A refresh chain record read back while rebuilding a partition: keep the latest link per connection. */
    public void applyChain(int partition, String connectionId, RefreshChainState link) {
        ownership.applyChain(partition, connectionId, link);
    }

    /** A grant record (null value: the connection was deleted). Acts at once when the partition is caught up. */
    public void applyGrant(int partition, String connectionId, GrantState grant) {
        ownership.applyGrant(partition, connectionId, grant);
    }

    /** Everything of the partition has been read: publish what the read-back state lacks and start scheduling. */
    public void partitionCaughtUp(int partition) {
        ownership.caughtUp(partition);
    }

    /** Gives partitions up; on an orderly revocation, in-flight refreshes finish and are published first. */
    public void partitionsRevoked(Collection<Integer> revoked, boolean lost) {
        ownership.revoked(revoked, lost);
    }

    // ---------------------------------------------------------------- refresh requests

    /** Refresh now, unless the requester has or is about to get a fresh token ({@link RefreshRequestHandler}). */
    public boolean onRefreshRequest(RefreshRequest request) {
        return onRefreshRequest(request, null);
    }

    /** @param requestedBy the requester's trace (from the request record's {@code traceparent}), or null */
    public boolean onRefreshRequest(RefreshRequest request, Context requestedBy) {
        return requests.onRequest(request, requestedBy);
    }

    // ---------------------------------------------------------------- views

    public int scheduledCount() {
        return book.scheduledCount();
    }

    public int ownedConnections() {
        return book.connections();
    }

    public int inFlight() {
        return dispatcher.inFlight();
    }

    /** The refresh scheduler's loop: down when it stopped with an error or stalled. */
    public LoopHeartbeat.Status schedulerStatus() {
        return dispatcher.status();
    }

    /** The configuration alarm's reason, or null when none is raised. */
    public String configurationAlarm() {
        return machine.configurationAlarm();
    }

    public RefresherStats stats() {
        return stats;
    }

    public String name() {
        return name;
    }

    @Override
    public void close() {
        sweeper.close();
        dispatcher.close();
    }
}
