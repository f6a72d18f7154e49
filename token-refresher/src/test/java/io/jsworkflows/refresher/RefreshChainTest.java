package io.jsworkflows.refresher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.jsworkflows.contracts.Topics;
import io.jsworkflows.contracts.events.ConnectionStatus;
import io.jsworkflows.contracts.events.TokenState;
import io.jsworkflows.contracts.json.ContractsJson;
import io.jsworkflows.refresher.config.RefresherConfig;
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
 * With refresh token rotation on, every connection keeps refreshing after its partition moves to another replica and
 * back again (a rebalance, and a rebuild from scratch): the rotated refresh token travels on the refresh chain topic,
 * sealed, and is tombstoned with the grant.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PlatformTopicsResource.class)
@WithTestResource(HubSpotEmulatorTestResource.class)
class RefreshChainTest {

    static final int CONNECTIONS = 24;

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
    TopicRecords.Recording<JsonNode> chain;
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
        chain.close();
    }

    @Test
    void rotatedRefreshTokensSurviveARebalanceAndARebuild() throws Exception {
        fx = new Fixture();
        chain = TopicRecords.fromNow(Topics.REFRESH_CHAIN, RefreshChainTest::json);
        RefresherReplica first = lifecycle.replica();
        fx.emulator.setRefreshTokenRotation(true); // each refresh returns a new refresh token and revokes the old one
        fx.emulator.setAccessTokenLifetime(Duration.ofSeconds(20)); // refreshed tokens are due again 4-8 s later
        conns = fx.connect(CONNECTIONS, i -> Duration.ofMillis(13_000 + i * 50L));
        Set<String> ids = conns.stream().map(Fixture.Conn::id).collect(Collectors.toSet());

        // every connection refreshed (and rotated) by the application's replica alone
        awaitRefreshed(ids, ids.stream().collect(Collectors.toMap(id -> id, id -> 1L)));

        // a second replica joins: the partitions it takes over continue with their rotated refresh tokens
        second = new RefresherReplica("replica-chain", config, kafka, vertx, new SimpleMeterRegistry()).start();
        await().atMost(Duration.ofSeconds(30)).until(() -> first.ready() && second.ready()
                && !second.owner().assignedPartitions().isEmpty()
                && first.owner().assignedPartitions().size() + second.owner().assignedPartitions().size() == Topics.CONNECTION_PARTITIONS);
        awaitRefreshed(ids, versions(ids));

        // it stops: the first replica rebuilds those partitions from scratch and continues their chains too
        Map<String, Long> atStop = versions(ids);
        second.close();
        await().atMost(Duration.ofSeconds(30)).until(() -> first.ready()
                && first.owner().assignedPartitions().size() == Topics.CONNECTION_PARTITIONS);
        awaitRefreshed(ids, atStop);
        for (Fixture.Conn c : conns.subList(0, 3)) {
            assertThat(fx.valid(fx.open(fx.latest(c.id())))).as("the latest token works at the emulator").isTrue();
        }

        // the chain holds sealed refresh tokens only, bound to their connection
        for (String id : ids) {
            List<JsonNode> links = chain.of(id).stream().map(TopicRecords.Received::value).toList();
            assertThat(links).as("chain records of " + id).isNotEmpty();
            JsonNode last = links.getLast();
            assertThat(last.path("connectionId").asText()).isEqualTo(id);
            assertThat(last.path("workspaceId").asText()).isEqualTo("ws-test");
            assertThat(last.path("grantVersion").asLong()).isEqualTo(1);
            assertThat(last.path("chainVersion").asLong()).isEqualTo(links.size());
            String sealed = last.path("sealedRefreshToken").asText();
            String refreshToken = fx.grants.grantCipher.open(sealed, id);
            assertThat(refreshToken).isNotBlank().isNotEqualTo(conns.stream().filter(c -> c.id().equals(id)).findFirst()
                    .orElseThrow().tokens().refreshToken());
            assertThat(last.toString()).doesNotContain(refreshToken);
        }

        // a deleted connection's chain is tombstoned
        fx.deleteAll(conns);
        await().atMost(Duration.ofSeconds(30)).until(() -> ids.stream().allMatch(id -> {
            List<TopicRecords.Received<JsonNode>> list = chain.of(id);
            return !list.isEmpty() && list.getLast().value() == null;
        }));
        conns = List.of();
    }

    /** Every connection publishes an ACTIVE token newer than {@code since}; none ever falls to NEEDS_REAUTH. */
    private void awaitRefreshed(Set<String> ids, Map<String, Long> since) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .failFast("a connection fell to NEEDS_REAUTH", () -> ids.stream().anyMatch(id -> fx.states(id).stream()
                        .anyMatch(t -> t.status() == ConnectionStatus.NEEDS_REAUTH)))
                .until(() -> ids.stream().allMatch(id -> {
                    TokenState t = fx.latest(id);
                    return t != null && t.tokenVersion() > since.get(id) && t.status() == ConnectionStatus.ACTIVE;
                }));
    }

    private Map<String, Long> versions(Set<String> ids) {
        return ids.stream().collect(Collectors.toMap(id -> id, id -> fx.latest(id).tokenVersion()));
    }

    private static JsonNode json(String value) {
        try {
            return ContractsJson.mapper().readTree(value);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
