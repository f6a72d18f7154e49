package io.jsworkflows.executor.messaging;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs work for many keys on a fixed number of threads, in order per key: a key's next piece of work is queued only when
 * the previous one finished (and never runs if the previous one failed, so a failed record is retried before the ones
 * behind it). Work of one key never waits for another key's work, so a slow run holds up only its own key and one of
 * the threads.
 */
public final class Lanes implements AutoCloseable {

    private static final Object NO_KEY = new Object();
    private final ThreadPoolExecutor pool;
    private final int size;
    private final Map<Object, CompletableFuture<Void>> tails = new HashMap<>();

    public Lanes(String name, int count) {
        AtomicInteger n = new AtomicInteger();
        this.size = count;
        this.pool = new ThreadPoolExecutor(count, count, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, name + "-" + n.getAndIncrement());
            t.setDaemon(true);
            return t;
        });
    }

    public synchronized CompletableFuture<Void> submit(Object key, Runnable work) {
        Object k = key == null ? NO_KEY : key;
        CompletableFuture<Void> prev = tails.get(k);
        CompletableFuture<Void> next = prev == null ? CompletableFuture.runAsync(work, pool) : prev.thenRunAsync(work, pool);
        tails.put(k, next);
        next.whenComplete((v, t) -> {
            synchronized (this) {
                tails.remove(k, next);
            }
        });
        return next;
    }

    public int size() {
        return size;
    }

    /**
     * Drops the work not yet started and lets the runs in progress finish: interrupting a run would kill the worker
     * JVM hosting it together with its neighbours' runs.
     */
    @Override
    public void close() {
        pool.getQueue().clear();
        pool.shutdown();
    }
}
