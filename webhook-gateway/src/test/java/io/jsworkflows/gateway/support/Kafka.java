package io.jsworkflows.gateway.support;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.jsworkflows.contracts.ShopifyHeaders;
import io.jsworkflows.contracts.Topics;
import io.jsworkflows.contracts.crypto.TokenCipher;
import io.jsworkflows.contracts.events.SourceKind;
import io.jsworkflows.contracts.events.SourceState;
import io.jsworkflows.contracts.json.ContractsJson;

/** The test's side of Kafka: sources as connections-service publishes them, and the records the gateway wrote. */
public final class Kafka {

    /** The test profile's source key ring (application.properties). */
    public static final TokenCipher SOURCE_KEYS = TokenCipher.fromConfig("s1:c291cmNlLXRlc3Qta2V5LTAwMDAwMDAwMDAwMDAwMDA=", "test");

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
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.SOURCES, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every record on the Shopify source topics (up to their current end) whose webhook id is {@code webhookId}. */
    public static List<ConsumerRecord<String, String>> recordsWithWebhookId(String bootstrap, String webhookId) {
        Map<String, Object> c = new HashMap<>();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<String, String>> found = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (Topics.Spec spec : Topics.SOURCE_TOPICS) {
                for (int i = 0; i < spec.partitions(); i++) {
                    partitions.add(new TopicPartition(spec.name(), i));
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read the source topics to their end");
                }
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    if (webhookId.equals(header(r, ShopifyHeaders.WEBHOOK_ID))) {
                        found.add(r);
                    }
                }
            }
        }
        return found;
    }

    public static String header(ConsumerRecord<String, String> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
