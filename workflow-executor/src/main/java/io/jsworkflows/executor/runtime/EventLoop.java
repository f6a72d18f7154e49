package io.jsworkflows.executor.runtime;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The event loop of one run. A GraalJS context is single threaded: async work (HTTP, token lookups, timers) completes on
 * other threads and only posts its continuation here; {@link #runUntil} executes continuations on the run's thread.
 * With an {@link RunHost.Inbox} (a worker's lane), the run's thread reads the host's answers itself while it waits, so
 * an answer reaches the JavaScript without a hand-off between threads.
 */
final class EventLoop {

    private final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
    private final RunHost.Inbox inbox;
    private final Thread owner = Thread.currentThread();
    /** async operations started and not yet delivered; touched only on the loop thread */
    private int pending;
    private volatile boolean closed;

    EventLoop(RunHost.Inbox inbox) {
        this.inbox = inbox;
    }

    /** Thread-safe. After the run ended, late completions are dropped. */
    void post(Runnable task) {
        if (!closed) {
            queue.add(task);
            if (inbox != null && Thread.currentThread() != owner) {
                inbox.wakeup();
            }
        }
    }

    /** On the loop thread: track an async operation whose callbacks run later on the loop thread. */
    <T> void track(CompletableFuture<T> future, Consumer<T> onOk, Consumer<Throwable> onErr) {
        pending++;
        future.whenComplete((v, t) -> post(() -> {
            pending--;
            if (t == null) {
                onOk.accept(v);
            } else {
                onErr.accept(unwrap(t));
            }
        }));
    }

    void retain() {
        pending++;
    }

    void release() {
        pending--;
    }

    void close() {
        closed = true;
        queue.clear();
    }

    /**
     * Runs posted tasks on the calling thread until {@code done}.
     *
     * @throws TimeoutException      when the deadline passes
     * @throws IllegalStateException when nothing is pending but the run is not done (a promise nobody can settle)
     */
    void runUntil(BooleanSupplier done, long deadlineNanos) throws TimeoutException, InterruptedException {
        while (!done.getAsBoolean()) {
            Runnable task = queue.poll();
            if (task == null) {
                if (pending == 0) {
                    throw new IllegalStateException("the workflow awaits a promise that can never settle "
                            + "(nothing is pending: no fetch, token lookup or timer)");
                }
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException();
                }
                if (inbox != null) {
                    inbox.pump(left); // answers complete their futures here, which post to the queue
                    continue;
                }
                task = queue.poll(left, TimeUnit.NANOSECONDS);
                if (task == null) {
                    continue;
                }
            }
            task.run();
        }
    }

    static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
