package io.jsworkflows.executor.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import io.jsworkflows.contracts.crypto.TokenCipher;
import io.jsworkflows.contracts.events.ConnectionStatus;
import io.jsworkflows.contracts.events.TokenState;

/** Tokens stay sealed in the view until a run asks for one; then they are opened once, and a wrong key still shows at that use. */
class TokenViewLazyUnsealTest {

    static final TokenCipher KEY = TokenCipher.fromConfig(TokenCipher.generateKey("k1"), "test key");

    static TokenState state(String connectionId, String handle, String sealed, long tokenVersion) {
        Instant now = Instant.now();
        return new TokenState(TokenState.SCHEMA_VERSION, connectionId, "ws-1", handle, 1L, List.of(), ConnectionStatus.ACTIVE, sealed,
                now.plus(Duration.ofMinutes(30)), tokenVersion, 1, now, null);
    }

    static TokenView view(TokenCipher cipher) {
        TokenView v = new TokenView(null, null, cipher);
        v.markReady();
        return v;
    }

    @Test
    void aTokenIsOpenedOnlyWhenFirstUsedAndThenOnce() throws Exception {
        TokenView v = view(KEY);
        for (int i = 0; i < 100; i++) {
            v.apply("c" + i, state("c" + i, "h" + i, KEY.seal("token-" + i, "c" + i), 1));
        }
        assertThat(v.unseals()).as("nothing opened on arrival").isZero();
        assertThat(v.byId("c7").orElseThrow().opened()).isFalse();
        assertThat(v.byToken("token-7")).as("a token nobody asked for is not indexed").isEmpty();

        // eight threads ask at once: one unseal
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<String>> got = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                got.add(pool.submit(() -> {
                    go.await();
                    return v.tokenNow("ws-1", "h7", Duration.ofSeconds(30)).orElseThrow();
                }));
            }
            go.countDown();
            for (Future<String> f : got) {
                assertThat(f.get()).isEqualTo("token-7");
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(v.unseals()).isEqualTo(1);
        assertThat(v.byToken("token-7")).as("fetch finds the connection of a token a run got")
                .hasValueSatisfying(e -> assertThat(e.state().connectionId()).isEqualTo("c7"));
        assertThat(v.byId("c8").orElseThrow().opened()).isFalse();
    }

    @Test
    void aNewerStateIsOpenedAfreshAndTheOldTokenStillFindsItsConnection() {
        TokenView v = view(KEY);
        v.apply("c1", state("c1", "h", KEY.seal("old", "c1"), 1));
        assertThat(v.tokenNow("ws-1", "h", Duration.ofSeconds(30))).contains("old");
        v.apply("c1", state("c1", "h", KEY.seal("new", "c1"), 2));
        assertThat(v.tokenNow("ws-1", "h", Duration.ofSeconds(30))).contains("new");
        assertThat(v.unseals()).isEqualTo(2);
        // runs still holding the old token may get a 401: it maps to its connection for a while
        assertThat(v.byToken("old")).isPresent();
        assertThat(v.byToken("new")).isPresent();
    }

    @Test
    void aTokenSealedWithAnotherKeySurfacesOnUse() {
        TokenCipher other = TokenCipher.fromConfig(TokenCipher.generateKey("k1"), "other key");
        TokenView v = view(other);
        v.apply("c1", state("c1", "h", KEY.seal("secret-token", "c1"), 1));
        assertThat(v.unseals()).isZero();
        assertThat(v.tokenNow("ws-1", "h", Duration.ofSeconds(30))).isEmpty();
        TokenView.Lookup l = v.evaluate(v.byId("c1").orElseThrow());
        assertThat(l.token()).isNull();
        assertThat(l.error()).contains("cannot be opened by this executor").doesNotContain("secret-token");
        // tried once, not on every use
        v.tokenNow("ws-1", "h", Duration.ofSeconds(30));
        assertThat(v.unseals()).isEqualTo(1);
    }

    @Test
    void aTokenOfAnotherConnectionDoesNotOpen() {
        // associated data = connection id: a sealed token copied to another connection's state cannot be used there
        TokenView v = view(KEY);
        v.apply("c2", state("c2", "h2", KEY.seal("token-of-c1", "c1"), 1));
        assertThat(v.tokenNow("ws-1", "h2", Duration.ofSeconds(30))).isEmpty();
        assertThat(v.byToken("token-of-c1")).isEmpty();
    }
}
