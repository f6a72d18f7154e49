package io.jsworkflows.connections.messaging;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.jsworkflows.connections.support.Api;
import io.jsworkflows.connections.support.PlatformTopicsResource;
import io.jsworkflows.contracts.CloudEventTypes;
import io.jsworkflows.contracts.Topics;
import io.jsworkflows.contracts.events.ConnectionEvent;
import io.jsworkflows.contracts.events.ConnectionStatus;
import io.jsworkflows.contracts.json.ContractsJson;
import io.jsworkflows.testsupport.HubSpotEmulator;
import io.jsworkflows.testsupport.HubSpotEmulatorTestResource;
import io.jsworkflows.testsupport.KafkaTestResource;
import io.jsworkflows.testsupport.PostgresTestResource;
import io.jsworkflows.testsupport.SharedKafka;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * A database error while applying the refresher's update does not lose it: the consumer retries until the database
 * takes it, and shows as not ready while it cannot.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PlatformTopicsResource.class)
@WithTestResource(HubSpotEmulatorTestResource.class)
class ConsumerFailureTest {

    @Inject
    EntityManager em;

    /** A trigger that fails every update of the connections listed in broken_connection: a database that refuses them. */
    @BeforeEach
    void installFault() {
        QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery("create table if not exists broken_connection (id varchar(64) primary key)").executeUpdate();
            // a sequence counts the refused updates: nextval survives the rollback of the failed transaction
            em.createNativeQuery("create sequence if not exists broken_connection_hits").executeUpdate();
            em.createNativeQuery("create or replace function broken_connection_update() returns trigger language plpgsql as $$ "
                    + "begin if exists (select 1 from broken_connection where id = new.id) then "
                    + "perform nextval('broken_connection_hits'); raise exception 'injected failure'; end if; return new; end $$")
                    .executeUpdate();
            em.createNativeQuery("drop trigger if exists broken_connection_update on connection").executeUpdate();
            em.createNativeQuery("create trigger broken_connection_update before update on connection for each row "
                    + "execute function broken_connection_update()").executeUpdate();
        });
    }

    @AfterEach
    void heal() {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("delete from broken_connection").executeUpdate());
    }

    @Test
    void aNeedsReauthThatTheDatabaseRefusesIsRetriedNotDropped() {
        Api.Ws ws = Api.newWorkspace();
        String id = activate(ws, "fragile");
        long hits = hits();
        breakUpdates(id);
        needsReauth(ws, id, "fragile");
        // the database refused the update at least once
        await().atMost(Duration.ofSeconds(30)).until(() -> hits() > hits);
        ws.as().get("/api/v1/connections/fragile").then().body("status", equalTo("ACTIVE"));

        // the database recovers: the same update is applied, nothing was lost
        heal();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> ws.as().get("/api/v1/connections/fragile").then()
                .body("status", equalTo("NEEDS_REAUTH")));
    }

    @Test
    void aConsumerStuckOnAFailingUpdateShowsAsNotReady() {
        Api.Ws ws = Api.newWorkspace();
        String id = activate(ws, "stuck");
        breakUpdates(id);
        needsReauth(ws, id, "stuck");
        // while the database refuses it, the service says it is not ready and names the consumer
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(503)
                .body("checks.findAll { it.status == 'DOWN' }.name", hasItem("connection-state-consumers")));
        heal();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> ws.as().get("/api/v1/connections/stuck").then()
                .body("status", equalTo("NEEDS_REAUTH")));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200));
    }

    private static String activate(Api.Ws ws, String handle) {
        String link = ws.as().contentType(ContentType.JSON).body(Api.connectBody(handle, "contacts:read"))
                .post("/api/v1/connections").then().statusCode(201).extract().path("authorizeUrl");
        Api.Flow flow = Api.begin(ws, link);
        return Api.asInitiator(ws, flow).get(HubSpotEmulator.shared().grantConsent(flow.hubspotUrl())).then().statusCode(200)
                .extract().path("id");
    }

    private void breakUpdates(String id) {
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("insert into broken_connection values (?1)")
                .setParameter(1, id).executeUpdate());
    }

    private long hits() {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select case when is_called then last_value else 0 end from broken_connection_hits").getSingleResult()).longValue());
    }

    private static void needsReauth(Api.Ws ws, String id, String handle) {
        send(Topics.CONNECTION_EVENTS, id, ContractsJson.write(new ConnectionEvent(1, UUID.randomUUID().toString(),
                ConnectionEvent.Type.NEEDS_REAUTH, id, ws.id(), handle, ConnectionStatus.NEEDS_REAUTH,
                "HubSpot rejected the refresh token (BAD_REFRESH_TOKEN): reconnect", 1, 1, CloudEventTypes.SOURCE_REFRESHER,
                Instant.now())));
    }

    private static void send(String topic, String key, String value) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers());
        try (KafkaProducer<String, String> p = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            ProducerRecord<String, String> r = new ProducerRecord<>(topic, key, value);
            r.headers().add("ce_source", CloudEventTypes.SOURCE_REFRESHER.getBytes(StandardCharsets.UTF_8));
            p.send(r).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
