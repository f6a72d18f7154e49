package io.jsworkflows.refresher.messaging;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * Properties for the plain Kafka clients, derived from Quarkus' {@code kafka.*} configuration (bootstrap servers,
 * security settings) so the refresher's own clients connect exactly like its SmallRye channels do.
 */
public final class KafkaClientConfig {

    private KafkaClientConfig() {
    }

    public static Map<String, Object> consumer(Map<String, Object> kafka) {
        return only(kafka, ConsumerConfig.configNames());
    }

    public static Map<String, Object> producer(Map<String, Object> kafka) {
        return only(kafka, ProducerConfig.configNames());
    }

    private static Map<String, Object> only(Map<String, Object> kafka, Set<String> known) {
        Map<String, Object> out = new HashMap<>();
        kafka.forEach((k, v) -> {
            if (known.contains(k) && v != null) {
                out.put(k, v);
            }
        });
        return out;
    }
}
