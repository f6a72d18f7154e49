package io.jsworkflows.executor;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.jsworkflows.contracts.events.RunEvent;
import io.jsworkflows.testsupport.HubSpotApiTestResource;
import io.jsworkflows.testsupport.KafkaTestResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * Workflows run in worker JVMs, but fetch bodies are read by the executor: three runs of one tenant each fetch eight
 * 1 MiB bodies at once ({@code Promise.all}), all held in flight by the server, beside ten runs of another tenant that
 * fetch a small body. With a test-sized budget (2 MiB a run, 8 MiB the replica) the executor never holds more than the
 * replica's budget, each large run fails with an error naming its limit, the neighbours all succeed, and every byte is
 * released once the runs have ended. Without the budget the executor would hold about 24 MiB at once.
 */
@QuarkusTest
@TestProfile(FetchMemoryTest.SmallBudgets.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(HubSpotApiTestResource.class)
@WithTestResource(PlatformTopicsResource.class)
@WithTestResource(SlowBodyServer.class)
class FetchMemoryTest {

    static final long RUN_BYTES = 2 << 20;
    static final long REPLICA_BYTES = 8 << 20;

    public static class SmallBudgets implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("jsw.executor.fetch.max-run-bytes", Long.toString(RUN_BYTES), "jsw.executor.fetch.max-replica-bytes",
                    Long.toString(REPLICA_BYTES), "jsw.executor.fetch.replica-wait", "PT1S");
        }
    }

    @Inject
    MeterRegistry meters;

    @BeforeAll
    static void init() {
        Fixtures.init();
        Fixtures.createTopic("orders.big-bodies", 1);
        Fixtures.createTopic("orders.small-bodies", 2);
    }

    static List<RunEvent> events(String workflowId, RunEvent.Type type) {
        return Fixtures.runEvents().matching(e -> e.workflowId().equals(workflowId) && e.type() == type);
    }

    static String server() {
        return System.getProperty(SlowBodyServer.BASE_PROPERTY);
    }

    double gauge(String name) {
        return meters.get(name).gauge().value();
    }

    @Test
    void runsFetchingManyLargeBodiesAtOnceStayWithinTheirShareAndLeaveTheNeighboursAlone() {
        String big = "export class Workflow { async start(data) {"
                + " const sizes = await Promise.all([0, 1, 2, 3, 4, 5, 6, 7].map(i => fetch('" + server() + "/big?n=' + i)"
                + ".then(r => r.text()).then(t => t.length)));"
                + " console.log('fetched ' + sizes.reduce((a, b) => a + b, 0)); } }";
        String small = "export class Workflow { async start(data) {"
                + " const t = await (await fetch('" + server() + "/small')).text(); console.log(`small ${data.name} ${t.length}`); } }";
        Fixtures.deploy("test-key-1", "big-bodies", big, "orders.big-bodies", "\"timeout\":\"PT60S\",\"retryPolicy\":{\"maxAttempts\":1}")
                .statusCode(201);
        Fixtures.deploy("test-key-2", "small-bodies", small, "orders.small-bodies", "\"retryPolicy\":{\"maxAttempts\":1}").statusCode(201);

        // three large runs on their own keys (so they run at once), then the other tenant's ten runs beside them
        Fixtures.sendBurst("orders.big-bodies", IntStream.range(0, 3).mapToObj(i -> new String[] { "big-shop-" + i,
                Fixtures.order(90_000 + i, "big-" + i + "@example.com") }).toList(), i -> Fixtures.shopifyHeaders(UUID.randomUUID().toString()));
        await().atMost(Duration.ofSeconds(60)).until(() -> events("big-bodies", RunEvent.Type.STARTED).size() == 3);
        Fixtures.sendBurst("orders.small-bodies", IntStream.range(0, 10).mapToObj(i -> new String[] { "small-shop-" + i,
                Fixtures.order(91_000 + i, "small-" + i + "@example.com") }).toList(), i -> Fixtures.shopifyHeaders(UUID.randomUUID().toString()));
        await().atMost(Duration.ofSeconds(60)).until(() -> events("small-bodies", RunEvent.Type.SUCCEEDED).size() == 10);

        // every large body is either held back at the server's gate (all 24 in flight) or given up by its run
        await().atMost(Duration.ofSeconds(60)).until(() -> ended("big-bodies") == 3
                || Integer.parseInt(given().baseUri(server()).get("/control/waiting").asString()) == 24);
        given().baseUri(server()).post("/control/open").then().statusCode(204);
        await().atMost(Duration.ofSeconds(60)).until(() -> ended("big-bodies") == 3);

        assertThat(gauge("jsw.executor.fetch.buffered.bytes.max")).as("the most bytes of bodies the executor held at once")
                .isPositive().isLessThanOrEqualTo(REPLICA_BYTES);
        List<RunEvent> failed = events("big-bodies", RunEvent.Type.FAILED);
        assertThat(failed).hasSize(3).allSatisfy(e -> assertThat(e.error()).contains("limit reached")
                .contains("jsw.executor.fetch.max-run-bytes"));
        assertThat(events("small-bodies", RunEvent.Type.FAILED)).isEmpty();
        assertThat(events("small-bodies", RunEvent.Type.SUCCEEDED)).hasSize(10)
                .allSatisfy(e -> assertThat(e.workspaceId()).isEqualTo("ws-other"));
        // the ended runs hold nothing any more; the replica is fine
        await().atMost(Duration.ofSeconds(30)).until(() -> gauge("jsw.executor.fetch.buffered.bytes") == 0);
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200);
    }

    static long ended(String workflowId) {
        return events(workflowId, RunEvent.Type.SUCCEEDED).size() + events(workflowId, RunEvent.Type.FAILED).size();
    }
}
