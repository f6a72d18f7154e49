package io.jsworkflows.executor.messaging;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.jsworkflows.contracts.Topics;
import io.jsworkflows.testsupport.PlatformTopics;
import io.jsworkflows.testsupport.SharedKafka;

/** The readiness signal "Kafka reachable": a view notices whether the broker answers its fetches. */
class TopicViewReaderTest {

    @Test
    void aViewKnowsWhetherTheBrokerAnswersItsFetches() throws IOException {
        PlatformTopics.create(SharedKafka.bootstrapServers());
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort(); // nothing listens there once the socket is closed
        }
        KafkaClients reachable = new KafkaClients(Map.of("bootstrap.servers", SharedKafka.bootstrapServers()));
        KafkaClients unreachable = new KafkaClients(Map.of("bootstrap.servers", "127.0.0.1:" + closedPort));
        try (TopicViewReader up = new TopicViewReader(reachable, Topics.CONNECTION_TOKENS, r -> {
        }).start();
                TopicViewReader down = new TopicViewReader(unreachable, Topics.CONNECTION_TOKENS, r -> {
                }).start()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> up.fetchedWithin(Duration.ofSeconds(2)));
            // an idle topic still gets an answer every fetch.max.wait.ms: the signal stays fresh without traffic
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> up.fetchedWithin(Duration.ofSeconds(2)));
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> !down.fetchedWithin(Duration.ofHours(1)));
        } finally {
            reachable.close();
            unreachable.close();
        }
    }
}
