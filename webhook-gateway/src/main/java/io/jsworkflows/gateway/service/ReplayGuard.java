package io.jsworkflows.gateway.service;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.jsworkflows.gateway.config.GatewayConfig;

/**
 * Shopify retries a delivery it got no 2xx for, and an attacker may replay a captured one: a webhook id already
 * published for a source within the window is answered 200 without a second record. An id counts as seen only once its
 * record was acknowledged; a delivery arriving while the same one is being published waits for that publish and shares
 * its outcome, so two concurrent identical deliveries produce one record.
 *
 * <p>Caffeine directly rather than {@code @CacheResult}: the in-flight hand-off and "remember only after the ack" are
 * not expressible with the annotations.
 */
@ApplicationScoped
public class ReplayGuard {

    /** What became of a delivery. */
    public enum Result {
        PUBLISHED, DUPLICATE
    }

    private final Cache<String, Boolean> seen;
    private final Map<String, CompletableFuture<Void>> inFlight = new ConcurrentHashMap<>();

    public ReplayGuard(GatewayConfig config) {
        this.seen = Caffeine.newBuilder()
                .expireAfterWrite(config.replay().window())
                .maximumSize(config.replay().maxEntries())
                .build();
    }

    /**
     * Publishes with {@code publish} unless the delivery was already published (or is being published, then its
     * outcome is shared). The returned stage fails when the publish failed.
     */
    public CompletableFuture<Result> once(String sourceId, String webhookId, Supplier<CompletableFuture<Void>> publish) {
        String key = sourceId + '\u0000' + webhookId;
        if (seen.getIfPresent(key) != null) {
            return CompletableFuture.completedFuture(Result.DUPLICATE);
        }
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> other = inFlight.putIfAbsent(key, mine);
        if (other != null) {
            return other.thenApply(x -> Result.DUPLICATE);
        }
        if (seen.getIfPresent(key) != null) { // finished between the first look and the registration
            inFlight.remove(key, mine);
            mine.complete(null);
            return CompletableFuture.completedFuture(Result.DUPLICATE);
        }
        CompletableFuture<Void> sent;
        try {
            sent = publish.get();
        } catch (RuntimeException e) {
            sent = CompletableFuture.failedFuture(e);
        }
        return sent.handle((x, failure) -> {
            if (failure == null) {
                seen.put(key, Boolean.TRUE);
            }
            inFlight.remove(key, mine);
            if (failure == null) {
                mine.complete(null);
                return Result.PUBLISHED;
            }
            mine.completeExceptionally(failure);
            throw failure instanceof java.util.concurrent.CompletionException ce ? ce : new java.util.concurrent.CompletionException(failure);
        });
    }
}
