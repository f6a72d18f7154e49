package io.jsworkflows.refresher;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import io.jsworkflows.contracts.Topics;
import io.jsworkflows.contracts.events.ConnectionStatus;
import io.jsworkflows.contracts.events.TokenState;
import io.jsworkflows.contracts.json.ContractsJson;
import io.jsworkflows.refresher.support.PlatformTopicsResource;
import io.jsworkflows.testsupport.HubSpotEmulatorTestResource;
import io.jsworkflows.testsupport.KafkaTestResource;
import io.jsworkflows.testsupport.PlatformTopics;
import io.jsworkflows.testsupport.SharedKafka;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * The grants consumer stops (here: it cannot read the tokens of its new partitions back within the rebuild timeout):
 * liveness and readiness go DOWN and say which loop and why, so that Kubernetes restarts the replica.
 */
@QuarkusTest
@TestProfile(GrantsLoopDeathTest.RebuildTimesOut.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PlatformTopicsResource.class)
@WithTestResource(HubSpotEmulatorTestResource.class)
class GrantsLoopDeathTest {

    /** A rebuild timeout no read-back can meet, in a group of its own. */
    public static class RebuildTimesOut implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // zero: a partition with anything to read back can never be rebuilt in time
            return Map.of("jsw.refresher.rebuild-timeout", "PT0S", "jsw.refresher.group-id", "jsw-token-refresher-loop-death");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(TokensToReadBack.class));
        }
    }

    /** A token record in every partition, so that every assigned partition has something to read back. */
    public static class TokensToReadBack implements QuarkusTestResourceLifecycleManager {
        @Override
        public Map<String, String> start() {
            PlatformTopics.create(SharedKafka.bootstrapServers());
            try (KafkaProducer<String, String> p = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    SharedKafka.bootstrapServers()), new StringSerializer(), new StringSerializer())) {
                for (int partition = 0; partition < Topics.CONNECTION_PARTITIONS; partition++) {
                    String id = "loop-death-" + partition;
                    TokenState t = new TokenState(TokenState.SCHEMA_VERSION, id, "ws-test", "h", 1L, List.of(), ConnectionStatus.EXPIRED,
                            null, Instant.now(), 1, 1, Instant.now(), "test");
                    p.send(new ProducerRecord<>(Topics.CONNECTION_TOKENS, partition, id, ContractsJson.write(t)));
                }
                p.send(new ProducerRecord<>(Topics.CONNECTION_TOKENS, 0, "loop-death-0", null)); // and gone again
            }
            return Map.of();
        }

        @Override
        public void stop() {
        }
    }

    @Test
    void aStoppedGrantsConsumerTurnsLivenessAndReadinessDown() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().get("/q/health/live").then().statusCode(503)
                .body("checks.find { it.name == 'refresher-loops' }.status", is("DOWN"))
                .body("checks.find { it.name == 'refresher-loops' }.data.token-refresher-grants",
                        containsString("stopped by IllegalStateException: could not read jsw.connections.tokens partitions"))
                .body("checks.find { it.name == 'refresher-loops' }.data.token-refresher-scheduler", is("running")));
        given().get("/q/health/ready").then().statusCode(503)
                .body("checks.find { it.name == 'partition-ownership' }.status", is("DOWN"));
    }
}
