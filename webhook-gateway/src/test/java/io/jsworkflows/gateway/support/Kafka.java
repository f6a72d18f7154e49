package io.jsworkflows.gateway.support;

import java.time.Instant;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

import io.jsworkflows.contracts.ShopifyHeaders;
import io.jsworkflows.contracts.Topics;
import io.jsworkflows.contracts.crypto.TokenCipher;
import io.jsworkflows.contracts.events.SourceKind;
import io.jsworkflows.contracts.events.SourceState;
import io.jsworkflows.contracts.json.ContractsJson;
import io.jsworkflows.testsupport.TopicRecords;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;

/** The test's side of Kafka: sources as connections-service publishes them, and the records the gateway wrote. */
public final class Kafka {

    /** The test profile's source key ring (application.properties). */
    public static final TokenCipher SOURCE_KEYS = TokenCipher.fromConfig("s1:c291cmNlLXRlc3Qta2V5LTAwMDAwMDAwMDAwMDAwMDA=", "test");

    private static final List<String> SOURCE_TOPICS = Topics.SOURCE_TOPICS.stream().map(Topics.Spec::name).toList();

    private Kafka() {
    }

    public static void publishSource(String bootstrap, String sourceId, String workspaceId, String shop, String secret, long version) {
        SourceState s = new SourceState(SourceState.SCHEMA_VERSION, sourceId, workspaceId, SourceKind.shopify, shop,
                SOURCE_KEYS.seal(secret, sourceId), version, Instant.now());
        send(bootstrap, sourceId, ContractsJson.write(s));
    }

    public static void deleteSource(String bootstrap, String sourceId) {
        send(bootstrap, sourceId, null);
    }

    private static void send(String bootstrap, String key, String value) {
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap)) {
            kafka.produceStrings().withProp(ProducerConfig.ACKS_CONFIG, "all")
                    .fromRecords(new ProducerRecord<>(Topics.SOURCES, key, value)).awaitCompletion();
        }
    }

    /** Every record on the Shopify source topics (up to their current end) whose webhook id is {@code webhookId}. */
    public static List<ConsumerRecord<String, String>> recordsWithWebhookId(String bootstrap, String webhookId) {
        return TopicRecords.withHeader(bootstrap, SOURCE_TOPICS, ShopifyHeaders.WEBHOOK_ID, webhookId);
    }
}
