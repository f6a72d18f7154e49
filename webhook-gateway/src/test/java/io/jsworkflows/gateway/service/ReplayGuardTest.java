package io.jsworkflows.gateway.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.jsworkflows.gateway.config.GatewayConfig;
import io.quarkus.runtime.configuration.MemorySize;

/** One record per (source, webhook id): remembered only after the ack, shared while in flight, per source. */
class ReplayGuardTest {

    private static GatewayConfig config() {
        return new GatewayConfig() {
            public MemorySize maxBodySize() {
                return new MemorySize(java.math.BigInteger.valueOf(1 << 20));
            }

            public MemorySize workerThreshold() {
                return new MemorySize(java.math.BigInteger.valueOf(1 << 16));
            }

            public Replay replay() {
                return new Replay() {
                    public Duration window() {
                        return Duration.ofMinutes(10);
                    }

                    public long maxEntries() {
                        return 1000;
                    }
                };
            }

            public Publish publish() {
                return null;
            }
        };
    }

    private final ReplayGuard guard = new ReplayGuard(config());
    private final AtomicInteger publishes = new AtomicInteger();

    private CompletableFuture<Void> ok() {
        publishes.incrementAndGet();
        return CompletableFuture.completedFuture(null);
    }

    @Test
    void aStoredIdIsADuplicateForItsSourceOnly() {
        assertThat(guard.once("s1", "w1", this::ok).join()).isEqualTo(ReplayGuard.Result.PUBLISHED);
        assertThat(guard.once("s1", "w1", this::ok).join()).isEqualTo(ReplayGuard.Result.DUPLICATE);
        assertThat(guard.once("s2", "w1", this::ok).join()).isEqualTo(ReplayGuard.Result.PUBLISHED);
        assertThat(publishes).hasValue(2);
    }

    @Test
    void aFailedPublishIsNotRememberedSoTheRetryIsPublished() {
        CompletableFuture<ReplayGuard.Result> failed = guard.once("s1", "w2", () -> CompletableFuture.failedFuture(new IllegalStateException("down")));
        assertThatThrownBy(failed::join).isInstanceOf(CompletionException.class);
        assertThat(guard.once("s1", "w2", this::ok).join()).isEqualTo(ReplayGuard.Result.PUBLISHED);
        assertThat(publishes).hasValue(1);
    }

    @Test
    void aDeliveryArrivingWhileTheSameIsInFlightSharesItsOutcome() {
        CompletableFuture<Void> ack = new CompletableFuture<>();
        CompletableFuture<ReplayGuard.Result> first = guard.once("s1", "w3", () -> ack);
        CompletableFuture<ReplayGuard.Result> second = guard.once("s1", "w3", this::ok);
        assertThat(second).isNotDone();
        ack.complete(null);
        assertThat(first.join()).isEqualTo(ReplayGuard.Result.PUBLISHED);
        assertThat(second.join()).isEqualTo(ReplayGuard.Result.DUPLICATE);
        assertThat(publishes).hasValue(0);

        CompletableFuture<Void> nack = new CompletableFuture<>();
        CompletableFuture<ReplayGuard.Result> a = guard.once("s1", "w4", () -> nack);
        CompletableFuture<ReplayGuard.Result> b = guard.once("s1", "w4", this::ok);
        nack.completeExceptionally(new IllegalStateException("timeout"));
        assertThatThrownBy(a::join).isInstanceOf(CompletionException.class);
        assertThatThrownBy(b::join).isInstanceOf(CompletionException.class); // answered 503 too: Shopify retries
        assertThat(guard.once("s1", "w4", this::ok).join()).isEqualTo(ReplayGuard.Result.PUBLISHED);
    }
}
