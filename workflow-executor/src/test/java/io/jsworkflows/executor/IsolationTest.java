package io.jsworkflows.executor;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.jsworkflows.contracts.events.AttemptError;
import io.jsworkflows.contracts.events.DeadLetter;
import io.jsworkflows.contracts.events.RunEvent;
import io.jsworkflows.executor.runtime.ProcessWorkflowRuntime;
import io.jsworkflows.executor.runtime.WorkflowRuntime;
import io.jsworkflows.testsupport.HubSpotEmulator;
import io.jsworkflows.testsupport.HubSpotEmulatorTestResource;
import io.jsworkflows.testsupport.KafkaTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Containment (jsw.executor.isolation=process, as in all tests): a memory bomb beside a normal workflow under load. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(HubSpotEmulatorTestResource.class)
@WithTestResource(PlatformTopicsResource.class)
class IsolationTest {

    static final String KEY = "test-key-iso";

    @Inject
    WorkflowRuntime runtime;

    @BeforeAll
    static void connect() {
        Fixtures.init();
        Fixtures.connect("conn-iso", "ws-iso", "my-hubspot", 1);
    }

    static List<RunEvent> events(String workflowId, RunEvent.Type type) {
        return Fixtures.runEvents().matching(e -> e.workflowId().equals(workflowId) && e.type() == type);
    }

    @Test
    void aMemoryBombIsDeadLetteredAfterTwoCrashesWhileTheNormalWorkflowsRunsAllSucceed() {
        assertThat(runtime).isInstanceOf(ProcessWorkflowRuntime.class);
        long deathsBefore = ((ProcessWorkflowRuntime) runtime).workerDeaths();
        Fixtures.createTopic("orders.iso-normal", 4);
        Fixtures.createTopic("orders.iso-bomb", 1);
        Fixtures.deploy(KEY, "contact-iso", Fixtures.example("contact-from-order.js"), "orders.iso-normal", null).statusCode(201);
        Fixtures.deploy(KEY, "memory-bomb", "export class Workflow { async start() { const a = new Array(2 ** 30).fill(1); return a; } }",
                "orders.iso-bomb", null).statusCode(201);

        int n = 40;
        List<String[]> orders = new ArrayList<>();
        IntStream.range(0, n).forEach(i -> orders.add(new String[] { "iso-shop-" + (i % 8), Fixtures.order(50_000 + i, "iso-" + i + "@example.com") }));
        Fixtures.sendBurst("orders.iso-normal", orders.subList(0, n / 2), i -> Fixtures.shopifyHeaders(UUID.randomUUID().toString()));
        String bombKey = UUID.randomUUID().toString();
        Fixtures.send("orders.iso-bomb", "bomb-shop", Fixtures.order(59_999, "bomb@example.com"), Fixtures.shopifyHeaders(bombKey));
        Fixtures.sendBurst("orders.iso-normal", orders.subList(n / 2, n), i -> Fixtures.shopifyHeaders(UUID.randomUUID().toString()));

        await().atMost(Duration.ofSeconds(120)).until(() -> !Fixtures.deadLetters().matching(d -> "memory-bomb".equals(d.workflowId())).isEmpty());
        DeadLetter dl = Fixtures.deadLetters().matching(d -> "memory-bomb".equals(d.workflowId())).getFirst();
        assertThat(dl.idempotencyKey()).isEqualTo(bombKey);
        assertThat(dl.reason()).startsWith("the executor stopped while this run was in progress (possible runaway memory or CPU)");
        assertThat(dl.attempts()).extracting(AttemptError::category).containsExactly("CRASH", "CRASH");
        assertThat(events("memory-bomb", RunEvent.Type.STARTED)).hasSizeLessThanOrEqualTo(2);
        assertThat(((ProcessWorkflowRuntime) runtime).workerDeaths() - deathsBefore).isBetween(2L, 4L);

        HubSpotEmulator emulator = Fixtures.emulator();
        await().atMost(Duration.ofSeconds(120)).until(() -> events("contact-iso", RunEvent.Type.SUCCEEDED).size() >= n);
        assertThat(IntStream.range(0, n).filter(i -> emulator.searchObjects("contacts", "email", "iso-" + i + "@example.com").size() == 1).count())
                .isEqualTo(n);
        assertThat(events("contact-iso", RunEvent.Type.FAILED)).isEmpty();
        // the replica is up and healthy
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200);
    }
}
