package io.jsworkflows.testsupport;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real Kafka broker for a {@code @QuarkusTest}: sets {@code kafka.bootstrap.servers} (which also keeps Dev Services
 * off). The broker is shared by every test class of the module.
 */
public class KafkaTestResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        return Map.of(
                "kafka.bootstrap.servers", SharedKafka.bootstrapServers(),
                "quarkus.kafka.devservices.enabled", "false");
    }

    @Override
    public void stop() {
        // shared across test classes; stopped when the JVM exits
    }
}
