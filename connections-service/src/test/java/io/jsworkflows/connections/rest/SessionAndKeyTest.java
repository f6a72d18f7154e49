package io.jsworkflows.connections.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import io.jsworkflows.connections.service.WorkspaceService;
import io.jsworkflows.connections.support.Api;
import io.jsworkflows.connections.support.PlatformTopicsResource;
import io.jsworkflows.testsupport.HubSpotEmulatorTestResource;
import io.jsworkflows.testsupport.KafkaTestResource;
import io.jsworkflows.testsupport.PostgresTestResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** The web session is not the API key; keys can be added and revoked, and a revoked key's sessions end with it. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PlatformTopicsResource.class)
@WithTestResource(HubSpotEmulatorTestResource.class)
class SessionAndKeyTest {

    @Inject
    EntityManager em;

    @Test
    void theSessionCookieIsAnExpiringServerSideSessionNotTheApiKey() {
        Api.Ws ws = Api.newWorkspace();
        Map<String, String> browser = signIn(ws.apiKey());
        String session = browser.get("jsw_session");
        assertThat(session).isNotBlank().isNotEqualTo(ws.apiKey()).doesNotContain(ws.apiKey());
        // the session works on the page but is no API key
        assertThat(given().cookies(browser).get("/ui").then().statusCode(200).extract().asString()).contains(ws.name());
        given().header("Authorization", "Bearer " + session).accept(ContentType.JSON).get("/api/v1/workspace").then().statusCode(401);
        // stored only as a hash, with an expiry
        Object[] row = QuarkusTransaction.requiringNew().call(() -> (Object[]) em.createNativeQuery(
                "select workspace_id, expires_at > now() + interval '7 hours', expires_at < now() + interval '9 hours' "
                        + "from web_session where session_hash = encode(sha256(convert_to(?1, 'UTF8')), 'hex')")
                .setParameter(1, session).getSingleResult());
        assertThat(row[0]).isEqualTo(ws.id());
        assertThat(row[1]).isEqualTo(true);
        assertThat(row[2]).isEqualTo(true);
        // sign out ends it on the server, not only in this browser
        Map<String, String> csrf = Map.of("csrf-token", browser.get("csrf-token"));
        given().redirects().follow(false).cookies(browser).contentType(ContentType.URLENC).formParams(csrf).post("/ui/logout")
                .then().statusCode(303);
        assertThat(given().cookies(browser).get("/ui").then().statusCode(200).extract().asString()).contains("name=\"apiKey\"");
    }

    @Test
    void keysAreAddedListedAndRevokedAndARevokedKeysSessionsEnd() {
        Api.Ws ws = Api.newWorkspace();
        var added = ws.as().post("/api/v1/workspace/keys").then().statusCode(201).extract().jsonPath();
        String second = added.getString("apiKey");
        String secondId = added.getString("id");
        assertThat(second).startsWith("jsw_").isNotEqualTo(ws.apiKey());
        given().header("Authorization", "Bearer " + second).accept(ContentType.JSON).get("/api/v1/workspace").then().statusCode(200)
                .body("id", equalTo(ws.id()));
        String list = ws.as().get("/api/v1/workspace/keys").then().statusCode(200).body("keys", hasSize(2))
                .body("keys.prefix", equalTo(List.of(ws.apiKey().substring(0, 8), second.substring(0, 8))))
                .extract().asString();
        assertThat(list).doesNotContain(ws.apiKey()).doesNotContain(second);

        // rotation: sign in with the old key, revoke it with the new one; the old key and its session stop working
        Map<String, String> browser = signIn(ws.apiKey());
        String firstId = ws.as().get("/api/v1/workspace/keys").then().extract().path("keys[0].id");
        given().header("Authorization", "Bearer " + second).delete("/api/v1/workspace/keys/" + firstId).then().statusCode(204);
        ws.as().get("/api/v1/workspace").then().statusCode(401);
        assertThat(given().cookies(browser).get("/ui").then().statusCode(200).extract().asString()).contains("name=\"apiKey\"");
        given().header("Authorization", "Bearer " + second).accept(ContentType.JSON).get("/api/v1/workspace/keys").then()
                .body("keys.find { it.id == '" + firstId + "' }.revokedAt", org.hamcrest.Matchers.notNullValue());

        // the last active key cannot be revoked (the workspace would be locked out); another workspace's key is not found
        given().header("Authorization", "Bearer " + second).accept(ContentType.JSON).delete("/api/v1/workspace/keys/" + secondId)
                .then().statusCode(409).contentType("application/problem+json");
        Api.Ws other = Api.newWorkspace();
        other.as().delete("/api/v1/workspace/keys/" + secondId).then().statusCode(404);
        given().header("Authorization", "Bearer " + second).accept(ContentType.JSON).get("/api/v1/workspace").then().statusCode(200);
    }

    @Inject
    WorkspaceService workspaces;

    @Test
    void aDelegatedKeyPassesOnlyTheKeyCheckOnlyWithinItsTimeAndIsNeitherListedNorASignIn() {
        Api.Ws ws = Api.newWorkspace();
        WorkspaceService.DelegatedKey d = workspaces.delegate(ws.id(), Duration.ofSeconds(60));
        // the key check other services call accepts it, for the workspace it was minted for
        given().header("Authorization", "Bearer " + d.apiKey()).accept(ContentType.JSON).get("/api/v1/workspace").then().statusCode(200)
                .body("id", equalTo(ws.id()));
        // nothing else does: not the workspace's API, not the page's sign-in
        given().header("Authorization", "Bearer " + d.apiKey()).accept(ContentType.JSON).get("/api/v1/connections").then().statusCode(401);
        given().header("Authorization", "Bearer " + d.apiKey()).post("/api/v1/workspace/keys").then().statusCode(401);
        var form = given().get("/ui").then().statusCode(200).extract();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"").matcher(form.asString());
        assertThat(m.find()).isTrue();
        given().redirects().follow(false).cookies(form.cookies()).contentType(ContentType.URLENC)
                .formParams(Map.of("apiKey", d.apiKey(), "csrf-token", m.group(1))).post("/ui/login").then().statusCode(401);
        // not one of the workspace's keys: not listed, not revocable, and no stand-in for its last key
        ws.as().get("/api/v1/workspace/keys").then().statusCode(200).body("keys", hasSize(1));
        ws.as().delete("/api/v1/workspace/keys/" + d.id()).then().statusCode(404);
        String onlyKey = ws.as().get("/api/v1/workspace/keys").then().extract().path("keys[0].id");
        ws.as().delete("/api/v1/workspace/keys/" + onlyKey).then().statusCode(409);
        // ended after its call
        workspaces.endDelegation(d.id());
        given().header("Authorization", "Bearer " + d.apiKey()).accept(ContentType.JSON).get("/api/v1/workspace").then().statusCode(401);

        // past its time it is refused, and the purge deletes it
        WorkspaceService.DelegatedKey old = workspaces.delegate(ws.id(), Duration.ofSeconds(-1));
        given().header("Authorization", "Bearer " + old.apiKey()).accept(ContentType.JSON).get("/api/v1/workspace").then().statusCode(401);
        assertThat(workspaces.purgeDelegations(java.time.Instant.now())).isGreaterThanOrEqualTo(1);
        assertThat(QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery("select count(*) from api_key where id = ?1")
                .setParameter(1, old.id()).getSingleResult()).longValue())).isZero();
    }

    static Map<String, String> signIn(String apiKey) {
        var form = given().get("/ui").then().statusCode(200).extract();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"").matcher(form.asString());
        assertThat(m.find()).isTrue();
        var in = given().redirects().follow(false).cookies(form.cookies()).contentType(ContentType.URLENC)
                .formParams(Map.of("apiKey", apiKey, "csrf-token", m.group(1))).post("/ui/login").then().statusCode(303).extract();
        Map<String, String> jar = new java.util.HashMap<>(form.cookies());
        jar.putAll(in.cookies());
        return jar;
    }
}
