package io.jsworkflows.executor;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.jsworkflows.contracts.events.RunEvent;
import io.jsworkflows.testsupport.HubSpotApiTestResource;
import io.jsworkflows.testsupport.KafkaTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * With a test-sized poll interval (10 s), one key's runs take longer together than the interval: trigger records of
 * another topic still run meanwhile, the loop survives, every record runs once, and liveness stays UP.
 */
@QuarkusTest
@TestProfile(SlowRunTest.ShortPollInterval.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(HubSpotApiTestResource.class)
@WithTestResource(PlatformTopicsResource.class)
class SlowRunTest {

    public static class ShortPollInterval implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("jsw.executor.triggers.max-poll-interval", "PT10S", "jsw.executor.max-timeout", "PT5S",
                    "jsw.executor.default-timeout", "PT5S");
        }
    }

    static final String KEY = "test-key-1";

    @BeforeAll
    static void init() {
        Fixtures.init();
        Fixtures.createTopic("orders.slow", 1);
        Fixtures.createTopic("orders.fast", 1);
    }

    static List<RunEvent> events(String workflowId, RunEvent.Type type) {
        return Fixtures.runEvents().matching(e -> e.workflowId().equals(workflowId) && e.type() == type);
    }

    @Test
    void runsLongerThanThePollIntervalHoldUpNeitherAnotherTopicNorTheLoop() {
        String slow = "export class Workflow { async start(data) { await new Promise(r => setTimeout(r, 4000)); console.log(`slow ${data.name}`); } }";
        String fast = "export class Workflow { async start(data) { console.log(`fast ${data.name}`); } }";
        Fixtures.deploy(KEY, "slow-key", slow, "orders.slow", "\"timeout\":\"PT5S\",\"retryPolicy\":{\"maxAttempts\":1}").statusCode(201);
        Fixtures.deploy(KEY, "fast-other-topic", fast, "orders.fast", "\"retryPolicy\":{\"maxAttempts\":1}").statusCode(201);

        // four records of one key: 16 s of runs in order, more than the 10 s poll interval
        Fixtures.sendBurst("orders.slow", IntStream.range(0, 4).mapToObj(i -> new String[] { "slow-shop",
                Fixtures.order(80_000 + i, "slow-" + i + "@example.com") }).toList(), i -> Fixtures.shopifyHeaders(UUID.randomUUID().toString()));
        await().atMost(Duration.ofSeconds(60)).until(() -> !events("slow-key", RunEvent.Type.STARTED).isEmpty());
        Fixtures.publishOrder("orders.fast", 81_000, "fast-1@example.com");

        await().atMost(Duration.ofSeconds(60)).until(() -> events("fast-other-topic", RunEvent.Type.SUCCEEDED).size() == 1);
        assertThat(events("slow-key", RunEvent.Type.SUCCEEDED)).as("the other topic's run did not wait for the slow key").hasSizeLessThan(4);

        await().atMost(Duration.ofSeconds(90)).until(() -> events("slow-key", RunEvent.Type.SUCCEEDED).size() == 4);
        // the loop is still there: a later record runs too, and liveness is UP
        Fixtures.publishOrder("orders.fast", 81_001, "fast-2@example.com");
        await().atMost(Duration.ofSeconds(60)).until(() -> events("fast-other-topic", RunEvent.Type.SUCCEEDED).size() == 2);
        given().get("/q/health/live").then().statusCode(200);
        // offsets were committed as runs finished: no record ran twice
        assertThat(events("slow-key", RunEvent.Type.STARTED)).hasSize(4);
        assertThat(events("fast-other-topic", RunEvent.Type.STARTED)).hasSize(2);
    }
}
