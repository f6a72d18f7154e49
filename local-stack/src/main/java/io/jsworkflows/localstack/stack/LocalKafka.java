package io.jsworkflows.localstack.stack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.jsworkflows.kafkabroker.KafkaProcessBroker;
import io.jsworkflows.localstack.client.KafkaTools;

/**
 * The stack's Kafka: a single KRaft broker process with its data kept under the state directory, or, with
 * {@code JSW_KAFKA_BOOTSTRAP}, an existing cluster that only has to be reachable.
 */
final class LocalKafka {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration EXTERNAL_REACH_TIMEOUT = Duration.ofSeconds(30);

    private final StackSettings s;
    private final StackConsole console;
    private final StackSupervisor supervisor;

    LocalKafka(StackSettings settings, StackConsole console, StackSupervisor supervisor) {
        this.s = settings;
        this.console = console;
        this.supervisor = supervisor;
    }

    void start() throws IOException, InterruptedException {
        if (s.externalKafka() != null) {
            console.step("kafka", "using the existing Kafka at " + s.externalKafka() + " (JSW_KAFKA_BOOTSTRAP)");
            KafkaTools.awaitReachable(s.externalKafka(), EXTERNAL_REACH_TIMEOUT);
            return;
        }
        long t = System.nanoTime();
        Path dir = s.stateDir().resolve("kafka");
        boolean fresh = !Files.exists(dir.resolve("data/meta.properties"));
        console.step("kafka", "starting Kafka 4.4 (KRaft) on " + s.kafkaBootstrap() + ", data " + StackConsole.rel(dir)
                + (fresh ? " (new)" : " (kept)"));
        KafkaProcessBroker broker = new KafkaProcessBroker(
                new KafkaProcessBroker.Options(dir, s.kafkaPort(), s.kafkaControllerPort(), 1, false, "512m"));
        supervisor.started("kafka", () -> broker.pid() < 0 ? null : ProcessHandle.of(broker.pid()).orElse(null), broker::close);
        try {
            broker.start(START_TIMEOUT);
        } catch (IllegalStateException e) {
            throw new StackException("Kafka did not start: " + e.getMessage() + "\n" + ManagedService.tail(broker.logFile(), 20));
        }
        supervisor.recordPid("kafka", broker.pid());
        console.done("kafka", t, "ready at " + s.kafkaBootstrap());
    }
}
