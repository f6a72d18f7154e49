package io.jsworkflows.connections.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import io.jsworkflows.connections.support.Api;
import io.jsworkflows.connections.support.PlatformTopicsResource;
import io.jsworkflows.contracts.Topics;
import io.jsworkflows.contracts.events.ConnectionEvent;
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

/** Old OAuth states and connections left PENDING for days are purged; everything else stays. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PlatformTopicsResource.class)
@WithTestResource(HubSpotEmulatorTestResource.class)
class OAuthPurgeTest {

    @Inject
    OAuthPurge purge;

    @Inject
    EntityManager em;

    @Test
    void abandonedPendingConnectionsAndOldStatesArePurgedAndNothingElse() {
        Api.Ws ws = Api.newWorkspace();
        String abandoned = create(ws, "abandoned");
        String fresh = create(ws, "fresh");
        Api.Flow flow = Api.begin(ws, ws.as().contentType(ContentType.JSON).body(Api.connectBody("working", "contacts:read"))
                .post("/api/v1/connections").then().statusCode(201).extract().path("authorizeUrl"));
        String working = Api.asInitiator(ws, flow).get(HubSpotEmulator.shared().grantConsent(flow.hubspotUrl())).then()
                .statusCode(200).extract().path("id");
        // eight days pass for two of them
        for (String id : new String[] {abandoned, working}) {
            sql("update connection set created_at = now() - interval '8 days', updated_at = now() - interval '8 days' where id = ?1", id);
            sql("update oauth_state set created_at = now() - interval '8 days', expires_at = now() - interval '8 days' "
                    + "where connection_id = ?1", id);
        }

        purge.purge();

        ws.as().get("/api/v1/connections/abandoned").then().statusCode(404);
        ws.as().get("/api/v1/connections/fresh").then().statusCode(200).body("status", equalTo("PENDING"));
        ws.as().get("/api/v1/connections/working").then().statusCode(200).body("status", equalTo("ACTIVE"));
        assertThat(count("select count(*) from oauth_state where connection_id = ?1", abandoned)).isZero();
        assertThat(count("select count(*) from oauth_state where connection_id = ?1", working)).isZero();
        assertThat(count("select count(*) from oauth_state where connection_id = ?1", fresh)).isEqualTo(1);
        assertThat(count("select count(*) from connection_audit where connection_id = ?1 and action = 'PURGED'", abandoned))
                .isEqualTo(1);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(TopicRecords.forKey(Topics.CONNECTION_EVENTS, abandoned))
                .extracting(r -> ContractsJson.read(r.value(), ConnectionEvent.class).type())
                .containsExactly(ConnectionEvent.Type.CREATED, ConnectionEvent.Type.DELETED));
    }

    private static String create(Api.Ws ws, String handle) {
        return ws.as().contentType(ContentType.JSON).body(Api.connectBody(handle, "contacts:read")).post("/api/v1/connections")
                .then().statusCode(201).extract().path("id");
    }

    private void sql(String sql, String id) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(sql).setParameter(1, id).executeUpdate());
    }

    private long count(String sql, String id) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(sql).setParameter(1, id).getSingleResult())
                .longValue());
    }
}
