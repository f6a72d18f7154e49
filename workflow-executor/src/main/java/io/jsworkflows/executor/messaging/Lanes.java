package io.jsworkflows.executor.messaging;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Fixed single-threaded lanes: work for one key always goes to the same lane, so runs of one record key stay in order
 * while runs of different keys proceed in parallel.
 */
public final class Lanes implements AutoCloseable {

    private final List<ExecutorService> lanes = new ArrayList<>();

    public Lanes(String name, int count) {
        for (int i = 0; i < count; i++) {
            int n = i;
            lanes.add(Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, name + "-" + n);
                t.setDaemon(true);
                return t;
            }));
        }
    }

    public CompletableFuture<Void> submit(Object key, Runnable work) {
        int lane = Math.floorMod(key == null ? 0 : key.hashCode(), lanes.size());
        return CompletableFuture.runAsync(work, lanes.get(lane));
    }

    public int size() {
        return lanes.size();
    }

    @Override
    public void close() {
        lanes.forEach(ExecutorService::shutdownNow);
    }
}
