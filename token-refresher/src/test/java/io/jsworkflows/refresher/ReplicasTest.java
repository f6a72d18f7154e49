package io.jsworkflows.refresher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.jsworkflows.contracts.Topics;
import io.jsworkflows.contracts.events.TokenState;
import io.jsworkflows.refresher.config.RefresherConfig;
import io.jsworkflows.refresher.service.RefresherStats;
import io.jsworkflows.refresher.support.Fixture;
import io.jsworkflows.refresher.support.PlatformTopicsResource;
import io.jsworkflows.testsupport.HubSpotEmulatorTestResource;
import io.jsworkflows.testsupport.KafkaTestResource;
import io.jsworkflows.testsupport.TopicRecords;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.common.annotation.Identifier;
import io.vertx.mutiny.core.Vertx;

/**
 * Two replicas (the application's and a second one with its own consumer in this JVM) split the partitions; every
 * refresh is exactly one token endpoint call; when one stops, the other takes its partitions over and nothing expires.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PlatformTopicsResource.class)
@WithTestResource(HubSpotEmulatorTestResource.class)
class ReplicasTest {

    static final int CONNECTIONS = 200;

    @Inject
    RefresherLifecycle lifecycle;
    @Inject
    RefresherConfig config;
    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;
    @Inject
    Vertx vertx;

    Fixture fx;
    List<Fixture.Conn> conns = List.of();
    RefresherReplica second;

    @AfterEach
    void cleanUp() {
        if (second != null) {
            second.close();
        }
        fx.deleteAll(conns);
        fx.emulator.resetConfig();
        fx.close();
    }

    @Test
    void replicasSplitPartitionsRefreshEachConnectionOnceAndTakeOver() throws Exception {
        fx = new Fixture();
        RefresherReplica first = lifecycle.replica();
        RefresherStats firstStats = first.node().stats();
        long firstSuccessBefore = firstStats.refreshes(RefresherStats.Outcome.SUCCESS);
        long firstDiscardedBefore = firstStats.refreshes(RefresherStats.Outcome.DISCARDED);
        long firstExpiredBefore = firstStats.expiredWhileOwnedCount();

        second = new RefresherReplica("replica-b", config, kafka, vertx, new SimpleMeterRegistry()).start();
        await().atMost(Duration.ofSeconds(30)).until(() -> first.ready() && second.ready()
                && !first.owner().assignedPartitions().isEmpty() && !second.owner().assignedPartitions().isEmpty()
                && first.owner().assignedPartitions().size() + second.owner().assignedPartitions().size() == Topics.CONNECTION_PARTITIONS);
        Set<Integer> all = new HashSet<>(first.owner().assignedPartitions());
        all.addAll(second.owner().assignedPartitions());
        assertThat(all).containsExactlyInAnyOrderElementsOf(IntStream.range(0, Topics.CONNECTION_PARTITIONS).boxed().toList());

        fx.emulator.setAccessTokenLifetime(Duration.ofSeconds(20)); // refreshed tokens are due again ~5 s later
        long callsBefore = fx.tokenCalls();
        conns = fx.connect(CONNECTIONS, i -> Duration.ofMillis(14_000 + i * 30L));
        Set<String> ids = conns.stream().map(Fixture.Conn::id).collect(Collectors.toSet());

        // a refresh cycle with both replicas
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> ids.stream().allMatch(id -> maxVersion(id) >= 2));
        long secondSuccess = second.node().stats().refreshes(RefresherStats.Outcome.SUCCESS);
        assertThat(firstStats.refreshes(RefresherStats.Outcome.SUCCESS) - firstSuccessBefore).as("first replica refreshed").isPositive();
        assertThat(secondSuccess).as("second replica refreshed").isPositive();

        // stop the second replica: the first takes all partitions over and refreshes every connection again, in time
        Map<String, Long> versionsAtStop = ids.stream().collect(Collectors.toMap(id -> id, this::maxVersion));
        second.close();
        await().atMost(Duration.ofSeconds(30)).until(() -> first.ready()
                && first.owner().assignedPartitions().size() == Topics.CONNECTION_PARTITIONS);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> ids.stream().allMatch(id -> maxVersion(id) >= versionsAtStop.get(id) + 1));

        // stop refreshing (delete the grants), let in-flight calls land, then compare counts exactly
        fx.deleteAll(conns);
        await().atMost(Duration.ofSeconds(15)).until(() -> ids.stream().allMatch(this::tombstoned) && first.node().inFlight() == 0);
        Map<String, List<TopicRecords.Received<TokenState>>> byKey = fx.tokens.byKey();
        byKey.keySet().retainAll(ids);
        List<TokenState> refreshes = byKey.values().stream().flatMap(List::stream).map(TopicRecords.Received::value)
                .filter(v -> v != null && v.tokenVersion() >= 2).toList();
        long distinct = refreshes.stream().map(t -> t.connectionId() + "#" + t.tokenVersion()).distinct().count();
        assertThat(distinct).as("no connection version published twice").isEqualTo(refreshes.size());
        long calls = fx.tokenCalls() - callsBefore;
        // a call still in flight when its grant was deleted is discarded, not published
        long discarded = firstStats.refreshes(RefresherStats.Outcome.DISCARDED) - firstDiscardedBefore;
        assertThat(calls).as("token endpoint calls = published refreshes").isEqualTo(refreshes.size() + discarded);
        long secondTotal = second.node().stats().refreshes(RefresherStats.Outcome.SUCCESS);
        assertThat(firstStats.refreshes(RefresherStats.Outcome.SUCCESS) - firstSuccessBefore + secondTotal).isEqualTo(refreshes.size());
        assertThat(Fixture.gaps(byKey)).as("tokens that ran out before the next one was published").isEmpty();
        assertThat(firstStats.expiredWhileOwnedCount() - firstExpiredBefore).isZero();
        assertThat(second.node().stats().expiredWhileOwnedCount()).isZero();
        System.out.printf("[refresher] replicas: %d refreshes, first %d, second %d%n", refreshes.size(),
                refreshes.size() - secondTotal, secondTotal);
    }

    private long maxVersion(String id) {
        return fx.states(id).stream().mapToLong(TokenState::tokenVersion).max().orElse(0);
    }

    private boolean tombstoned(String id) {
        List<TopicRecords.Received<TokenState>> list = fx.tokens.of(id);
        return !list.isEmpty() && list.getLast().value() == null;
    }
}
