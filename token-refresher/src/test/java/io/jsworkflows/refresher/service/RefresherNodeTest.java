package io.jsworkflows.refresher.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.jsworkflows.contracts.crypto.TokenCipher;
import io.jsworkflows.contracts.events.ConnectionEvent;
import io.jsworkflows.contracts.events.ConnectionStatus;
import io.jsworkflows.contracts.events.GrantState;
import io.jsworkflows.contracts.events.RefreshRequest;
import io.jsworkflows.contracts.events.TokenState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;

/** The node's state machine with an in-memory publisher and a scripted token endpoint (no broker, no HTTP). */
class RefresherNodeTest {

    static final TokenCipher GRANT = TokenCipher.fromConfig(TokenCipher.generateKey("g1"), "grant");
    static final TokenCipher TOKEN = TokenCipher.fromConfig(TokenCipher.generateKey("t1"), "token");

    final Published published = new Published();
    final AtomicInteger calls = new AtomicInteger();
    volatile Function<String, Uni<RefreshOutcome>> script = rt -> Uni.createFrom().item(new RefreshOutcome.Success("at-new", rt, 60));
    RefresherNode node;

    RefresherNode node(Duration lead) {
        var settings = new RefresherNode.Settings(new RefreshTiming(lead, Duration.ofMillis(100), Duration.ofMillis(50),
                Duration.ofMillis(200)), 4, Duration.ofMillis(300), Duration.ofSeconds(5), Duration.ofMillis(20), Duration.ofSeconds(2),
                Duration.ofMinutes(1));
        node = new RefresherNode("test", settings, GRANT, TOKEN, rt -> {
            calls.incrementAndGet();
            return script.apply(rt);
        }, published, new RefresherStats(new SimpleMeterRegistry()));
        node.start();
        node.partitionAssigned(0);
        node.partitionCaughtUp(0);
        return node;
    }

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    static GrantState grant(String id, long version, Instant expiresAt) {
        return new GrantState(1, id, "ws", "handle-" + id, ConnectionStatus.ACTIVE, List.of("oauth"), 1L, "d",
                GRANT.seal("rt-" + id + "-" + version, id), TOKEN.seal("at-" + version, id), expiresAt, version, Instant.now());
    }

    static RefreshRequest request(String id, long known) {
        return new RefreshRequest(1, "r", id, "ws", RefreshRequest.Reason.HTTP_401, known, "test", Instant.now());
    }

    @Test
    void dueTokenIsRefreshedOnceAndPublishedSealedWithTheNextVersion() {
        node(Duration.ofSeconds(10));
        node.applyGrant(0, "c1", grant("c1", 1, Instant.now().plusSeconds(5)));
        await().atMost(Duration.ofSeconds(3)).until(() -> published.tokens("c1").size() == 2);
        TokenState initial = published.tokens("c1").get(0);
        TokenState refreshed = published.tokens("c1").get(1);
        assertThat(initial.tokenVersion()).isEqualTo(1);
        assertThat(TOKEN.open(initial.sealedAccessToken(), "c1")).isEqualTo("at-1");
        assertThat(refreshed.tokenVersion()).isEqualTo(2);
        assertThat(refreshed.status()).isEqualTo(ConnectionStatus.ACTIVE);
        assertThat(TOKEN.open(refreshed.sealedAccessToken(), "c1")).isEqualTo("at-new");
        assertThat(refreshed.expiresAt()).isAfter(Instant.now().plusSeconds(50));
        assertThat(calls.get()).isEqualTo(1);
        assertThat(published.events).isEmpty(); // a healthy refresh is not an event
    }

    @Test
    void oneRefreshPerConnectionAtATime() {
        Queue<CompletableFuture<RefreshOutcome>> pending = new ConcurrentLinkedQueue<>();
        script = rt -> {
            CompletableFuture<RefreshOutcome> f = new CompletableFuture<>();
            pending.add(f);
            return Uni.createFrom().completionStage(f);
        };
        node(Duration.ofSeconds(10));
        node.applyGrant(0, "c1", grant("c1", 1, Instant.now().plusSeconds(5)));
        await().atMost(Duration.ofSeconds(3)).until(() -> calls.get() == 1);
        assertThat(node.onRefreshRequest(request("c1", 1))).isFalse();
        assertThat(node.inFlight()).isEqualTo(1);
        pending.poll().complete(new RefreshOutcome.Success("at-2", null, 60));
        await().atMost(Duration.ofSeconds(3)).until(() -> published.tokens("c1").size() == 2);
        assertThat(calls.get()).isEqualTo(1);
        assertThat(node.inFlight()).isZero();
    }

    @Test
    void rejectedRefreshTokenNeedsReauthUntilANewerGrant() {
        script = rt -> Uni.createFrom().item(new RefreshOutcome.Rejected("refresh token rejected (HTTP 400 invalid_grant)"));
        node(Duration.ofSeconds(10));
        node.applyGrant(0, "c1", grant("c1", 1, Instant.now().plusSeconds(5)));
        await().atMost(Duration.ofSeconds(3)).until(() -> published.tokens("c1").size() == 2);
        TokenState t = published.tokens("c1").get(1);
        assertThat(t.status()).isEqualTo(ConnectionStatus.NEEDS_REAUTH);
        assertThat(t.sealedAccessToken()).isNull();
        assertThat(t.statusReason()).contains("invalid_grant");
        assertThat(published.events).extracting(ConnectionEvent::type).containsExactly(ConnectionEvent.Type.NEEDS_REAUTH);
        assertThat(node.onRefreshRequest(request("c1", 2))).isFalse();
        assertThat(node.scheduledCount()).isZero();
        assertThat(calls.get()).isEqualTo(1);

        script = rt -> Uni.createFrom().item(new RefreshOutcome.Success("at-after-reconnect", null, 60));
        node.applyGrant(0, "c1", grant("c1", 2, Instant.now().plusSeconds(5)));
        await().atMost(Duration.ofSeconds(3)).until(() -> published.tokens("c1").size() == 4);
        TokenState reconnected = published.tokens("c1").get(2);
        assertThat(reconnected.status()).isEqualTo(ConnectionStatus.ACTIVE);
        assertThat(reconnected.grantVersion()).isEqualTo(2);
        assertThat(reconnected.tokenVersion()).isEqualTo(3);
        assertThat(published.tokens("c1").get(3).tokenVersion()).isEqualTo(4);
        assertThat(calls.get()).isEqualTo(2);
    }

    @Test
    void transientFailuresDegradeOnceKeepTheOldTokenAndRecover() {
        AtomicInteger failuresLeft = new AtomicInteger(3);
        script = rt -> Uni.createFrom().item(failuresLeft.getAndDecrement() > 0
                ? new RefreshOutcome.Transient("token endpoint answered HTTP 503", null)
                : new RefreshOutcome.Success("at-ok", null, 60));
        node(Duration.ofSeconds(10));
        node.applyGrant(0, "c1", grant("c1", 1, Instant.now().plusSeconds(8)));
        await().atMost(Duration.ofSeconds(5)).until(() -> published.events.size() == 2);
        assertThat(published.events).extracting(ConnectionEvent::type)
                .containsExactly(ConnectionEvent.Type.DEGRADED, ConnectionEvent.Type.RECOVERED);
        List<TokenState> ts = published.tokens("c1");
        assertThat(ts).extracting(TokenState::status)
                .containsExactly(ConnectionStatus.ACTIVE, ConnectionStatus.DEGRADED, ConnectionStatus.ACTIVE);
        assertThat(ts.get(1).sealedAccessToken()).isEqualTo(ts.get(0).sealedAccessToken());
        assertThat(calls.get()).isEqualTo(4);
        assertThat(node.stats().refreshes(RefresherStats.Outcome.TRANSIENT)).isEqualTo(3);
    }

    @Test
    void tokenRunningOutWhileDegradedIsPublishedExpiredAndCounted() {
        script = rt -> Uni.createFrom().item(new RefreshOutcome.Transient("token endpoint call timed out", null));
        node(Duration.ofSeconds(10));
        node.applyGrant(0, "c1", grant("c1", 1, Instant.now().plusMillis(600)));
        await().atMost(Duration.ofSeconds(3)).until(() -> published.tokens("c1").stream()
                .anyMatch(t -> t.status() == ConnectionStatus.EXPIRED));
        assertThat(published.events).extracting(ConnectionEvent::type)
                .containsExactly(ConnectionEvent.Type.DEGRADED, ConnectionEvent.Type.EXPIRED);
        assertThat(node.stats().expiredWhileOwnedCount()).isEqualTo(1);
        script = rt -> Uni.createFrom().item(new RefreshOutcome.Success("at-ok", null, 60));
        await().atMost(Duration.ofSeconds(3)).until(() -> published.events.size() == 3);
        assertThat(published.events.get(2).type()).isEqualTo(ConnectionEvent.Type.RECOVERED);
        assertThat(published.tokens("c1").getLast().status()).isEqualTo(ConnectionStatus.ACTIVE);
    }

    @Test
    void rejectedClientRaisesOneAlarmUntilARefreshSucceeds() {
        script = rt -> Uni.createFrom().item(new RefreshOutcome.Misconfigured("token endpoint rejected the client credentials"));
        node(Duration.ofSeconds(10));
        node.applyGrant(0, "c1", grant("c1", 1, Instant.now().plusSeconds(8)));
        node.applyGrant(0, "c2", grant("c2", 1, Instant.now().plusSeconds(8)));
        await().atMost(Duration.ofSeconds(3)).until(() -> calls.get() >= 4); // both retried slowly
        assertThat(node.configurationAlarm()).contains("client credentials");
        assertThat(published.events).extracting(ConnectionEvent::type).containsExactly(ConnectionEvent.Type.CONFIGURATION_ALARM);
        script = rt -> Uni.createFrom().item(new RefreshOutcome.Success("at-ok", null, 60));
        await().atMost(Duration.ofSeconds(3)).until(() -> node.configurationAlarm() == null);
    }

    @Test
    void refreshRequestsAreIgnoredRightAfterASuccess() {
        node(Duration.ofSeconds(2));
        node.applyGrant(0, "c1", grant("c1", 1, Instant.now().plusSeconds(60)));
        await().atMost(Duration.ofSeconds(3)).until(() -> published.tokens("c1").size() == 1);
        assertThat(node.onRefreshRequest(request("c1", 1))).isTrue();
        await().atMost(Duration.ofSeconds(3)).until(() -> published.tokens("c1").size() == 2);
        assertThat(node.onRefreshRequest(request("c1", 2))).as("within the recent window").isFalse();
        assertThat(node.onRefreshRequest(request("unknown", 1))).isFalse();
        assertThat(calls.get()).isEqualTo(1);
    }

    @Test
    void refreshRequestFromAReaderBehindTheLatestTokenIsIgnored() {
        node(Duration.ofSeconds(2));
        node.applyGrant(0, "c1", grant("c1", 1, Instant.now().plusSeconds(60)));
        node.applyGrant(0, "c1", grant("c1", 2, Instant.now().plusSeconds(60))); // reconnect: token v2
        assertThat(published.tokens("c1")).hasSize(2);
        assertThat(node.onRefreshRequest(request("c1", 1))).as("v2 is already published").isFalse();
        assertThat(node.onRefreshRequest(request("c1", 0))).as("version unknown: refresh").isTrue();
        await().atMost(Duration.ofSeconds(3)).until(() -> published.tokens("c1").size() == 3);
    }

    @Test
    void revocationWaitsForInFlightRefreshesAndDropsThePartition() {
        Queue<CompletableFuture<RefreshOutcome>> pending = new ConcurrentLinkedQueue<>();
        script = rt -> {
            CompletableFuture<RefreshOutcome> f = new CompletableFuture<>();
            pending.add(f);
            return Uni.createFrom().completionStage(f);
        };
        node(Duration.ofSeconds(10));
        node.applyGrant(0, "c1", grant("c1", 1, Instant.now().plusSeconds(5)));
        await().atMost(Duration.ofSeconds(3)).until(() -> calls.get() == 1);
        Thread.ofVirtual().start(() -> {
            await().pollDelay(Duration.ofMillis(200)).until(() -> true);
            pending.poll().complete(new RefreshOutcome.Success("at-2", null, 60));
        });
        node.partitionsRevoked(List.of(0), false);
        assertThat(published.tokens("c1")).hasSize(2).last().extracting(TokenState::tokenVersion).isEqualTo(2L);
        assertThat(published.flushes.get()).isEqualTo(1);
        assertThat(node.ownedConnections()).isZero();
    }

    @Test
    void deletedConnectionIsTombstoned() {
        node(Duration.ofSeconds(2));
        node.applyGrant(0, "c1", grant("c1", 1, Instant.now().plusSeconds(60)));
        node.applyGrant(0, "c1", null);
        assertThat(published.tombstones).containsExactly("c1");
        assertThat(node.ownedConnections()).isZero();
    }

    @Test
    void rotatedRefreshTokenIsRecordedOnTheChainBeforeTheTokenStateAndUsedNext() {
        AtomicInteger rotation = new AtomicInteger();
        List<String> used = new CopyOnWriteArrayList<>();
        script = rt -> {
            used.add(rt);
            return Uni.createFrom().item(new RefreshOutcome.Success("at-" + rotation.get(), "rt-rotated-" + rotation.incrementAndGet(), 1));
        };
        node(Duration.ofSeconds(10));
        node.applyGrant(0, "c1", grant("c1", 1, Instant.now().plusSeconds(5)));
        await().atMost(Duration.ofSeconds(5)).until(() -> published.tokens("c1").size() >= 3);
        assertThat(used.subList(0, 2)).containsExactly("rt-c1-1", "rt-rotated-1");
        List<RefreshChainState> links = published.chain.stream().filter(l -> l.connectionId().equals("c1")).toList();
        assertThat(links.get(0).chainVersion()).isEqualTo(1);
        assertThat(links.get(1).chainVersion()).isEqualTo(2);
        assertThat(links.get(0).grantVersion()).isEqualTo(1);
        assertThat(links.get(0).workspaceId()).isEqualTo("ws");
        assertThat(GRANT.open(links.get(0).sealedRefreshToken(), "c1")).isEqualTo("rt-rotated-1");
        // each refreshed token state went out only after the chain link it depends on
        assertThat(published.order.subList(0, 5)).containsExactly("token c1 1", "chain c1 1", "token c1 2", "chain c1 2", "token c1 3");
    }

    @Test
    void aChainWriteThatIsNotAcknowledgedPublishesNoTokenAndRetriesWithTheRotatedToken() {
        AtomicInteger rotation = new AtomicInteger();
        List<String> used = new CopyOnWriteArrayList<>();
        script = rt -> {
            used.add(rt);
            return Uni.createFrom().item(new RefreshOutcome.Success("at-x", "rt-rotated-" + rotation.incrementAndGet(), 60));
        };
        published.chainFailures.set(1);
        node(Duration.ofSeconds(10));
        node.applyGrant(0, "c1", grant("c1", 1, Instant.now().plusSeconds(5)));
        await().atMost(Duration.ofSeconds(5)).until(() -> published.tokens("c1").stream().anyMatch(t -> t.tokenVersion() == 3));
        // v2 is the DEGRADED state (same token); the refresh whose chain write failed published nothing
        assertThat(published.tokens("c1")).extracting(TokenState::status)
                .containsExactly(ConnectionStatus.ACTIVE, ConnectionStatus.DEGRADED, ConnectionStatus.ACTIVE);
        assertThat(used).containsExactly("rt-c1-1", "rt-rotated-1");
        assertThat(published.chain).extracting(RefreshChainState::chainVersion).containsExactly(2L);
        assertThat(GRANT.open(published.chain.getFirst().sealedRefreshToken(), "c1")).isEqualTo("rt-rotated-2");
    }

    @Test
    void aRebuiltPartitionContinuesTheChainOfTheSameGrantVersionOnly() {
        List<String> used = new CopyOnWriteArrayList<>();
        script = rt -> {
            used.add(rt);
            return Uni.createFrom().item(new RefreshOutcome.Success("at-x", rt, 60));
        };
        node(Duration.ofSeconds(10));
        node.partitionAssigned(1);
        node.applyChain(1, "c1", chainLink("c1", 1, 3, "rt-c1-chain-3"));
        node.applyChain(1, "c1", chainLink("c1", 1, 2, "rt-c1-chain-2")); // older link read after a newer one
        node.applyChain(1, "c2", chainLink("c2", 1, 1, "rt-c2-chain-1")); // c2 was reconnected since
        node.applyGrant(1, "c1", grant("c1", 1, Instant.now().plusSeconds(5)));
        node.applyGrant(1, "c2", grant("c2", 2, Instant.now().plusSeconds(5)));
        node.partitionCaughtUp(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> used.size() == 2);
        assertThat(used).containsExactlyInAnyOrder("rt-c1-chain-3", "rt-c2-2");

        node.applyGrant(1, "c1", null); // deleted: its chain goes with it
        assertThat(published.chainTombstones).containsExactly("c1");
    }

    static RefreshChainState chainLink(String id, long grantVersion, long chainVersion, String refreshToken) {
        return new RefreshChainState(1, id, "ws", grantVersion, GRANT.seal(refreshToken, id), chainVersion, Instant.now());
    }

    /** In-memory publisher. */
    static final class Published implements StatePublisher {
        final List<TokenState> tokens = new CopyOnWriteArrayList<>();
        final List<ConnectionEvent> events = new CopyOnWriteArrayList<>();
        final List<String> tombstones = new CopyOnWriteArrayList<>();
        final List<RefreshChainState> chain = new CopyOnWriteArrayList<>();
        final List<String> chainTombstones = new CopyOnWriteArrayList<>();
        final List<String> order = new CopyOnWriteArrayList<>();
        final AtomicInteger chainFailures = new AtomicInteger();
        final AtomicInteger flushes = new AtomicInteger();

        @Override
        public void chain(RefreshChainState state) {
            if (chainFailures.getAndDecrement() > 0) {
                throw new WriteFailedException("the broker did not acknowledge the refresh chain record");
            }
            chain.add(state);
            order.add("chain " + state.connectionId() + " " + state.chainVersion());
        }

        @Override
        public void chainTombstone(String connectionId) {
            chainTombstones.add(connectionId);
        }

        List<TokenState> tokens(String id) {
            return tokens.stream().filter(t -> t.connectionId().equals(id)).toList();
        }

        @Override
        public void token(TokenState state) {
            tokens.add(state);
            order.add("token " + state.connectionId() + " " + state.tokenVersion());
        }

        @Override
        public void tokenTombstone(String connectionId) {
            tombstones.add(connectionId);
        }

        @Override
        public void event(ConnectionEvent event) {
            events.add(event);
        }

        @Override
        public void flush() {
            flushes.incrementAndGet();
        }
    }
}
