package io.jsworkflows.gateway.support;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import io.jsworkflows.kafkabroker.KafkaProcessBroker;
import io.jsworkflows.testsupport.PlatformTopics;
import io.jsworkflows.testsupport.TestServers;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A broker of the test's own (not the module's shared one), which the test may stop and start again on the same ports
 * and data: an outage as the gateway sees it.
 */
public class PrivateBrokerResource implements QuarkusTestResourceLifecycleManager {

    private static KafkaProcessBroker.Options options;
    private static KafkaProcessBroker broker;

    @Override
    public Map<String, String> start() {
        try {
            Path dir = TestServers.workDir().resolve("kafka-private-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
            options = new KafkaProcessBroker.Options(dir, KafkaProcessBroker.freePort(), KafkaProcessBroker.freePort(), 1, false, "384m");
            startBroker();
            PlatformTopics.create(bootstrapServers(), GatewayTopicsResource.specs());
            return Map.of("kafka.bootstrap.servers", bootstrapServers(), "quarkus.kafka.devservices.enabled", "false");
        } catch (Exception e) {
            throw new IllegalStateException("could not start the private broker", e);
        }
    }

    public static String bootstrapServers() {
        return "127.0.0.1:" + options.port();
    }

    /** Stops the broker (SIGTERM, as an orderly broker restart does). */
    public static synchronized void stopBroker() {
        broker.close();
    }

    /** Starts it again with the same ports and data. */
    public static synchronized void startBroker() throws Exception {
        broker = new KafkaProcessBroker(options).start(Duration.ofSeconds(120));
    }

    @Override
    public void stop() {
        if (broker != null) {
            broker.close();
        }
    }
}
