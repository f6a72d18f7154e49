package io.jsworkflows.executor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.jsworkflows.contracts.events.RunEvent;
import io.jsworkflows.executor.messaging.ExecutorStreams;
import io.jsworkflows.executor.messaging.TriggerLoop;
import io.jsworkflows.testsupport.HubSpotEmulator;
import io.jsworkflows.testsupport.HubSpotApiTestResource;
import io.jsworkflows.testsupport.KafkaTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Delivery under load: the per-portal budget against HubSpot's limit, and a replica killed mid-batch. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(HubSpotApiTestResource.class)
@WithTestResource(PlatformTopicsResource.class)
class DeliveryTest {

    @Inject
    ExecutorStreams streams;

    @BeforeAll
    static void init() {
        Fixtures.init();
    }

    static List<RunEvent> events(String workflowId, RunEvent.Type type) {
        return Fixtures.runEvents().matching(e -> e.workflowId().equals(workflowId) && e.type() == type);
    }

    @Test
    void threeHundredRunsAgainstOnePortalAt110Per10sWithoutA429ReachingAWorkflow() {
        HubSpotEmulator emulator = Fixtures.emulator();
        emulator.setRateLimit(110, Duration.ofSeconds(10));
        Fixtures.connect("conn-rate", "ws-rate", "my-hubspot", 1);
        Fixtures.createTopic("orders.rate", 6);
        Fixtures.deploy("test-key-rate", "contact-rate", Fixtures.example("contact-from-order.js"), "orders.rate",
                "\"timeout\":\"PT60S\",\"retryPolicy\":{\"maxAttempts\":1}").statusCode(201);
        long before429 = emulator.requestCount("POST", "/crm/v3/objects/contacts", 429);
        // a few shops, so runs spread over partitions and lanes
        List<String[]> orders = IntStream.range(0, 300).mapToObj(i -> new String[] { "shop-" + (i % 12) + ".myshopify.com",
                Fixtures.order(20_000 + i, "rate-" + i + "@example.com") }).toList();
        Fixtures.sendBurst("orders.rate", orders, i -> Fixtures.shopifyHeaders(UUID.randomUUID().toString()));
        await().atMost(Duration.ofSeconds(120)).until(() -> events("contact-rate", RunEvent.Type.SUCCEEDED).size()
                + events("contact-rate", RunEvent.Type.FAILED).size() >= 300);
        assertThat(events("contact-rate", RunEvent.Type.FAILED)).isEmpty();
        assertThat(events("contact-rate", RunEvent.Type.SUCCEEDED)).hasSize(300)
                .allSatisfy(e -> assertThat(e.httpCalls()).extracting(RunEvent.HttpCall::status).containsOnly(201));
        assertThat(emulator.requestCount("POST", "/crm/v3/objects/contacts", 429) - before429).isZero();
        // 300 requests at 110 per 10 s cannot finish in less than two windows: the budget made runs wait
        var started = events("contact-rate", RunEvent.Type.STARTED).stream().map(RunEvent::occurredAt).min(java.util.Comparator.naturalOrder());
        var finished = events("contact-rate", RunEvent.Type.SUCCEEDED).stream().map(RunEvent::occurredAt).max(java.util.Comparator.naturalOrder());
        assertThat(Duration.between(started.orElseThrow(), finished.orElseThrow())).isGreaterThanOrEqualTo(Duration.ofSeconds(18));
    }

    @Test
    void aReplicaKilledMidBatchLosesNoRun() {
        Fixtures.connect("conn-kill", "ws-kill", "my-hubspot", 1);
        Fixtures.createTopic("orders.kill", 4);
        String src = Fixtures.example("contact-from-order.js");
        Fixtures.deploy("test-key-kill", "contact-kill", src, "orders.kill",
                "\"retryPolicy\":{\"maxAttempts\":2,\"initialBackoff\":\"PT0.2S\",\"maxBackoff\":\"PT1S\",\"multiplier\":2.0}")
                .statusCode(201);
        List<TriggerLoop> first = streams.triggerLoops();
        TriggerLoop second = streams.startTriggerLoop("jsw-trigger-second");
        int n = 80;
        Fixtures.sendBurst("orders.kill", IntStream.range(0, n).mapToObj(i -> new String[] { "kill-shop-" + (i % 8),
                Fixtures.order(30_000 + i, "kill-" + i + "@example.com") }).toList(), i -> Fixtures.shopifyHeaders(UUID.randomUUID().toString()));
        // kill the first replica's consumer while runs are in flight
        await().atMost(Duration.ofSeconds(60)).until(() -> events("contact-kill", RunEvent.Type.SUCCEEDED).size() >= 10);
        first.forEach(l -> {
            l.crash();
            streams.forget(l);
        });
        HubSpotEmulator emulator = Fixtures.emulator();
        await().atMost(Duration.ofSeconds(120)).until(() -> IntStream.range(0, n)
                .allMatch(i -> !emulator.searchObjects("contacts", "email", "kill-" + i + "@example.com").isEmpty()));
        Set<String> succeeded = new HashSet<>();
        events("contact-kill", RunEvent.Type.SUCCEEDED).forEach(e -> succeeded.add(e.idempotencyKey()));
        assertThat(succeeded.size()).isGreaterThanOrEqualTo(1);
        assertThat(second).isNotNull();
    }
}
