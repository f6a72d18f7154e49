package io.jsworkflows.refresher.health;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Whether one of the replica's own long-running loops (the grants consumer, the refresh scheduler) is still alive and
 * making progress. The loop beats once per turn; a loop that ended with an error, or has not beaten within the stall
 * timeout, is down, and liveness says so (a restart rebuilds everything from the topics).
 */
public final class LoopHeartbeat {

    /** The loop's state as health checks report it. */
    public record Status(String loop, boolean up, String detail) {
    }

    private final String loop;
    private final long stallNanos;
    private final LongSupplier nanoClock;
    private volatile long lastBeat;
    private volatile String stopped;

    public LoopHeartbeat(String loop, Duration stallTimeout) {
        this(loop, stallTimeout, System::nanoTime);
    }

    LoopHeartbeat(String loop, Duration stallTimeout, LongSupplier nanoClock) {
        this.loop = loop;
        this.stallNanos = stallTimeout.toNanos();
        this.nanoClock = nanoClock;
        this.lastBeat = nanoClock.getAsLong();
    }

    /** The loop made progress (one turn, or one step of a long step such as a partition rebuild). */
    public void beat() {
        lastBeat = nanoClock.getAsLong();
    }

    /** The loop ended with an error: down until the process restarts. Reports the root cause (Kafka wraps a listener's). */
    public void died(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        // our own and Kafka's exception messages carry no secrets; the class alone often says too little
        stopped = "stopped by " + cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    /** The loop ended because its owner closed it. */
    public void closed() {
        if (stopped == null) {
            stopped = "closed";
        }
    }

    public Status status() {
        String s = stopped;
        if (s != null) {
            return new Status(loop, false, s);
        }
        long idle = nanoClock.getAsLong() - lastBeat;
        if (idle > stallNanos) {
            return new Status(loop, false, "stalled: no progress for " + Duration.ofNanos(idle).toSeconds() + " s (stall timeout "
                    + Duration.ofNanos(stallNanos) + ")");
        }
        return new Status(loop, true, "running");
    }

    public boolean up() {
        return status().up();
    }
}
