package io.jsworkflows.refresher.support;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;

import io.jsworkflows.contracts.CloudEventTypes;
import io.jsworkflows.contracts.Topics;
import io.jsworkflows.contracts.crypto.TokenCipher;
import io.jsworkflows.contracts.events.ConnectionStatus;
import io.jsworkflows.contracts.events.GrantState;
import io.jsworkflows.contracts.events.RefreshRequest;
import io.jsworkflows.contracts.json.ContractsJson;

/** Plays connections-service in tests: publishes sealed GrantState records (and tombstones, refresh requests). */
public final class Grants implements AutoCloseable {

    public static final List<String> SCOPES = List.of("oauth", "crm.objects.contacts.read");

    private final KafkaProducer<String, String> producer;
    public final TokenCipher grantCipher;
    public final TokenCipher tokenCipher;

    public Grants(String bootstrap) {
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.LINGER_MS_CONFIG, 5),
                new StringSerializer(), new StringSerializer());
        var config = ConfigProvider.getConfig();
        grantCipher = TokenCipher.fromConfig(config.getValue("jsw.crypto.grant-keys", String.class), "test grant keys");
        tokenCipher = TokenCipher.fromConfig(config.getValue("jsw.crypto.token-keys", String.class), "test token keys");
    }

    public static String newConnectionId() {
        return UUID.randomUUID().toString();
    }

    public GrantState grant(String connectionId, long grantVersion, String refreshToken, String accessToken, Instant expiresAt) {
        return new GrantState(GrantState.SCHEMA_VERSION, connectionId, "ws-test", "h-" + connectionId.substring(0, 8),
                ConnectionStatus.ACTIVE, SCOPES, 12345678L, "jsw-demo.hubspot.com", grantCipher.seal(refreshToken, connectionId),
                accessToken == null ? null : tokenCipher.seal(accessToken, connectionId), expiresAt, grantVersion, Instant.now());
    }

    public void publish(GrantState g) {
        send(Topics.CONNECTION_GRANTS, g.connectionId(), ContractsJson.write(g), CloudEventTypes.GRANT_STATE);
    }

    /** Publishes a value as it is (for records a well-behaved writer would not produce). */
    public void publishRaw(String connectionId, String json) {
        send(Topics.CONNECTION_GRANTS, connectionId, json, CloudEventTypes.GRANT_STATE);
    }

    public void delete(String connectionId) {
        send(Topics.CONNECTION_GRANTS, connectionId, null, CloudEventTypes.GRANT_STATE);
    }

    public void requestRefresh(String connectionId, long knownTokenVersion) {
        requestRefresh(connectionId, knownTokenVersion, "ws-test", null);
    }

    /** A refresh request claiming {@code workspaceId}, with a {@code traceparent} header when not null. */
    public void requestRefresh(String connectionId, long knownTokenVersion, String workspaceId, String traceparent) {
        RefreshRequest r = new RefreshRequest(RefreshRequest.SCHEMA_VERSION, UUID.randomUUID().toString(), connectionId, workspaceId,
                RefreshRequest.Reason.MANUAL, knownTokenVersion, "test", Instant.now());
        RecordHeaders h = new RecordHeaders();
        if (traceparent != null) {
            h.add("traceparent", traceparent.getBytes(StandardCharsets.UTF_8));
        }
        send(Topics.REFRESH_REQUESTS, connectionId, ContractsJson.write(r), CloudEventTypes.REFRESH_REQUEST, h);
    }

    private void send(String topic, String key, String value, String type) {
        send(topic, key, value, type, new RecordHeaders());
    }

    private void send(String topic, String key, String value, String type, RecordHeaders h) {
        h.add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8));
        h.add("ce_id", UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
        h.add("ce_type", type.getBytes(StandardCharsets.UTF_8));
        h.add("ce_source", CloudEventTypes.SOURCE_CONNECTIONS.getBytes(StandardCharsets.UTF_8));
        producer.send(new ProducerRecord<>(topic, null, key, value, h));
    }

    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close();
    }
}
