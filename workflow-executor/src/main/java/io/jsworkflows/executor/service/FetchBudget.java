package io.jsworkflows.executor.service;

import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import io.jsworkflows.executor.config.ExecutorConfig;
import io.jsworkflows.executor.runtime.ErrorCategory;
import io.jsworkflows.executor.runtime.RunHost.FetchException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The bytes of fetch response bodies the executor holds: workflows run in worker JVMs, but their fetches are made and
 * buffered here, so without a bound a few runs with {@code Promise.all} over large bodies could fill the executor's heap
 * and stop every tenant's runs. Each run gets a share ({@code jsw.executor.fetch.max-run-bytes}); the replica has a total
 * ({@code max-replica-bytes}). A body that would take its run over its share fails at once; one that finds the replica full
 * waits up to {@code replica-wait} for other runs to release bytes, then fails. Bytes are released when a body is handed
 * to the worker, when its fetch fails, and when the run ends. Hand-written: fault tolerance's bulkhead counts calls, not
 * bytes, and has no per-run share.
 */
@ApplicationScoped
public class FetchBudget {

    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final long runMax;
    private final long replicaMax;
    private final Duration wait;
    private final AtomicLong used = new AtomicLong();
    private final AtomicLong peak = new AtomicLong();

    public FetchBudget(ExecutorConfig config, MeterRegistry registry) {
        check(config);
        var f = config.executor().fetch();
        this.runMax = f.maxRunBytes();
        this.replicaMax = f.maxReplicaBytes();
        this.wait = f.replicaWait();
        Gauge.builder("jsw.executor.fetch.buffered.bytes", used, AtomicLong::get)
                .description("bytes of fetch response bodies the executor holds now").register(registry);
        Gauge.builder("jsw.executor.fetch.buffered.bytes.max", peak, AtomicLong::get)
                .description("the most bytes of fetch response bodies the executor held at once since it started").register(registry);
    }

    /** Refuses a configuration that does not bound anything. */
    public static void check(ExecutorConfig config) {
        var f = config.executor().fetch();
        if (f.maxRunBytes() <= 0 || f.maxReplicaBytes() <= 0 || f.maxRunBytes() > f.maxReplicaBytes() || f.replicaWait().isNegative()) {
            throw new IllegalStateException("jsw.executor.fetch.max-run-bytes (" + f.maxRunBytes() + ") and max-replica-bytes ("
                    + f.maxReplicaBytes() + ") must be positive, a run's at most the replica's, and replica-wait (" + f.replicaWait()
                    + ") not negative");
        }
    }

    /** A new run's share; close it when the run ends. */
    public Share open() {
        return new Share();
    }

    /** Bytes held now. */
    public long used() {
        return used.get();
    }

    /** The most bytes held at once since start. */
    public long peak() {
        return peak.get();
    }

    private boolean takeFromReplica(long n) {
        while (true) {
            long u = used.get();
            if (u + n > replicaMax) {
                return false;
            }
            if (used.compareAndSet(u, u + n)) {
                peak.accumulateAndGet(u + n, Math::max);
                return true;
            }
        }
    }

    /** One run's bytes: what its bodies hold now, per body once handed over; closing releases all of it. */
    public final class Share implements AutoCloseable {
        private long held;
        private boolean closed;
        private final Map<Object, Long> attached = new IdentityHashMap<>();

        private Share() {
        }

        /**
         * Reserves {@code n} more bytes: completes at once, or after other runs released bytes, or fails with a
         * {@link FetchException} (LIMIT) naming the limit; released with {@link #release}.
         */
        public CompletableFuture<Void> reserve(long n) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            attempt(n, System.nanoTime() + wait.toNanos(), done);
            return done;
        }

        private void attempt(long n, long deadline, CompletableFuture<Void> done) {
            synchronized (this) {
                if (closed) {
                    done.completeExceptionally(new FetchException(ErrorCategory.LIMIT, "the run has ended"));
                    return;
                }
                if (held + n > runMax) {
                    done.completeExceptionally(new FetchException(ErrorCategory.LIMIT, "limit reached: the run's fetch responses would hold more than "
                            + runMax + " bytes at once (jsw.executor.fetch.max-run-bytes)"));
                    return;
                }
                if (takeFromReplica(n)) {
                    held += n;
                    done.complete(null);
                    return;
                }
            }
            if (System.nanoTime() - deadline >= 0) {
                done.completeExceptionally(new FetchException(ErrorCategory.LIMIT, "limit reached: the executor's memory for fetch responses ("
                        + replicaMax + " bytes, jsw.executor.fetch.max-replica-bytes) stayed full for " + wait));
                return;
            }
            Executor later = CompletableFuture.delayedExecutor(POLL_NANOS, TimeUnit.NANOSECONDS);
            later.execute(() -> attempt(n, deadline, done));
        }

        /** Gives back bytes of a body that will not be handed over (failed, cancelled, discarded). */
        public void release(long n) {
            synchronized (this) {
                if (closed || n <= 0) {
                    return;
                }
                held -= n;
            }
            used.addAndGet(-n);
        }

        /** Notes that {@code response} holds {@code n} of the reserved bytes until {@link #releaseBody} or the end of the run. */
        public synchronized void attach(Object response, long n) {
            if (!closed && n > 0) {
                attached.merge(response, n, Long::sum);
            }
        }

        /** The response reached the workflow's worker, or was dropped (a retried 429 or 401): the executor no longer holds its body. */
        public void releaseBody(Object response) {
            Long n;
            synchronized (this) {
                n = attached.remove(response);
            }
            if (n != null) {
                release(n);
            }
        }

        /** The run ended: everything it still holds is released, and it reserves nothing more. */
        @Override
        public void close() {
            long n;
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
                n = held;
                held = 0;
                attached.clear();
            }
            used.addAndGet(-n);
        }
    }
}
