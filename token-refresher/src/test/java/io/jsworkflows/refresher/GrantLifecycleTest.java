package io.jsworkflows.refresher;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.jsworkflows.contracts.Topics;
import io.jsworkflows.contracts.events.ConnectionStatus;
import io.jsworkflows.contracts.events.GrantState;
import io.jsworkflows.contracts.events.TokenState;
import io.jsworkflows.contracts.json.ContractsJson;
import io.jsworkflows.refresher.support.Grants;
import io.jsworkflows.refresher.support.PlatformTopicsResource;
import io.jsworkflows.testsupport.HubSpotEmulatorTestResource;
import io.jsworkflows.testsupport.KafkaTestResource;
import io.jsworkflows.testsupport.SharedKafka;
import io.jsworkflows.testsupport.TopicRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Grants in, token states out: first grant, reconnect, stale grant, delete; health and metrics. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PlatformTopicsResource.class)
@WithTestResource(HubSpotEmulatorTestResource.class)
class GrantLifecycleTest {

    static Grants grants;
    static TopicRecords.Recording<TokenState> tokens;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @BeforeAll
    static void setUp() {
        grants = new Grants(SharedKafka.bootstrapServers());
        tokens = TopicRecords.fromNow(Topics.CONNECTION_TOKENS, v -> ContractsJson.read(v, TokenState.class));
    }

    @AfterAll
    static void tearDown() {
        tokens.close();
        grants.close();
    }

    @Test
    void readyOnceCaughtUpAndConfigurationHealthy() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'partition-ownership' }.status", is("UP")));
        given().get("/q/health/well").then().statusCode(200)
                .body("checks.find { it.name == 'token-endpoint-configuration' }.status", is("UP"));
        given().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
    }

    @Test
    void metricsAreExposed() {
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("jsw_refresher_refreshes_total{outcome=\"success\"}"))
                .body(containsString("jsw_refresher_tokens_expired_while_owned_total"))
                .body(containsString("jsw_refresher_scheduled"))
                .body(containsString("jsw_refresher_refreshes_in_flight"))
                .body(containsString("jsw_refresher_refresh_lag_seconds"))
                .body(containsString("jsw_refresher_refresh_duration_seconds_bucket{outcome=\"success\""))
                .body(containsString("jsw_refresher_tokens_expiry_min_seconds"))
                // the plain clients' own metrics: the grants consumer's lag, the state producer's sends
                .body(containsString("kafka_consumer_fetch_manager_records_lag_max{client_id=\"token-refresher\""))
                .body(containsString("kafka_producer_record_send_total{client_id=\"token-refresher\""));
    }

    @Test
    void firstGrantPublishesItsTokenThenReconnectReplacesItAndStaleGrantsAreIgnored() {
        String id = Grants.newConnectionId();
        Instant expires = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);
        grants.publish(grants.grant(id, 1, "rt-1", "at-1", expires));

        TokenState first = awaitToken(id, t -> t.grantVersion() == 1);
        assertThat(first.status()).isEqualTo(ConnectionStatus.ACTIVE);
        assertThat(first.tokenVersion()).isEqualTo(1);
        assertThat(first.expiresAt()).isEqualTo(expires);
        assertThat(grants.tokenCipher.open(first.sealedAccessToken(), id)).isEqualTo("at-1");
        assertThat(first.handle()).isEqualTo("h-" + id.substring(0, 8));
        assertThat(first.hubId()).isEqualTo(12345678L);

        grants.publish(grants.grant(id, 2, "rt-2", "at-2", expires));
        TokenState second = awaitToken(id, t -> t.grantVersion() == 2);
        assertThat(second.tokenVersion()).isEqualTo(2);
        assertThat(second.isNewerThan(first)).isTrue();
        assertThat(grants.tokenCipher.open(second.sealedAccessToken(), id)).isEqualTo("at-2");

        // an older authorization arriving late changes nothing; a marker grant on another key shows it was processed
        grants.publish(grants.grant(id, 1, "rt-1", "at-old", expires));
        String marker = Grants.newConnectionId();
        grants.publish(grants.grant(marker, 1, "rt-m", "at-m", expires));
        awaitToken(marker, t -> true);
        assertThat(tokens.of(id)).hasSize(2);

        grants.delete(id);
        grants.delete(marker);
        await().atMost(Duration.ofSeconds(30)).until(() -> tokens.of(id).size() == 3);
        assertThat(tokens.of(id).get(2).value()).as("tombstone").isNull();
    }

    @Test
    void grantWithoutRefreshTokenIsNotScheduledAndRevokedGrantWithdrawsTheToken() {
        String id = Grants.newConnectionId();
        Instant expires = Instant.now().plus(1, ChronoUnit.HOURS);
        GrantState g = grants.grant(id, 1, "rt", "at", expires);
        grants.publish(g);
        awaitToken(id, t -> t.status() == ConnectionStatus.ACTIVE);
        grants.publish(new GrantState(g.schemaVersion(), id, g.workspaceId(), g.handle(), ConnectionStatus.REVOKED, g.scopes(),
                g.hubId(), g.hubDomain(), null, null, null, 1, Instant.now()));
        TokenState revoked = awaitToken(id, t -> t.status() == ConnectionStatus.REVOKED);
        assertThat(revoked.sealedAccessToken()).isNull();
        assertThat(revoked.tokenVersion()).isEqualTo(2);
        grants.delete(id);
    }

    static TokenState awaitToken(String id, java.util.function.Predicate<TokenState> match) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> {
            List<TopicRecords.Received<TokenState>> list = tokens.of(id);
            return list.stream().map(TopicRecords.Received::value).filter(v -> v != null && match.test(v)).reduce((a, b) -> b)
                    .orElse(null);
        }, t -> t != null);
    }
}
