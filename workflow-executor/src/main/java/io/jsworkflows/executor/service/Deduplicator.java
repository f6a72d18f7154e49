package io.jsworkflows.executor.service;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Drops a trigger record a workflow has already handled within the window (Shopify redelivers the same webhook id).
 * In memory per replica and bounded: after a replica restart or a partition move, a duplicate can run once more,
 * which at-least-once delivery allows.
 */
public final class Deduplicator {

    private final long windowNanos;
    private final int maxEntries;
    private final LinkedHashMap<String, Long> seen = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > maxEntries;
        }
    };

    public Deduplicator(Duration window, int maxEntries) {
        this.windowNanos = window.toNanos();
        this.maxEntries = maxEntries;
    }

    /** True (and remembered) the first time within the window; false for a duplicate. */
    public synchronized boolean firstTime(String workflowId, String idempotencyKey) {
        String k = workflowId + ":" + idempotencyKey;
        long now = System.nanoTime();
        Long at = seen.get(k);
        if (at != null && now - at < windowNanos) {
            return false;
        }
        seen.remove(k);
        seen.put(k, now);
        return true;
    }

    /** Forget a key whose handling did not complete, so that its redelivery runs. */
    public synchronized void forget(String workflowId, String idempotencyKey) {
        seen.remove(workflowId + ":" + idempotencyKey);
    }
}
