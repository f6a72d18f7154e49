package io.jsworkflows.refresher.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** Up while beating; down once stalled past the timeout, stopped by an error, or closed. */
class LoopHeartbeatTest {

    final AtomicLong now = new AtomicLong(1_000);
    final LoopHeartbeat heartbeat = new LoopHeartbeat("grants", Duration.ofSeconds(10), now::get);

    @Test
    void upWhileItBeatsWithinTheStallTimeout() {
        now.addAndGet(Duration.ofSeconds(9).toNanos());
        assertThat(heartbeat.status()).isEqualTo(new LoopHeartbeat.Status("grants", true, "running"));
        heartbeat.beat();
        now.addAndGet(Duration.ofSeconds(9).toNanos());
        assertThat(heartbeat.up()).isTrue();
    }

    @Test
    void downWhenStalledAndUpAgainWhenItMovesOn() {
        now.addAndGet(Duration.ofSeconds(11).toNanos());
        assertThat(heartbeat.up()).isFalse();
        assertThat(heartbeat.status().detail()).isEqualTo("stalled: no progress for 11 s (stall timeout PT10S)");
        heartbeat.beat();
        assertThat(heartbeat.up()).isTrue();
    }

    @Test
    void downForGoodOnceStoppedByAnError() {
        heartbeat.died(new RuntimeException("User rebalance callback throws an error",
                new IllegalStateException("could not read jsw.connections.tokens")));
        heartbeat.beat();
        assertThat(heartbeat.status().up()).isFalse();
        assertThat(heartbeat.status().detail()).isEqualTo("stopped by IllegalStateException: could not read jsw.connections.tokens");
        heartbeat.closed(); // closing afterwards keeps the reason
        assertThat(heartbeat.status().detail()).startsWith("stopped by IllegalStateException");
    }

    @Test
    void downWhenClosed() {
        heartbeat.closed();
        assertThat(heartbeat.status()).isEqualTo(new LoopHeartbeat.Status("grants", false, "closed"));
    }
}
