package io.jsworkflows.kafka;

import java.util.HashMap;
import java.util.Map;

/**
 * The part of Quarkus' {@code kafka.*} configuration (the {@code default-kafka-broker} map) that says how to reach the
 * cluster: bootstrap servers and security. A service's own plain clients start from it and add their own settings, so
 * that channel-only keys (deserializers, group ids of channels) never leak into them.
 */
public final class KafkaConnection {

    private KafkaConnection() {
    }

    /** Bootstrap servers plus every {@code security.*}, {@code sasl.*} and {@code ssl.*} setting of {@code kafkaConfig}. */
    public static Map<String, Object> of(Map<String, ?> kafkaConfig) {
        Map<String, Object> c = new HashMap<>();
        kafkaConfig.forEach((k, v) -> {
            if (k.equals("bootstrap.servers") || k.startsWith("security.") || k.startsWith("sasl.") || k.startsWith("ssl.")) {
                c.put(k, v);
            }
        });
        return c;
    }
}
