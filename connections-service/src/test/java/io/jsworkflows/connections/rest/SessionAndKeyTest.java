package io.jsworkflows.connections.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

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
