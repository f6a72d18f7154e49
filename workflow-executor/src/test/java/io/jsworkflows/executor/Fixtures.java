package io.jsworkflows.executor;

import static io.restassured.RestAssured.given;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.jsworkflows.contracts.Topics;
import io.jsworkflows.contracts.crypto.TokenCipher;
import io.jsworkflows.contracts.events.ConnectionStatus;
import io.jsworkflows.contracts.events.DeadLetter;
import io.jsworkflows.contracts.events.RefreshRequest;
import io.jsworkflows.contracts.events.RunEvent;
import io.jsworkflows.contracts.events.TokenState;
import io.jsworkflows.contracts.json.ContractsJson;
import io.jsworkflows.testsupport.HubSpotEmulator;
import io.jsworkflows.testsupport.PlatformTopics;
import io.jsworkflows.testsupport.SharedKafka;
import io.jsworkflows.testsupport.TopicRecords;
import io.restassured.response.ValidatableResponse;

/** Shared helpers of the executor's tests: topics, tokens, orders, deployments and tails of the output topics. */
final class Fixtures {

    static final String TOKEN_KEYS = "test:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
    static final List<String> SCOPES = List.of("oauth", "crm.objects.contacts.read", "crm.objects.contacts.write", "crm.objects.deals.read",
            "crm.objects.deals.write");
    static final TokenCipher CIPHER = TokenCipher.fromConfig(TOKEN_KEYS, "test token key");

    private static KafkaProducer<String, String> producer;
    private static Tail<RunEvent> runEvents;
    private static Tail<DeadLetter> deadLetters;
    private static Tail<RefreshRequest> refreshRequests;

    private Fixtures() {
    }

    static synchronized void init() {
        if (producer != null) {
            return;
        }
        String bootstrap = SharedKafka.bootstrapServers();
        PlatformTopics.create(bootstrap);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
        runEvents = new Tail<>(Topics.RUN_EVENTS, RunEvent.class);
        deadLetters = new Tail<>(Topics.RUN_DLQ, DeadLetter.class);
        refreshRequests = new Tail<>(Topics.REFRESH_REQUESTS, RefreshRequest.class);
    }

    static HubSpotEmulator emulator() {
        return HubSpotEmulator.shared();
    }

    static Tail<RunEvent> runEvents() {
        return runEvents;
    }

    static Tail<DeadLetter> deadLetters() {
        return deadLetters;
    }

    static Tail<RefreshRequest> refreshRequests() {
        return refreshRequests;
    }

    static void createTopic(String name, int partitions) {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, SharedKafka.bootstrapServers());
        try (Admin admin = Admin.create(p)) {
            if (!admin.listTopics().names().get().contains(name)) {
                admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot create topic " + name, e);
        }
    }

    /** Publishes a TokenState as the refresher would, with the access token sealed by the test token key. */
    static TokenState publishToken(String connectionId, String workspaceId, String handle, long hubId, ConnectionStatus status,
            String accessToken, Instant expiresAt, long tokenVersion, long grantVersion) {
        return publishToken(connectionId, workspaceId, handle, hubId, status, accessToken, expiresAt, tokenVersion, grantVersion, Instant.now());
    }

    /** As above, refreshed at {@code refreshedAt} (a token's lifetime is refreshedAt to expiresAt). */
    static TokenState publishToken(String connectionId, String workspaceId, String handle, long hubId, ConnectionStatus status,
            String accessToken, Instant expiresAt, long tokenVersion, long grantVersion, Instant refreshedAt) {
        TokenState s = new TokenState(TokenState.SCHEMA_VERSION, connectionId, workspaceId, handle, hubId, SCOPES, status,
                accessToken == null ? null : CIPHER.seal(accessToken, connectionId), expiresAt, tokenVersion, grantVersion, refreshedAt,
                status == ConnectionStatus.NEEDS_REAUTH ? "BAD_REFRESH_TOKEN" : null);
        send(Topics.CONNECTION_TOKENS, connectionId, ContractsJson.write(s), Map.of("ce_type", "io.jsworkflows.connection.token.v1"));
        return s;
    }

    /** A fresh grant at the emulator, published as an ACTIVE token of this connection. */
    static HubSpotEmulator.Tokens connect(String connectionId, String workspaceId, String handle, long tokenVersion) {
        HubSpotEmulator.Tokens t = emulator().issueTokens(HubSpotEmulator.PORTAL_ID, SCOPES);
        publishToken(connectionId, workspaceId, handle, t.hubId(), ConnectionStatus.ACTIVE, t.accessToken(),
                Instant.now().plusSeconds(t.expiresIn()), tokenVersion, 1);
        return t;
    }

    /**
     * A grant at the emulator with {@code granted} scopes, published as an ACTIVE token whose TokenState claims
     * {@code claimed} (the same list, unless a test wants HubSpot itself to refuse what the platform believes granted).
     */
    static HubSpotEmulator.Tokens connectWithScopes(String connectionId, String workspaceId, String handle, List<String> granted,
            List<String> claimed) {
        HubSpotEmulator.Tokens t = emulator().issueTokens(HubSpotEmulator.PORTAL_ID, granted);
        TokenState s = new TokenState(TokenState.SCHEMA_VERSION, connectionId, workspaceId, handle, t.hubId(), claimed, ConnectionStatus.ACTIVE,
                CIPHER.seal(t.accessToken(), connectionId), Instant.now().plusSeconds(t.expiresIn()), 1, 1, Instant.now(), null);
        send(Topics.CONNECTION_TOKENS, connectionId, ContractsJson.write(s), Map.of("ce_type", "io.jsworkflows.connection.token.v1"));
        return t;
    }

    static void send(String topic, String key, String value, Map<String, String> headers) {
        RecordHeaders h = new RecordHeaders();
        headers.forEach((k, v) -> h.add(k, v.getBytes(StandardCharsets.UTF_8)));
        try {
            producer.send(new ProducerRecord<>(topic, null, key, value, h)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Publishes without waiting for each acknowledgement, then flushes: a burst. */
    static void sendBurst(String topic, List<String[]> keyValues, java.util.function.IntFunction<Map<String, String>> headers) {
        List<java.util.concurrent.Future<?>> acks = new ArrayList<>();
        for (int i = 0; i < keyValues.size(); i++) {
            RecordHeaders h = new RecordHeaders();
            headers.apply(i).forEach((k, v) -> h.add(k, v.getBytes(StandardCharsets.UTF_8)));
            acks.add(producer.send(new ProducerRecord<>(topic, null, keyValues.get(i)[0], keyValues.get(i)[1], h)));
        }
        producer.flush();
        for (var a : acks) {
            try {
                a.get();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** The sample Shopify order with its own number and customer email. */
    static String order(int number, String email) {
        try {
            ObjectNode o = (ObjectNode) ContractsJson.mapper().readTree(read("../examples/shopify/order-created.json"));
            o.put("name", "#" + number);
            o.put("order_number", number);
            o.put("email", email);
            ((ObjectNode) o.get("customer")).put("email", email);
            return ContractsJson.write(o);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Shopify's webhook headers for an orders/create delivery. */
    static Map<String, String> shopifyHeaders(String webhookId) {
        return Map.of("X-Shopify-Topic", "orders/create", "X-Shopify-Shop-Domain", "jsw-demo.myshopify.com", "X-Shopify-Webhook-Id",
                webhookId, "X-Shopify-API-Version", "2025-10");
    }

    static void publishOrder(String topic, int number, String email) {
        send(topic, "jsw-demo.myshopify.com", order(number, email), shopifyHeaders(UUID.randomUUID().toString()));
    }

    static ValidatableResponse deploy(String apiKey, String id, String source, String topic, String extraJson) {
        String body = "{\"source\":" + ContractsJson.write(source) + ",\"trigger\":{\"topic\":\"" + topic
                + "\",\"headerMatch\":{\"X-Shopify-Topic\":\"orders/create\"}}" + (extraJson == null ? "" : "," + extraJson) + "}";
        return given().header("Authorization", "Bearer " + apiKey).contentType("application/json").body(body)
                .put("/api/v1/workflows/" + id).then();
    }

    static String read(String path) {
        try {
            return Files.readString(Path.of(path));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String example(String name) {
        return read("../examples/workflows/" + name);
    }

    /** Every record of a topic since its beginning (KafkaCompanion, through test-support's TopicRecords), parsed. */
    static final class Tail<T> {
        private record Parsed<T>(String raw, T value) {
        }

        private final TopicRecords.Recording<Parsed<T>> recording;

        Tail(String topic, Class<T> type) {
            recording = TopicRecords.fromBeginning(topic, v -> new Parsed<>(v, ContractsJson.read(v, type)));
        }

        /** The records' values as written (tombstones left out). */
        List<String> raw() {
            return recording.all().stream().filter(r -> r.value() != null).map(r -> r.value().raw()).toList();
        }

        List<T> matching(Predicate<T> p) {
            return recording.all().stream().filter(r -> r.value() != null).map(r -> r.value().value()).filter(p).toList();
        }
    }
}
