package io.jsworkflows.connections.messaging;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import io.jsworkflows.connections.support.Api;
import io.jsworkflows.connections.support.PlatformTopicsResource;
import io.jsworkflows.contracts.CloudEventTypes;
import io.jsworkflows.contracts.Topics;
import io.jsworkflows.contracts.events.ConnectionEvent;
import io.jsworkflows.contracts.events.ConnectionStatus;
import io.jsworkflows.contracts.events.TokenState;
import io.jsworkflows.contracts.json.ContractsJson;
import io.jsworkflows.testsupport.HubSpotEmulator;
import io.jsworkflows.testsupport.HubSpotEmulatorTestResource;
import io.jsworkflows.testsupport.KafkaTestResource;
import io.jsworkflows.testsupport.PostgresTestResource;
import io.jsworkflows.testsupport.SharedKafka;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** The refresher's TokenState and events keep status, expiry and last refresh current, idempotently by version. */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PlatformTopicsResource.class)
@WithTestResource(HubSpotEmulatorTestResource.class)
class ConnectionStateConsumerTest {

    @Test
    void tokenStatesAndEventsUpdateTheConnectionAndStaleOnesAreIgnored() {
        Api.Ws ws = Api.newWorkspace();
        String url = ws.as().contentType(ContentType.JSON).body(Api.connectBody("fresh", "contacts:read"))
                .post("/api/v1/connections").then().statusCode(201).extract().path("authorizeUrl");
        Api.Flow flow = Api.begin(ws, url);
        String id = Api.asInitiator(ws, flow).get(HubSpotEmulator.shared().grantConsent(flow.hubspotUrl())).then().statusCode(200)
                .extract().path("id");

        Instant refreshed = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(5);
        Instant expires = refreshed.plusSeconds(1800);
        try (KafkaProducer<String, String> p = producer()) {
            send(p, Topics.CONNECTION_TOKENS, id, token(id, ws.id(), ConnectionStatus.ACTIVE, 3, 1, refreshed, expires, null));
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> ws.as().get("/api/v1/connections/fresh").then()
                    .body("tokenVersion", equalTo(3)).body("expiresAt", equalTo(expires.toString()))
                    .body("lastRefreshAt", equalTo(refreshed.toString())).body("status", equalTo("ACTIVE")));

            // a stale token version, a state of an unknown older grant, and a redelivery change nothing
            send(p, Topics.CONNECTION_TOKENS, id, token(id, ws.id(), ConnectionStatus.EXPIRED, 2, 1, refreshed.minusSeconds(60),
                    refreshed, "old"));
            send(p, Topics.CONNECTION_TOKENS, id, token(id, ws.id(), ConnectionStatus.EXPIRED, 9, 0, refreshed.minusSeconds(60),
                    refreshed, "other grant"));
            send(p, Topics.CONNECTION_TOKENS, id, token(id, ws.id(), ConnectionStatus.ACTIVE, 3, 1, refreshed, expires, null));
            send(p, Topics.CONNECTION_TOKENS, id, "{not json");
            // the refresher reports the refresh token rejected: NEEDS_REAUTH with its reason
            send(p, Topics.CONNECTION_EVENTS, id, ContractsJson.write(new ConnectionEvent(1, UUID.randomUUID().toString(),
                    ConnectionEvent.Type.NEEDS_REAUTH, id, ws.id(), "fresh", ConnectionStatus.NEEDS_REAUTH,
                    "HubSpot rejected the refresh token (BAD_REFRESH_TOKEN): reconnect", 1, 3, CloudEventTypes.SOURCE_REFRESHER,
                    Instant.now())));
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> ws.as().get("/api/v1/connections/fresh").then()
                    .body("status", equalTo("NEEDS_REAUTH")).body("statusReason", equalTo(
                            "HubSpot rejected the refresh token (BAD_REFRESH_TOKEN): reconnect"))
                    .body("tokenVersion", equalTo(3)).body("expiresAt", equalTo(expires.toString())));

            // an older event arriving late does not undo it (it would set ACTIVE and a later last refresh)
            send(p, Topics.CONNECTION_EVENTS, id, ContractsJson.write(new ConnectionEvent(1, UUID.randomUUID().toString(),
                    ConnectionEvent.Type.REFRESHED, id, ws.id(), "fresh", ConnectionStatus.ACTIVE, null, 1, 2,
                    CloudEventTypes.SOURCE_REFRESHER, refreshed.plusSeconds(3600))));
            // a marker behind it on the same partition tells when the late one was processed
            send(p, Topics.CONNECTION_EVENTS, id, ContractsJson.write(new ConnectionEvent(1, UUID.randomUUID().toString(),
                    ConnectionEvent.Type.REFRESH_FAILED, id, ws.id(), "fresh", ConnectionStatus.NEEDS_REAUTH, "marker", 1, 3,
                    CloudEventTypes.SOURCE_REFRESHER, Instant.now())));
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> ws.as().get("/api/v1/connections/fresh").then()
                    .body("statusReason", equalTo("marker")));
            ws.as().get("/api/v1/connections/fresh").then().body("status", equalTo("NEEDS_REAUTH"))
                    .body("lastRefreshAt", equalTo(refreshed.toString()));
        }
    }

    private static String token(String id, String ws, ConnectionStatus status, long tokenVersion, long grantVersion,
            Instant refreshedAt, Instant expiresAt, String reason) {
        return ContractsJson.write(new TokenState(1, id, ws, "fresh", 12345678L, List.of("oauth"), status, null, expiresAt,
                tokenVersion, grantVersion, refreshedAt, reason));
    }

    private static void send(KafkaProducer<String, String> p, String topic, String key, String value) {
        ProducerRecord<String, String> r = new ProducerRecord<>(topic, key, value);
        r.headers().add("ce_source", CloudEventTypes.SOURCE_REFRESHER.getBytes(StandardCharsets.UTF_8));
        try {
            p.send(r).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static KafkaProducer<String, String> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers());
        return new KafkaProducer<>(props, new StringSerializer(), new StringSerializer());
    }
}
