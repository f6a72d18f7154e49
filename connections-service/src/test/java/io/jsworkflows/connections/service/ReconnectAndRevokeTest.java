package io.jsworkflows.connections.service;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.jsworkflows.connections.config.Ciphers;
import io.jsworkflows.connections.support.Api;
import io.jsworkflows.connections.support.PlatformTopicsResource;
import io.jsworkflows.contracts.Topics;
import io.jsworkflows.contracts.events.GrantState;
import io.jsworkflows.contracts.json.ContractsJson;
import io.jsworkflows.testsupport.HubSpotEmulator;
import io.jsworkflows.testsupport.HubSpotEmulatorTestResource;
import io.jsworkflows.testsupport.KafkaTestResource;
import io.jsworkflows.testsupport.PostgresTestResource;
import io.jsworkflows.testsupport.TopicRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * A reconnect keeps the connection on its HubSpot portal and leaves no superseded refresh token alive; a delete whose
 * revocation failed says so.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PlatformTopicsResource.class)
@WithTestResource(HubSpotEmulatorTestResource.class)
class ReconnectAndRevokeTest {

    @Inject
    Ciphers ciphers;

    final HubSpotEmulator hubspot = HubSpotEmulator.shared();

    @AfterEach
    void clearFaults() {
        hubspot.clearFaults();
    }

    @Test
    void reconnectingToAnotherPortalIsRefusedKeepsTheConnectionAndRevokesTheUnwantedGrant() {
        Api.Ws ws = Api.newWorkspace();
        String id = activate(ws, "one-portal", HubSpotEmulator.PORTAL_ID);
        String firstRefresh = refreshToken(id, 1);
        long revocations = hubspot.requestCount("DELETE", "/oauth/v1/refresh-tokens/", 204);

        Api.Flow flow = Api.begin(ws, ws.as().post("/api/v1/connections/one-portal/reconnect").then().statusCode(200)
                .extract().path("authorizeUrl"));
        Api.asInitiator(ws, flow).get(hubspot.grantConsent(flow.hubspotUrl(), HubSpotEmulator.SECOND_PORTAL_ID)).then().statusCode(409)
                .contentType("application/problem+json").body("type", equalTo("https://jsworkflows.io/problems/portal-mismatch"))
                .body("detail", containsString(String.valueOf(HubSpotEmulator.PORTAL_ID)))
                .body("detail", containsString(String.valueOf(HubSpotEmulator.SECOND_PORTAL_ID)));
        ws.as().get("/api/v1/connections/one-portal").then().body("hubId", equalTo((int) HubSpotEmulator.PORTAL_ID))
                .body("grantVersion", equalTo(1)).body("status", equalTo("ACTIVE"));
        // the refused grant is given back; the connection's own grant still works
        assertThat(hubspot.requestCount("DELETE", "/oauth/v1/refresh-tokens/", 204)).isEqualTo(revocations + 1);
        assertThat(hubspot.refresh(firstRefresh).hubId()).isEqualTo(HubSpotEmulator.PORTAL_ID);
    }

    @Test
    void aReconnectRevokesTheRefreshTokenItReplaces() {
        Api.Ws ws = Api.newWorkspace();
        String id = activate(ws, "rotated", HubSpotEmulator.PORTAL_ID);
        String firstRefresh = refreshToken(id, 1);
        Api.Flow flow = Api.begin(ws, ws.as().post("/api/v1/connections/rotated/reconnect").then().statusCode(200)
                .extract().path("authorizeUrl"));
        Api.asInitiator(ws, flow).get(hubspot.grantConsent(flow.hubspotUrl(), HubSpotEmulator.PORTAL_ID)).then().statusCode(200);
        ws.as().get("/api/v1/connections/rotated").then().body("grantVersion", equalTo(2));
        assertThatThrownBy(() -> hubspot.refresh(firstRefresh)).hasMessageContaining("400");
        assertThat(hubspot.refresh(refreshToken(id, 2)).hubId()).isEqualTo(HubSpotEmulator.PORTAL_ID);
    }

    @Test
    void aDeleteWhoseRevocationFailedSaysSo() {
        Api.Ws ws = Api.newWorkspace();
        activate(ws, "unrevoked", HubSpotEmulator.PORTAL_ID);
        hubspot.injectFault(HubSpotEmulator.Fault.on("/oauth/v1/refresh-tokens/*").method("DELETE").status(503));
        ws.as().delete("/api/v1/connections/unrevoked").then().statusCode(200).body("deleted", equalTo(true))
                .body("revokedAtHubspot", equalTo(false)).body("detail", containsString("503"));
        ws.as().get("/api/v1/connections/unrevoked").then().statusCode(404);

        // the web page says so too
        activate(ws, "unrevoked-web", HubSpotEmulator.PORTAL_ID);
        Map<String, String> browser = io.jsworkflows.connections.rest.SessionAndKeyTestAccess.signIn(ws.apiKey());
        String page = given().redirects().follow(false).cookies(browser).contentType(ContentType.URLENC)
                .formParam("csrf-token", browser.get("csrf-token")).post("/ui/connections/unrevoked-web/delete").then().statusCode(200)
                .extract().asString();
        assertThat(page).contains("was deleted").contains("not confirmed").doesNotContain("revoked at HubSpot.");
    }

    private String activate(Api.Ws ws, String handle, long portal) {
        Api.Flow flow = Api.begin(ws, ws.as().contentType(ContentType.JSON).body(Api.connectBody(handle, "contacts:read"))
                .post("/api/v1/connections").then().statusCode(201).extract().path("authorizeUrl"));
        return Api.asInitiator(ws, flow).get(hubspot.grantConsent(flow.hubspotUrl(), portal)).then().statusCode(200)
                .extract().path("id");
    }

    private String refreshToken(String id, long grantVersion) {
        GrantState g = await().atMost(Duration.ofSeconds(60)).until(() -> TopicRecords.forKey(Topics.CONNECTION_GRANTS, id).stream()
                .filter(r -> r.value() != null).map(r -> ContractsJson.read(r.value(), GrantState.class))
                .filter(s -> s.grantVersion() == grantVersion).findFirst(), java.util.Optional::isPresent).orElseThrow();
        return ciphers.grant().open(g.sealedRefreshToken(), id);
    }
}
