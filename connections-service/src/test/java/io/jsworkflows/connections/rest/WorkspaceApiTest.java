package io.jsworkflows.connections.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.flywaydb.core.Flyway;
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

/** Workspaces, API keys (hashed, shown once), the admin key, and the key check other services use. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PlatformTopicsResource.class)
@WithTestResource(HubSpotEmulatorTestResource.class)
class WorkspaceApiTest {

    @Inject
    EntityManager em;

    @Inject
    Flyway flyway;

    @Test
    void migrationsRanOnRealPostgres() {
        assertThat(flyway.info().applied()).extracting(i -> i.getVersion().getVersion()).contains("1", "2");
        String version = QuarkusTransaction.requiringNew()
                .call(() -> (String) em.createNativeQuery("select version()").getSingleResult());
        assertThat(version).startsWith("PostgreSQL");
    }

    @Test
    void adminCreatesWorkspaceAndKeyIsStoredOnlyAsHash() {
        Api.Ws ws = Api.newWorkspace();
        assertThat(ws.apiKey()).startsWith("jsw_").hasSizeGreaterThan(40);
        ws.as().get("/api/v1/workspace").then().statusCode(200)
                .body("id", equalTo(ws.id())).body("name", equalTo(ws.name()));

        @SuppressWarnings("unchecked")
        List<Object[]> rows = QuarkusTransaction.requiringNew().call(() -> em.createNativeQuery(
                "select key_hash, key_prefix from api_key where workspace_id = ?1").setParameter(1, ws.id()).getResultList());
        assertThat(rows).hasSize(1);
        assertThat((String) rows.get(0)[0]).hasSize(64).doesNotContain(ws.apiKey().substring(4));
        assertThat(ws.apiKey()).startsWith((String) rows.get(0)[1]);
    }

    @Test
    void missingOrInvalidKeysAreRefusedWithProblems() {
        given().get("/api/v1/workspace").then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", startsWith("Bearer"))
                .body("type", equalTo("https://jsworkflows.io/problems/unauthorized"))
                .body("title", equalTo("Missing or invalid API key")).body("status", equalTo(401))
                .body("detail", containsString("Authorization: Bearer"));
        given().header("Authorization", "Bearer jsw_not-a-real-key").get("/api/v1/workspace").then().statusCode(401)
                .contentType("application/problem+json").body("detail", containsString("unknown or revoked"))
                .body("detail", org.hamcrest.Matchers.not(containsString("jsw_not-a-real-key")));
        given().header("Authorization", "Basic abc").get("/api/v1/connections").then().statusCode(401)
                .body("detail", containsString("Bearer <API key>"));
        // the admin key is not a workspace key
        given().header("Authorization", "Bearer " + Api.ADMIN_KEY).get("/api/v1/connections").then().statusCode(401);
    }

    @Test
    void adminEndpointNeedsTheAdminKey() {
        Api.Ws ws = Api.newWorkspace();
        given().header("Authorization", "Bearer " + ws.apiKey()).contentType(ContentType.JSON).body(Map.of("name", "X"))
                .post("/api/v1/admin/workspaces").then().statusCode(401).contentType("application/problem+json")
                .body("detail", containsString("bootstrap admin key"));
        given().contentType(ContentType.JSON).body(Map.of("name", "X")).post("/api/v1/admin/workspaces").then().statusCode(401);
        given().header("Authorization", "Bearer " + Api.ADMIN_KEY).contentType(ContentType.JSON).body(Map.of("name", " "))
                .post("/api/v1/admin/workspaces").then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("needs a name"));
    }

    @Test
    void healthAndMetricsAreServed() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200).body(containsString("jsw_outbox_published"))
                .body(containsString("jsw_outbox_pending"));
    }
}
