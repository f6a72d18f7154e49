package io.jsworkflows.connections.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.jsworkflows.connections.support.Api;
import io.jsworkflows.connections.support.PlatformTopicsResource;
import io.jsworkflows.contracts.Topics;
import io.jsworkflows.contracts.events.ConnectionEvent;
import io.jsworkflows.contracts.json.ContractsJson;
import io.jsworkflows.testsupport.HubSpotEmulatorTestResource;
import io.jsworkflows.testsupport.KafkaTestResource;
import io.jsworkflows.testsupport.PostgresTestResource;
import io.jsworkflows.testsupport.TopicRecords;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** The outbox relay: nothing lost when the process dies between commit and publish, order kept per connection. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PlatformTopicsResource.class)
@WithTestResource(HubSpotEmulatorTestResource.class)
class OutboxRelayTest {

    @Inject
    OutboxRelay relay;

    @Inject
    EntityManager em;

    @AfterEach
    void resume() {
        relay.resume();
    }

    @Test
    void rowsCommittedWhileTheRelayIsDownArePublishedInOrderWhenItComesBack() {
        Api.Ws ws = Api.newWorkspace();
        // the "crash": the relay stops right after the API committed its changes
        relay.pause();
        String id = ws.as().contentType(ContentType.JSON).body(Api.connectBody("crashy", "contacts:read"))
                .post("/api/v1/connections").then().statusCode(201).extract().path("id");
        ws.as().delete("/api/v1/connections/crashy").then().statusCode(204);

        assertThat(pending(id)).isEqualTo(3); // CREATED, grants tombstone, DELETED
        assertThat(TopicRecords.forKey(Topics.CONNECTION_EVENTS, id)).isEmpty();

        relay.resume();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(pending(id)).isZero();
            List<ConnectionEvent.Type> types = TopicRecords.forKey(Topics.CONNECTION_EVENTS, id).stream()
                    .map(r -> ContractsJson.read(r.value(), ConnectionEvent.class).type()).toList();
            assertThat(types).containsExactly(ConnectionEvent.Type.CREATED, ConnectionEvent.Type.DELETED);
            List<ConsumerRecord<String, String>> grants = TopicRecords.forKey(Topics.CONNECTION_GRANTS, id);
            assertThat(grants).hasSize(1);
            assertThat(grants.get(0).value()).isNull();
            // the token's tombstone is token-refresher's to write (the only writer of the tokens topic)
            assertThat(TopicRecords.forKey(Topics.CONNECTION_TOKENS, id)).isEmpty();
        });
    }

    @Test
    void aCrashAfterPublishButBeforeTheMarkRepublishesInTheSameOrder() {
        Api.Ws ws = Api.newWorkspace();
        String id = ws.as().contentType(ContentType.JSON).body(Api.connectBody("twice", "contacts:read"))
                .post("/api/v1/connections").then().statusCode(201).extract().path("id");
        ws.as().delete("/api/v1/connections/twice").then().statusCode(204);
        await().atMost(Duration.ofSeconds(60)).until(() -> pending(id) == 0);

        // the broker acknowledged, but the process died before the rows were marked: the mark never committed
        relay.pause();
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery(
                "update outbox set published_at = null where subject_id = ?1").setParameter(1, id).executeUpdate());
        relay.resume();

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(pending(id)).isZero();
            List<ConnectionEvent> events = TopicRecords.forKey(Topics.CONNECTION_EVENTS, id).stream()
                    .map(r -> ContractsJson.read(r.value(), ConnectionEvent.class)).toList();
            // at least once: delivered again, same event ids, same order
            assertThat(events).extracting(ConnectionEvent::type).containsExactly(ConnectionEvent.Type.CREATED,
                    ConnectionEvent.Type.DELETED, ConnectionEvent.Type.CREATED, ConnectionEvent.Type.DELETED);
            assertThat(events.get(2).eventId()).isEqualTo(events.get(0).eventId());
            assertThat(events.get(3).eventId()).isEqualTo(events.get(1).eventId());
        });
    }

    private long pending(String connectionId) {
        return QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select count(*) from outbox where subject_id = ?1 and published_at is null")
                .setParameter(1, connectionId).getSingleResult()).longValue());
    }
}
