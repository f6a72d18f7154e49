package io.jsworkflows.testsupport;

import java.time.Duration;

import io.jsworkflows.kafkabroker.KafkaProcessBroker;

/**
 * One real Kafka broker per test JVM (so one per Maven module), started on first use and stopped when the JVM exits.
 * Quarkus restarts apps between test profiles; sharing the broker keeps that cheap.
 */
public final class SharedKafka {

    /** The broker version of the process broker (kafka-broker-dist) and of the container, so both paths test the same Kafka. */
    static final String KAFKA_VERSION = "4.4.0";

    private static String bootstrap;
    private static long brokerPid = -1;

    private SharedKafka() {
    }

    public static synchronized String bootstrapServers() {
        if (bootstrap == null) {
            long t0 = System.nanoTime();
            try {
                if (TestServers.useTestcontainers()) {
                    var container = new org.testcontainers.kafka.KafkaContainer("apache/kafka:" + KAFKA_VERSION);
                    container.start();
                    bootstrap = container.getBootstrapServers();
                    TestServers.log("kafka (testcontainers) started in %d ms at %s", ms(t0), bootstrap);
                } else {
                    KafkaProcessBroker broker = new KafkaProcessBroker(KafkaProcessBroker.Options.forTests(TestServers.workDir()))
                            .start(Duration.ofSeconds(90));
                    Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "kafka-broker-stop"));
                    bootstrap = broker.bootstrapServers();
                    brokerPid = broker.pid();
                    TestServers.log("kafka (process, pid %d) started in %d ms at %s, log %s", broker.pid(), ms(t0), bootstrap,
                            broker.logFile());
                }
            } catch (Exception e) {
                throw new IllegalStateException("could not start a Kafka broker for the tests", e);
            }
        }
        return bootstrap;
    }

    /** Pid of the broker JVM, or -1 when the broker runs in a container (or has not started). */
    public static synchronized long brokerPid() {
        return brokerPid;
    }

    static long ms(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }
}
