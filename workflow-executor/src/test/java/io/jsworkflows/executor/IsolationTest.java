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
import io.jsworkflows.testsupport.HubSpotApiTestResource;
import io.jsworkflows.testsupport.KafkaTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Containment (jsw.executor.isolation=process, as in all tests): each runaway workflow runs beside 40 runs of the contact
 * workflow. The replica stays up and ready, all 40 succeed, and the runaway record reaches the DLQ after at most two
 * attempts: as a crash when it killed its worker, or with the error of the limit that stopped it first.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(HubSpotApiTestResource.class)
@WithTestResource(PlatformTopicsResource.class)
class IsolationTest {

    static final String KEY = "test-key-iso";
    static final String CRASH = "the executor stopped while this run was in progress (possible runaway memory or CPU)";
    /** Two attempts at most, one second apart, each with a 2 s deadline. */
    static final String TWO_ATTEMPTS = "\"timeout\":\"PT2S\",\"retryPolicy\":{\"maxAttempts\":2,\"initialBackoff\":\"PT1S\"}";

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

    /**
     * Deploys {@code badSource} as workflow {@code name} and a copy of the contact workflow beside it, sends 40 orders to
     * the contact workflow with the bad record in their middle, checks that the 40 succeeded and the replica is healthy,
     * and returns the bad record's dead letter.
     */
    DeadLetter beside40NormalRuns(String name, String badSource, String extraJson) {
        String normal = "contact-" + name;
        Fixtures.createTopic("orders." + normal, 4);
        Fixtures.createTopic("orders." + name, 1);
        Fixtures.deploy(KEY, normal, Fixtures.example("contact-from-order.js"), "orders." + normal, null).statusCode(201);
        Fixtures.deploy(KEY, name, badSource, "orders." + name, extraJson).statusCode(201);
        long deathsBefore = ((ProcessWorkflowRuntime) runtime).workerDeaths();

        int n = 40;
        List<String[]> orders = new ArrayList<>();
        IntStream.range(0, n).forEach(i -> orders.add(new String[] { name + "-shop-" + (i % 8), Fixtures.order(60_000 + i, name + "-" + i + "@example.com") }));
        Fixtures.sendBurst("orders." + normal, orders.subList(0, n / 2), i -> Fixtures.shopifyHeaders(UUID.randomUUID().toString()));
        String badKey = UUID.randomUUID().toString();
        Fixtures.send("orders." + name, "bad-shop", Fixtures.order(69_999, name + "@example.com"), Fixtures.shopifyHeaders(badKey));
        Fixtures.sendBurst("orders." + normal, orders.subList(n / 2, n), i -> Fixtures.shopifyHeaders(UUID.randomUUID().toString()));

        await().atMost(Duration.ofSeconds(150)).until(() -> !Fixtures.deadLetters().matching(d -> name.equals(d.workflowId())).isEmpty());
        DeadLetter dl = Fixtures.deadLetters().matching(d -> name.equals(d.workflowId())).getFirst();
        assertThat(dl.idempotencyKey()).isEqualTo(badKey);
        assertThat(dl.attempts()).hasSize(2);
        assertThat(events(name, RunEvent.Type.STARTED)).hasSizeLessThanOrEqualTo(2);

        HubSpotEmulator emulator = Fixtures.emulator();
        // every normal record reached HubSpot exactly once
        await().atMost(Duration.ofSeconds(120)).until(() -> IntStream.range(0, n)
                .allMatch(i -> !emulator.searchObjects("contacts", "email", name + "-" + i + "@example.com").isEmpty()));
        assertThat(IntStream.range(0, n).filter(i -> emulator.searchObjects("contacts", "email", name + "-" + i + "@example.com").size() == 1)
                .count()).isEqualTo(n);
        // a neighbour whose contact was already created when the bad run killed their shared worker is re-run alone and
        // finds it exists (the worker model repeats a neighbour's calls); any other failure of a normal run is a bug
        assertThat(events(normal, RunEvent.Type.FAILED)).allSatisfy(e -> assertThat(e.error()).contains("Contact already exists"));
        assertThat(Fixtures.deadLetters().matching(d -> normal.equals(d.workflowId()))).isEmpty();
        // the replica is up and healthy
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/health/ready").then().statusCode(200);
        deaths = ((ProcessWorkflowRuntime) runtime).workerDeaths() - deathsBefore;
        // operators see the deaths and the replacements
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metric(metrics, "jsw_executor_worker_deaths_total")).isEqualTo(((ProcessWorkflowRuntime) runtime).workerDeaths());
        // dead workers were replaced: both (jsw.executor.workers.count) are live again
        await().atMost(Duration.ofSeconds(60)).until(() -> metric(given().get("/q/metrics").then().extract().asString(),
                "jsw_executor_workers_live") == 2);
        // a neighbour re-run after its worker died may have failed (409) and be waiting for its retry: the workflows
        // go, so those retries are dropped and hold up no later test's retries
        for (String id : List.of(normal, name)) {
            given().header("Authorization", "Bearer " + KEY).delete("/api/v1/workflows/" + id).then().statusCode(204);
        }
        return dl;
    }

    long deaths;

    /** The value of an untagged meter in Prometheus' text format. */
    static long metric(String exposition, String name) {
        return exposition.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{")).findFirst()
                .map(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .orElseThrow(() -> new AssertionError(name + " is not in /q/metrics"));
    }

    void assertCrashedTwice(DeadLetter dl) {
        assertThat(dl.reason()).isEqualTo(CRASH + "; it stopped its worker 2 times");
        assertThat(dl.attempts()).extracting(AttemptError::category).containsExactly("CRASH", "CRASH");
        assertThat(dl.attempts()).extracting(AttemptError::message).containsOnly(CRASH);
        // its own two deaths, plus one when it shared its first worker with other runs (those were re-run)
        assertThat(deaths).isBetween(2L, 3L);
    }

    void assertStoppedTwiceBy(DeadLetter dl, String category, String error) {
        assertThat(dl.reason()).isEqualTo("failed 2 of 2 attempts; last error: " + error);
        assertThat(dl.attempts()).extracting(AttemptError::category).containsExactly(category, category);
        assertThat(dl.attempts()).extracting(AttemptError::message).containsOnly(error);
        assertThat(deaths).as("worker deaths").isZero();
    }

    @Test
    void aMemoryBombKillsItsWorkerTwiceAndIsDeadLettered() {
        assertThat(runtime).isInstanceOf(ProcessWorkflowRuntime.class);
        assertCrashedTwice(beside40NormalRuns("iso-memory-bomb",
                "export class Workflow { async start() { const a = new Array(2 ** 30).fill(1); return a; } }", null));
    }

    @Test
    void anAllocationLoopKillsItsWorkerTwiceAndIsDeadLettered() {
        assertCrashedTwice(beside40NormalRuns("iso-alloc-loop",
                "export class Workflow { async start() { const keep = []; for (;;) keep.push(new Array(100000).fill(keep.length)); } }", null));
    }

    @Test
    void aCpuBoundLoopIsStoppedByItsDeadline() {
        assertStoppedTwiceBy(beside40NormalRuns("iso-cpu-loop", "export class Workflow { async start() { let i = 0; for (;;) { i++; } } }",
                TWO_ATTEMPTS), "TIMEOUT", "the run did not finish within its deadline of 2 s and was cancelled");
    }

    @Test
    void deepRecursionEndsWithAStackOverflowError() {
        assertStoppedTwiceBy(beside40NormalRuns("iso-recursion",
                "function down(n) { return down(n + 1) + 1; } export class Workflow { async start() { return down(0); } }", TWO_ATTEMPTS),
                "THROWN", "RangeError: Maximum call stack size exceeded");
    }

    @Test
    void anExplodingStringEndsWithTheEnginesStringLengthError() {
        // GraalJS concatenates lazily (ropes): doubling reaches the engine's maximum string length before it fills the heap
        assertStoppedTwiceBy(beside40NormalRuns("iso-string", "export class Workflow { async start() { let s = 'boom'; for (;;) s += s; } }",
                TWO_ATTEMPTS), "THROWN", "RangeError: Invalid string length");
    }
}
