package io.jsworkflows.connections.service;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.jsworkflows.connections.config.Ciphers;
import io.jsworkflows.connections.support.Api;
import io.jsworkflows.connections.support.PlatformTopicsResource;
import io.jsworkflows.contracts.CloudEventTypes;
import io.jsworkflows.contracts.Topics;
import io.jsworkflows.contracts.crypto.TokenCipher;
import io.jsworkflows.contracts.events.ConnectionEvent;
import io.jsworkflows.contracts.events.ConnectionStatus;
import io.jsworkflows.contracts.events.GrantState;
import io.jsworkflows.contracts.json.ContractsJson;
import io.jsworkflows.testsupport.HubSpotEmulator;
import io.jsworkflows.testsupport.HubSpotEmulatorTestResource;
import io.jsworkflows.testsupport.KafkaTestResource;
import io.jsworkflows.testsupport.PostgresTestResource;
import io.jsworkflows.testsupport.TopicRecords;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** The OAuth connect flow against the real HubSpot emulator: consent, callback, sealing, events, reconnect, delete. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PlatformTopicsResource.class)
@WithTestResource(HubSpotEmulatorTestResource.class)
class OAuthFlowTest {

    @Inject
    Ciphers ciphers;

    @Inject
    EntityManager em;

    final HubSpotEmulator hubspot = HubSpotEmulator.shared();

    @AfterEach
    void clearFaults() {
        hubspot.clearFaults();
    }

    @Test
    void connectFlowActivatesTheConnectionAndPublishesASealedGrant() throws Exception {
        Api.Ws ws = Api.newWorkspace();
        Api.Flow flow = connect(ws, "my-hubspot", "contacts:read", "deals:create");
        String authorizeUrl = flow.hubspotUrl();
        String location = hubspot.grantConsent(authorizeUrl);
        String code = HubSpotEmulator.queryParam(location, "code");
        assertThat(location).startsWith(Api.query(authorizeUrl, "redirect_uri") + "?");

        JsonPath done = Api.asInitiator(ws, flow).get(location).then().statusCode(200).extract().jsonPath();
        assertThat(done.getString("handle")).isEqualTo("my-hubspot");
        assertThat(done.getString("status")).isEqualTo("ACTIVE");
        String id = done.getString("id");

        String view = ws.as().get("/api/v1/connections/my-hubspot").then().statusCode(200)
                .body("id", equalTo(id)).body("status", equalTo("ACTIVE"))
                .body("hubId", equalTo(12345678)).body("hubDomain", equalTo("jsw-demo.hubspot.com"))
                .body("authorizedUser", equalTo("demo@jsworkflows.io"))
                .body("grantVersion", equalTo(1))
                .body("scopes", equalTo(List.of("crm.objects.contacts.read", "crm.objects.deals.read", "crm.objects.deals.write", "oauth")))
                .extract().asString();
        assertThat(view).doesNotContain("sealed").doesNotContainIgnoringCase("refreshToken").doesNotContainIgnoringCase("accessToken");

        // GrantState on the compacted topic: keyed by connection id, CloudEvents headers, tokens sealed
        ConsumerRecord<String, String> rec = await().atMost(Duration.ofSeconds(60))
                .until(() -> TopicRecords.forKey(Topics.CONNECTION_GRANTS, id), l -> !l.isEmpty()).get(0);
        assertThat(TopicRecords.header(rec, "ce_type")).isEqualTo(CloudEventTypes.GRANT_STATE);
        GrantState g = ContractsJson.read(rec.value(), GrantState.class);
        assertThat(g.connectionId()).isEqualTo(id);
        assertThat(g.workspaceId()).isEqualTo(ws.id());
        assertThat(g.handle()).isEqualTo("my-hubspot");
        assertThat(g.status()).isEqualTo(ConnectionStatus.ACTIVE);
        assertThat(g.hubId()).isEqualTo(12345678L);
        assertThat(g.grantVersion()).isEqualTo(1);
        assertThat(g.expiresAt()).isAfter(java.time.Instant.now().plusSeconds(60));

        // readable only with the right key and the right connection
        String refreshToken = ciphers.grant().open(g.sealedRefreshToken(), id);
        String accessToken = ciphers.token().open(g.sealedAccessToken(), id);
        assertThat(hubspot.refresh(refreshToken).hubId()).isEqualTo(12345678L); // the emulator's real refresh token
        assertThatThrownBy(() -> ciphers.token().open(g.sealedRefreshToken(), id)).isInstanceOf(TokenCipher.SealedValueException.class);
        assertThatThrownBy(() -> ciphers.grant().open(g.sealedRefreshToken(), "another-connection"))
                .isInstanceOf(TokenCipher.SealedValueException.class);
        TokenCipher stranger = TokenCipher.fromConfig(TokenCipher.generateKey(ciphers.grant().sealingKeyId()), "test");
        assertThatThrownBy(() -> stranger.open(g.sealedRefreshToken(), id)).isInstanceOf(TokenCipher.SealedValueException.class);
        assertThat(rec.value()).doesNotContain(refreshToken).doesNotContain(accessToken);

        // the AUTHORIZED transition follows CREATED on the events topic
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(TopicRecords.forKey(Topics.CONNECTION_EVENTS, id))
                .extracting(r -> ContractsJson.read(r.value(), ConnectionEvent.class).type())
                .containsExactly(ConnectionEvent.Type.CREATED, ConnectionEvent.Type.AUTHORIZED));

        // nothing in clear anywhere: database rows, topics, the log
        String row = QuarkusTransaction.requiringNew().call(() -> (String) em.createNativeQuery(
                "select row_to_json(c)::text from connection c where id = ?1").setParameter(1, id).getSingleResult());
        assertThat(row).doesNotContain(refreshToken).doesNotContain(accessToken).contains("g1:").contains("t1:");
        String outbox = QuarkusTransaction.requiringNew().call(() -> (String) em.createNativeQuery(
                "select coalesce(string_agg(coalesce(payload, ''), ' '), '') from outbox").getSingleResult());
        assertThat(outbox).doesNotContain(refreshToken).doesNotContain(accessToken).doesNotContain(code);
        for (String topic : List.of(Topics.CONNECTION_GRANTS, Topics.CONNECTION_EVENTS)) {
            assertThat(TopicRecords.now(topic)).allSatisfy(r -> assertThat(String.valueOf(r.value()))
                    .doesNotContain(refreshToken).doesNotContain(accessToken).doesNotContain(code));
        }
        String log = Files.readString(Path.of("target/connections-service-test.log"));
        assertThat(log).contains("connection " + id + " authorized for hub 12345678"); // the capture works
        assertThat(log).doesNotContain(refreshToken).doesNotContain(accessToken).doesNotContain(code)
                .doesNotContain(HubSpotEmulator.CLIENT_SECRET).doesNotContain(ws.apiKey()).doesNotContain(Api.ADMIN_KEY);
    }

    @Test
    void reconnectKeepsIdAndHandleAndRaisesTheGrantVersion() {
        Api.Ws ws = Api.newWorkspace();
        String id = activate(ws, "re-crm", "contacts:read");
        String url = ws.as().contentType(ContentType.JSON)
                .body(java.util.Map.of("resources", List.of(java.util.Map.of("resource", "tickets", "operation", "read"))))
                .post("/api/v1/connections/re-crm/reconnect").then().statusCode(200)
                .body("id", equalTo(id)).body("handle", equalTo("re-crm")).body("status", equalTo("ACTIVE"))
                .extract().path("authorizeUrl");
        Api.Flow flow = Api.begin(ws, url);
        Api.asInitiator(ws, flow).get(hubspot.grantConsent(flow.hubspotUrl())).then().statusCode(200)
                .body("id", equalTo(id)).body("status", equalTo("ACTIVE"));
        ws.as().get("/api/v1/connections/re-crm").then().statusCode(200)
                .body("id", equalTo(id)).body("grantVersion", equalTo(2)).body("hubId", equalTo(12345678))
                .body("scopes", equalTo(List.of("oauth", "tickets")));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(TopicRecords.forKey(Topics.CONNECTION_GRANTS, id))
                .extracting(r -> ContractsJson.read(r.value(), GrantState.class).grantVersion()).containsExactly(1L, 2L));
    }

    @Test
    void deleteRevokesAtHubSpotTombstonesAndKeepsAnAuditRow() {
        Api.Ws ws = Api.newWorkspace();
        String id = activate(ws, "gone", "contacts:read");
        GrantState g = await().atMost(Duration.ofSeconds(60)).until(() -> TopicRecords.forKey(Topics.CONNECTION_GRANTS, id),
                l -> !l.isEmpty()).stream().map(r -> ContractsJson.read(r.value(), GrantState.class)).findFirst().orElseThrow();
        String refreshToken = ciphers.grant().open(g.sealedRefreshToken(), id);
        long revocations = hubspot.requestCount("DELETE", "/oauth/v1/refresh-tokens/", 204);

        ws.as().delete("/api/v1/connections/gone").then().statusCode(204);

        assertThat(hubspot.requestCount("DELETE", "/oauth/v1/refresh-tokens/", 204)).isEqualTo(revocations + 1);
        assertThatThrownBy(() -> hubspot.refresh(refreshToken)).hasMessageContaining("400");
        ws.as().get("/api/v1/connections/gone").then().statusCode(404);
        Object[] audit = QuarkusTransaction.requiringNew().call(() -> (Object[]) em.createNativeQuery(
                "select handle, action, revoked_at_hubspot, hub_id from connection_audit where connection_id = ?1")
                .setParameter(1, id).getSingleResult());
        assertThat(audit[0]).isEqualTo("gone");
        assertThat(audit[1]).isEqualTo("DELETED");
        assertThat(audit[2]).isEqualTo(true);
        assertThat(((Number) audit[3]).longValue()).isEqualTo(12345678L);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            List<ConsumerRecord<String, String>> grants = TopicRecords.forKey(Topics.CONNECTION_GRANTS, id);
            assertThat(grants).hasSize(2);
            assertThat(grants.get(1).value()).isNull();
            // the token's tombstone is token-refresher's to write (the only writer of the tokens topic)
            assertThat(TopicRecords.forKey(Topics.CONNECTION_TOKENS, id)).isEmpty();
            assertThat(TopicRecords.forKey(Topics.CONNECTION_EVENTS, id)).last()
                    .satisfies(r -> assertThat(ContractsJson.read(r.value(), ConnectionEvent.class).type())
                            .isEqualTo(ConnectionEvent.Type.DELETED));
        });
        // the handle is free again
        ws.as().contentType(ContentType.JSON).body(Api.connectBody("gone", "contacts:read")).post("/api/v1/connections")
                .then().statusCode(201);
    }

    @Test
    void callbackWithoutStateOrWithAForgedOneIsRefused() {
        given().accept(ContentType.JSON).get("/oauth/hubspot/callback?code=abc").then().statusCode(400)
                .contentType("application/problem+json").body("type", equalTo("https://jsworkflows.io/problems/missing-state"))
                .body("detail", containsString("no 'state' parameter"));
        given().accept("text/html").get("/oauth/hubspot/callback?code=abc").then().statusCode(400)
                .contentType(containsString("text/html")).body(containsString("no &#39;state&#39; parameter"));
        given().accept(ContentType.JSON).get("/oauth/hubspot/callback?code=abc&state=" + Secrets.random256()).then().statusCode(400)
                .body("type", equalTo("https://jsworkflows.io/problems/invalid-state"));
    }

    @Test
    void someoneElsesStateIsRefusedAndChangesNothing() {
        Api.Ws owner = Api.newWorkspace();
        Api.Ws intruder = Api.newWorkspace();
        Api.Flow flow = connect(owner, "mine", "contacts:read");
        String location = hubspot.grantConsent(flow.hubspotUrl());
        long exchanges = hubspot.requestCount("POST", "/oauth/v1/token");

        String refused = given().header("Authorization", "Bearer " + intruder.apiKey()).header("Cookie", flow.cookie())
                .accept(ContentType.JSON).get(location)
                .then().statusCode(400).body("type", equalTo("https://jsworkflows.io/problems/invalid-state")).extract().asString();
        String forged = given().header("Authorization", "Bearer " + intruder.apiKey()).accept(ContentType.JSON)
                .get("/oauth/hubspot/callback?code=x&state=" + Secrets.random256()).then().statusCode(400).extract().asString();
        assertThat(refused).isEqualTo(forged); // no hint that the state exists elsewhere
        assertThat(hubspot.requestCount("POST", "/oauth/v1/token")).isEqualTo(exchanges);
        owner.as().get("/api/v1/connections/mine").then().body("status", equalTo("PENDING"));
        // the rightful owner can still complete it
        Api.asInitiator(owner, flow).get(location).then().statusCode(200)
                .body("status", equalTo("ACTIVE"));
    }

    @Test
    void expiredStateIsRefusedAndChangesNothing() {
        Api.Ws ws = Api.newWorkspace();
        Api.Flow flow = connect(ws, "slow", "contacts:read");
        String id = ws.as().get("/api/v1/connections/slow").then().extract().path("id");
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "update oauth_state set expires_at = now() - interval '1 minute' where connection_id = ?1")
                .setParameter(1, id).executeUpdate());
        long exchanges = hubspot.requestCount("POST", "/oauth/v1/token");
        Api.asInitiator(ws, flow).get(hubspot.grantConsent(flow.hubspotUrl())).then().statusCode(400)
                .body("type", equalTo("https://jsworkflows.io/problems/state-expired")).body("detail", containsString("Reconnect"));
        assertThat(hubspot.requestCount("POST", "/oauth/v1/token")).isEqualTo(exchanges);
        ws.as().get("/api/v1/connections/slow").then().body("status", equalTo("PENDING")).body("grantVersion", equalTo(0));
    }

    @Test
    void replayedCallbackIsRefusedAndChangesNothing() {
        Api.Ws ws = Api.newWorkspace();
        Api.Flow flow = connect(ws, "once", "contacts:read");
        String location = hubspot.grantConsent(flow.hubspotUrl());
        Api.asInitiator(ws, flow).get(location).then().statusCode(200);
        long exchanges = hubspot.requestCount("POST", "/oauth/v1/token");
        Api.asInitiator(ws, flow).get(location).then().statusCode(400)
                .body("type", equalTo("https://jsworkflows.io/problems/state-used"));
        assertThat(hubspot.requestCount("POST", "/oauth/v1/token")).isEqualTo(exchanges);
        ws.as().get("/api/v1/connections/once").then().body("status", equalTo("ACTIVE")).body("grantVersion", equalTo(1));
    }

    @Test
    void accessDeniedKeepsTheConnectionPendingWithTheReason() {
        Api.Ws ws = Api.newWorkspace();
        Api.Flow flow = connect(ws, "nope", "contacts:read");
        String location = hubspot.denyConsent(flow.hubspotUrl());
        assertThat(HubSpotEmulator.queryParam(location, "error")).isEqualTo("access_denied");
        Api.asInitiator(ws, flow).get(location).then().statusCode(400)
                .body("type", equalTo("https://jsworkflows.io/problems/authorization-denied"))
                .body("detail", containsString("access_denied")).body("detail", containsString("Reconnect"));
        ws.as().get("/api/v1/connections/nope").then().body("status", equalTo("PENDING"))
                .body("statusReason", containsString("access_denied"));
        Api.asInitiator(ws, flow).get(location).then().statusCode(400)
                .body("type", equalTo("https://jsworkflows.io/problems/state-used"));
    }

    @Test
    void failingTokenEndpointKeepsTheConnectionPendingWithAClearReason() {
        Api.Ws ws = Api.newWorkspace();
        Api.Flow flow = connect(ws, "flaky", "contacts:read");
        String location = hubspot.grantConsent(flow.hubspotUrl());
        hubspot.injectFault(HubSpotEmulator.Fault.on("/oauth/v1/token").method("POST").status(503));
        Api.asInitiator(ws, flow).get(location).then().statusCode(502).contentType("application/problem+json")
                .body("type", equalTo("https://jsworkflows.io/problems/token-exchange-failed"))
                .body("detail", containsString("SERVICE_UNAVAILABLE")).body("detail", containsString("Reconnect"));
        ws.as().get("/api/v1/connections/flaky").then().body("status", equalTo("PENDING")).body("grantVersion", equalTo(0))
                .body("statusReason", containsString("token endpoint failed"));
        hubspot.clearFaults();

        // a code HubSpot does not know is refused as such
        Api.Flow badCode = connect(ws, "bad-code", "contacts:read");
        String other = hubspot.grantConsent(badCode.hubspotUrl());
        String tampered = other.replaceFirst("code=[^&]+", "code=forged-code");
        Api.asInitiator(ws, badCode).get(tampered).then().statusCode(400)
                .body("type", equalTo("https://jsworkflows.io/problems/code-rejected"));
        ws.as().get("/api/v1/connections/bad-code").then().body("status", equalTo("PENDING"))
                .body("statusReason", containsString("refused the authorization code"));
    }

    /** Creates the connection through the API and starts its flow as the workspace's browser would. */
    private static Api.Flow connect(Api.Ws ws, String handle, String... rows) {
        return Api.begin(ws, ws.as().contentType(ContentType.JSON).body(Api.connectBody(handle, rows)).post("/api/v1/connections")
                .then().statusCode(201).extract().path("authorizeUrl"));
    }

    private String activate(Api.Ws ws, String handle, String... rows) {
        Api.Flow flow = connect(ws, handle, rows);
        return Api.asInitiator(ws, flow).get(hubspot.grantConsent(flow.hubspotUrl())).then().statusCode(200)
                .body("status", equalTo("ACTIVE")).extract().path("id");
    }
}
