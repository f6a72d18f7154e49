package io.jsworkflows.refresher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.jsworkflows.contracts.events.ConnectionStatus;
import io.jsworkflows.contracts.events.TokenState;
import io.jsworkflows.refresher.service.RefresherStats;
import io.jsworkflows.refresher.support.Fixture;
import io.jsworkflows.refresher.support.PlatformTopicsResource;
import io.jsworkflows.testsupport.HubSpotEmulatorTestResource;
import io.jsworkflows.testsupport.KafkaTestResource;
import io.jsworkflows.testsupport.TopicRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** 1,000 connections whose tokens expire over the next minute: every one is refreshed before it expires. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PlatformTopicsResource.class)
@WithTestResource(HubSpotEmulatorTestResource.class)
class RefreshAtScaleTest {

    static final int CONNECTIONS = 1000;

    @Inject
    RefresherLifecycle lifecycle;

    Fixture fx;
    List<Fixture.Conn> conns = List.of();

    @AfterEach
    void cleanUp() {
        fx.deleteAll(conns);
        fx.emulator.resetConfig();
        fx.close();
    }

    @Test
    void thousandConnectionsExpiringWithinAMinuteAreAllRefreshedInTime() throws Exception {
        fx = new Fixture();
        RefresherStats stats = lifecycle.replica().node().stats();
        long expiredBefore = stats.expiredWhileOwnedCount();
        long callsBefore = fx.tokenCalls(200);
        fx.emulator.setAccessTokenLifetime(Duration.ofSeconds(40)); // refreshed tokens live 40 s: a second cycle within the test
        // expiring over one minute, from +15 s to +75 s: the first ones are already inside the 12 s lead (+4 s jitter)
        conns = fx.connect(CONNECTIONS, i -> Duration.ofMillis(15_000 + i * 60L));
        Set<String> ids = conns.stream().map(Fixture.Conn::id).collect(Collectors.toSet());
        Instant lastExpiry = conns.stream().map(Fixture.Conn::expiresAt).max(Comparator.naturalOrder()).orElseThrow();

        // every connection gets a refreshed token (tokenVersion 2: version 1 is the grant's own token)
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .until(() -> ids.stream().allMatch(id -> fx.states(id).stream().anyMatch(s -> s.tokenVersion() >= 2)));
        // and the last original token is past its expiry, so "not one expires" covers the whole minute
        await().atMost(Duration.ofSeconds(30)).until(() -> Instant.now().isAfter(lastExpiry.plusSeconds(1)));

        System.out.printf("[refresher] scale: %d refreshes so far, due-to-start lag mean %.0f ms, max %.0f ms%n",
                stats.refreshes(RefresherStats.Outcome.SUCCESS), stats.meanLagMillis(), stats.maxLagMillis());
        Map<String, List<TopicRecords.Received<TokenState>>> byKey = fx.tokens.byKey();
        byKey.keySet().retainAll(ids);
        assertThat(byKey).hasSize(CONNECTIONS);
        assertThat(Fixture.gaps(byKey)).as("tokens that ran out before the next one was published").isEmpty();
        for (Fixture.Conn c : conns) {
            TopicRecords.Received<TokenState> firstRefresh = byKey.get(c.id()).stream()
                    .filter(r -> r.value().tokenVersion() == 2).findFirst().orElseThrow();
            assertThat(firstRefresh.receivedAt()).as("first refresh of %s", c.id()).isBefore(c.expiresAt());
            assertThat(firstRefresh.value().status()).isEqualTo(ConnectionStatus.ACTIVE);
        }
        assertThat(stats.expiredWhileOwnedCount() - expiredBefore).isZero();

        // each published refresh is one successful call at the emulator, and the token it carries is live there
        long refreshes = byKey.values().stream().flatMap(List::stream).filter(r -> r.value().tokenVersion() >= 2).count();
        assertThat(fx.tokenCalls(200) - callsBefore).isGreaterThanOrEqualTo(refreshes);
        TokenState sample = fx.latest(conns.getLast().id());
        String access = fx.open(sample);
        assertThat(access).isNotEqualTo(conns.getLast().tokens().accessToken());
        assertThat(fx.valid(access)).isTrue();
    }
}
