package io.jsworkflows.refresher;

import static org.assertj.core.api.Assertions.assertThat;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.jsworkflows.contracts.events.ConnectionEvent;
import io.jsworkflows.contracts.crypto.TokenCipher;
import io.jsworkflows.contracts.events.ConnectionStatus;
import io.jsworkflows.contracts.events.GrantState;
import io.jsworkflows.contracts.events.TokenState;
import io.jsworkflows.refresher.config.RefresherConfig;
import io.jsworkflows.refresher.service.RefresherStats;
import io.jsworkflows.refresher.support.Configs;
import io.jsworkflows.refresher.support.Fixture;
import io.jsworkflows.refresher.support.PlatformTopicsResource;
import io.jsworkflows.testsupport.HubSpotEmulator;
import io.jsworkflows.testsupport.HubSpotEmulatorTestResource;
import io.jsworkflows.testsupport.KafkaTestResource;
import io.jsworkflows.testsupport.TopicRecords;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.common.annotation.Identifier;
import io.vertx.mutiny.core.Vertx;

/** Revoked grants, outages, wrong client credentials and refresh requests, against the real emulator. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PlatformTopicsResource.class)
@WithTestResource(HubSpotEmulatorTestResource.class)
class FailureHandlingTest {

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
    final List<Fixture.Conn> conns = new ArrayList<>();

    @BeforeEach
    void setUp() {
        fx = new Fixture();
    }

    @AfterEach
    void cleanUp() {
        fx.emulator.clearFaults();
        fx.deleteAll(conns);
        fx.emulator.resetConfig();
        fx.close();
    }

    @Test
    void revokedRefreshTokenNeedsReauthAfterOneAttemptAndAReconnectClearsIt() throws Exception {
        HubSpotEmulator.Tokens issued = fx.emulator.issueTokens(HubSpotEmulator.PORTAL_ID, List.of("oauth"));
        fx.emulator.revokeRefreshToken(issued.refreshToken());
        long rejectedBefore = fx.tokenCalls(400);
        String id = io.jsworkflows.refresher.support.Grants.newConnectionId();
        conns.add(new Fixture.Conn(id, issued, Instant.now().plusSeconds(10)));
        fx.grants.publish(fx.grants.grant(id, 1, issued.refreshToken(), issued.accessToken(), Instant.now().plusSeconds(10)));

        TokenState reauth = await().atMost(Duration.ofSeconds(30))
                .until(() -> fx.latest(id), t -> t != null && t.status() == ConnectionStatus.NEEDS_REAUTH);
        assertThat(reauth.sealedAccessToken()).isNull();
        assertThat(reauth.statusReason()).contains("invalid_grant");
        await().atMost(Duration.ofSeconds(30)).until(() -> fx.events(id).stream().anyMatch(e -> e.type() == ConnectionEvent.Type.NEEDS_REAUTH));
        // one attempt, and no retries afterwards
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(10)).until(() -> fx.tokenCalls(400) - rejectedBefore == 1);
        assertThat(fx.latest(id).status()).isEqualTo(ConnectionStatus.NEEDS_REAUTH);

        // the user reconnects: a newer grant with fresh tokens
        HubSpotEmulator.Tokens again = fx.emulator.issueTokens(HubSpotEmulator.PORTAL_ID, List.of("oauth"));
        fx.grants.publish(fx.grants.grant(id, 2, again.refreshToken(), again.accessToken(), Instant.now().plusSeconds(10)));
        TokenState active = await().atMost(Duration.ofSeconds(30))
                .until(() -> fx.latest(id), t -> t != null && t.grantVersion() == 2 && t.tokenVersion() > reauth.tokenVersion() + 1);
        assertThat(active.status()).isEqualTo(ConnectionStatus.ACTIVE);
        assertThat(fx.valid(fx.open(active))).as("the refreshed token works at the emulator").isTrue();
    }

    @Test
    void outageDegradesBacksOffKeepsTheOldTokenAndRecovers() throws Exception {
        fx.emulator.setAccessTokenLifetime(Duration.ofSeconds(60));
        fx.emulator.injectFault(HubSpotEmulator.Fault.on("/oauth/v1/token").method("POST").status(503).errorRate(0.5));
        long transientBefore = lifecycle.replica().node().stats().refreshes(RefresherStats.Outcome.TRANSIENT);
        List<Fixture.Conn> batch = fx.connect(20, i -> Duration.ofSeconds(20));
        conns.addAll(batch);
        Set<String> ids = batch.stream().map(Fixture.Conn::id).collect(Collectors.toSet());

        // with half the calls failing, some connections degrade; each is told once
        await().atMost(Duration.ofSeconds(30)).until(() -> fx.events.all().stream()
                .anyMatch(r -> ids.contains(r.key()) && r.value().type() == ConnectionEvent.Type.DEGRADED));
        // the outage goes on for a few retries (backed off) before it ends
        await().atMost(Duration.ofSeconds(30)).until(() -> lifecycle.replica().node().stats()
                .refreshes(RefresherStats.Outcome.TRANSIENT) - transientBefore >= 4);
        fx.emulator.clearFaults();

        await().atMost(Duration.ofSeconds(30)).until(() -> ids.stream().allMatch(id -> {
            TokenState t = fx.latest(id);
            return t != null && t.status() == ConnectionStatus.ACTIVE && t.tokenVersion() >= 2;
        }));
        int degraded = 0;
        for (Fixture.Conn c : batch) {
            List<ConnectionEvent> events = fx.events(c.id());
            List<ConnectionEvent> deg = events.stream().filter(e -> e.type() == ConnectionEvent.Type.DEGRADED).toList();
            if (deg.isEmpty()) {
                continue;
            }
            degraded++;
            assertThat(deg).as("one degraded event").hasSize(1);
            ConnectionEvent recovered = events.stream().filter(e -> e.type() == ConnectionEvent.Type.RECOVERED).findFirst().orElseThrow();
            // backoff: the successful retry came no sooner than the first backoff step (1 s)
            assertThat(Duration.between(deg.getFirst().occurredAt(), recovered.occurredAt())).isGreaterThanOrEqualTo(Duration.ofMillis(900));
            TokenState degradedState = fx.states(c.id()).stream().filter(t -> t.status() == ConnectionStatus.DEGRADED).findFirst().orElseThrow();
            assertThat(fx.open(degradedState)).as("the old token stays in use").isEqualTo(c.tokens().accessToken());
        }
        assertThat(degraded).isPositive();
        assertThat(lifecycle.replica().node().stats().refreshes(RefresherStats.Outcome.TRANSIENT) - transientBefore).isPositive();
        assertThat(fx.tokens.all().stream().filter(r -> ids.contains(r.key()))
                .anyMatch(r -> r.value() != null && r.value().status() == ConnectionStatus.EXPIRED)).isFalse();
    }

    @Test
    void tokenRunningOutDuringAnOutageIsPublishedExpiredThenRecovers() throws Exception {
        fx.emulator.injectFault(HubSpotEmulator.Fault.on("/oauth/v1/token").method("POST").status(503));
        Fixture.Conn c = fx.connect(1, i -> Duration.ofSeconds(3)).getFirst();
        conns.add(c);
        TokenState expired = await().atMost(Duration.ofSeconds(30))
                .until(() -> fx.latest(c.id()), t -> t != null && t.status() == ConnectionStatus.EXPIRED);
        assertThat(expired.sealedAccessToken()).isNull();
        assertThat(fx.events(c.id())).extracting(ConnectionEvent::type).contains(ConnectionEvent.Type.DEGRADED, ConnectionEvent.Type.EXPIRED);
        fx.emulator.clearFaults();
        await().atMost(Duration.ofSeconds(30)).until(() -> fx.latest(c.id()).status() == ConnectionStatus.ACTIVE);
        await().atMost(Duration.ofSeconds(30)).until(() -> fx.events(c.id()).stream().anyMatch(e -> e.type() == ConnectionEvent.Type.RECOVERED));
    }

    @Test
    void refreshRequestPublishesANewTokenLongBeforeItsScheduledRefresh() throws Exception {
        // a one-hour token is due for its scheduled refresh in 50 minutes: a new version within the wait below can only
        // come from the request (how fast belongs in a benchmark, not in an assertion)
        Fixture.Conn c = fx.connect(1, i -> Duration.ofHours(1)).getFirst();
        conns.add(c);
        TokenState initial = await().atMost(Duration.ofSeconds(30)).until(() -> fx.latest(c.id()), t -> t != null);
        awaitRequestConsumerAssigned();

        fx.grants.requestRefresh(c.id(), initial.tokenVersion());
        fx.grants.flush();
        TopicRecords.Received<TokenState> refreshed = await().atMost(Duration.ofSeconds(30)).until(
                () -> fx.tokens.of(c.id()).stream().filter(r -> r.value() != null && r.value().tokenVersion() == initial.tokenVersion() + 1)
                        .findFirst().orElse(null), r -> r != null);
        assertThat(fx.open(refreshed.value())).isNotEqualTo(c.tokens().accessToken());

        // a second request right after a success is answered by the token just published
        fx.grants.requestRefresh(c.id(), initial.tokenVersion());
        fx.grants.flush();
        await().during(Duration.ofMillis(1200)).atMost(Duration.ofSeconds(10))
                .until(() -> fx.latest(c.id()).tokenVersion() == initial.tokenVersion() + 1);
    }

    @Test
    void rejectedClientCredentialsRaiseTheConfigurationAlarm() throws Exception {
        // a replica of its own group whose client secret is wrong (the application's is right)
        RefresherConfig wrong = Configs.override(config, Map.of("hubspot.clientSecret", "not-the-secret",
                "refresher.groupId", "jsw-token-refresher-misconfigured"));
        Fixture.Conn c = fx.connect(1, i -> Duration.ofSeconds(30)).getFirst();
        conns.add(c);
        try (RefresherReplica misconfigured = new RefresherReplica("replica-misconfigured", wrong, kafka, vertx,
                new SimpleMeterRegistry()).start()) {
            fx.grants.publish(fx.grants.grant(c.id(), 1, c.tokens().refreshToken(), c.tokens().accessToken(), Instant.now().plusSeconds(10)));
            await().atMost(Duration.ofSeconds(30)).until(() -> misconfigured.node().configurationAlarm() != null);
            assertThat(misconfigured.node().configurationAlarm()).contains("invalid_client").contains("jsw.hubspot.client-secret")
                    .doesNotContain("not-the-secret");
            assertThat(misconfigured.node().stats().refreshes(RefresherStats.Outcome.MISCONFIGURED)).isPositive();
            await().atMost(Duration.ofSeconds(30)).until(() -> fx.events(c.id()).stream()
                    .anyMatch(e -> e.type() == ConnectionEvent.Type.CONFIGURATION_ALARM));
        }
        // the application's own replica, with the right credentials, keeps the connection fresh and its check UP
        assertThat(lifecycle.replica().node().configurationAlarm()).isNull();
    }

    @Test
    void refreshTokenTheGrantKeysCannotOpenTurnsTheConfigurationCheckDown() throws Exception {
        // sealed with a grant key this service does not have (e.g. an old key dropped from the ring too early)
        TokenCipher foreign = TokenCipher.fromConfig(TokenCipher.generateKey("retired"), "foreign grant key");
        Fixture.Conn bad = fx.connect(1, i -> Duration.ofSeconds(30)).getFirst();
        conns.add(bad);
        GrantState g = fx.grants.grant(bad.id(), 2, bad.tokens().refreshToken(), bad.tokens().accessToken(), Instant.now().plusSeconds(10));
        fx.grants.publish(new GrantState(g.schemaVersion(), g.connectionId(), g.workspaceId(), g.handle(), g.status(), g.scopes(),
                g.hubId(), g.hubDomain(), foreign.seal(bad.tokens().refreshToken(), bad.id()), g.sealedAccessToken(), g.expiresAt(),
                g.grantVersion(), g.updatedAt()));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/well").then().statusCode(503)
                .body("checks.find { it.name == 'token-endpoint-configuration' }.status", is("DOWN"))
                .body("checks.find { it.name == 'token-endpoint-configuration' }.data.alarm", containsString("jsw.crypto.grant-keys")));
        given().get("/q/metrics").then().body(containsString("jsw_refresher_configuration_alarm 1.0"));
        await().atMost(Duration.ofSeconds(30)).until(() -> fx.events(bad.id()).stream()
                .anyMatch(e -> e.type() == ConnectionEvent.Type.CONFIGURATION_ALARM));
        given().get("/q/health/live").then().statusCode(200); // a restart would not help: liveness stays UP

        // the operator fixes it (here: the connection is deleted); the next successful refresh clears the alarm
        fx.grants.delete(bad.id());
        Fixture.Conn good = fx.connect(1, i -> Duration.ofSeconds(10)).getFirst();
        conns.add(good);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/well").then().statusCode(200));
    }

    /** The request channel reads from the latest offset: wait until its consumer has partitions. */
    private void awaitRequestConsumerAssigned() {
        String group = ConfigProvider.getConfig().getValue("mp.messaging.incoming.refresh-requests.group.id", String.class);
        try (var admin = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers", kafka.get("bootstrap.servers")))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> admin.describeConsumerGroups(List.of(group)).all().get().get(group)
                    .members().stream().anyMatch(m -> !m.assignment().topicPartitions().isEmpty()));
        }
    }
}
