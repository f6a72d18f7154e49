package io.jsworkflows.connections.runs;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.hasItem;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import io.jsworkflows.connections.runs.service.RunPurge;
import io.jsworkflows.connections.support.Api;
import io.jsworkflows.connections.support.PlatformTopicsResource;
import io.jsworkflows.connections.support.RunRecords;
import io.jsworkflows.contracts.CloudEventTypes;
import io.jsworkflows.contracts.Topics;
import io.jsworkflows.contracts.events.DeadLetter;
import io.jsworkflows.contracts.events.RetryRecord;
import io.jsworkflows.contracts.events.RunEvent;
import io.jsworkflows.contracts.events.RunEvent.ConsoleLine;
import io.jsworkflows.contracts.events.RunEvent.HttpCall;
import io.jsworkflows.contracts.json.ContractsJson;
import io.jsworkflows.testsupport.HubSpotEmulatorTestResource;
import io.jsworkflows.testsupport.KafkaTestResource;
import io.jsworkflows.testsupport.PostgresTestResource;
import io.jsworkflows.testsupport.TopicRecords;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;

/**
 * The runs read model against the real broker and database: the executor's records become rows once (redelivery adds
 * nothing, a late older event does not regress the status), each workspace sees and replays only its own, a replay
 * publishes the RetryRecord jsw dlq replay would, and the purge drops what is past retention.
 */
@QuarkusTest
@WithTestResource(PostgresTestResource.class)
@WithTestResource(KafkaTestResource.class)
@WithTestResource(PlatformTopicsResource.class)
@WithTestResource(HubSpotEmulatorTestResource.class)
class RunReadModelTest {

    private static final Pattern TOKEN = Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"");

    @Inject
    EntityManager em;

    @Inject
    RunPurge purge;

    @Test
    void eventsBecomeOneRunWhoseStatusNeverGoesBackAndRedeliveryAddsNothing() throws java.io.IOException {
        Api.Ws a = Api.newWorkspace();
        String runId = UUID.randomUUID().toString();
        String wf = "wf-" + runId.substring(0, 6);
        Instant t = Instant.now().minusSeconds(60);
        RunEvent started1 = RunRecords.event(a.id(), wf, runId, RunEvent.Type.STARTED, 1, null, null, List.of(), List.of(), t);
        RunEvent failed1 = RunRecords.event(a.id(), wf, runId, RunEvent.Type.FAILED, 1, 120L, "TypeError: boom <b>",
                List.of(new ConsoleLine("info", "looking up order 1001"), new ConsoleLine("error", "no contact")),
                List.of(new HttpCall("GET", "api.hubapi.com", "/crm/v3/objects/contacts/{redacted}", 404, 35)), t.plusSeconds(1));
        RunEvent retry1 = RunRecords.event(a.id(), wf, runId, RunEvent.Type.RETRY_SCHEDULED, 1, 120L, "TypeError: boom <b>", List.of(),
                List.of(), t.plusSeconds(2));
        RunEvent started2 = RunRecords.event(a.id(), wf, runId, RunEvent.Type.STARTED, 2, null, null, List.of(), List.of(), t.plusSeconds(10));
        RunEvent succeeded2 = RunRecords.event(a.id(), wf, runId, RunEvent.Type.SUCCEEDED, 2, 80L, null,
                List.of(new ConsoleLine("info", "done")), List.of(new HttpCall("POST", "api.hubapi.com", "/crm/v3/objects/notes", 201, 40)),
                t.plusSeconds(11));

        // in order, the failure delivered twice; then the second attempt's success before its start and the first's retry
        RunRecords.publish(started1);
        RunRecords.publish(failed1);
        RunRecords.publish(failed1);
        RunRecords.publish(succeeded2);
        RunRecords.publish(started1);
        RunRecords.publish(started2);
        RunRecords.publish(retry1); // the last record of the run: once it shows, every one before it was applied

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> a.as().get("/api/v1/runs/" + runId).then().statusCode(200)
                .body("attempts[0].outcome", equalTo("RETRY_SCHEDULED")));
        var detail = a.as().get("/api/v1/runs/" + runId).then().statusCode(200).extract().jsonPath();
        assertThat(detail.getString("run.status")).isEqualTo("SUCCEEDED");
        assertThat(detail.getInt("run.attempt")).isEqualTo(2);
        assertThat(detail.getString("run.error")).isNull();
        assertThat(detail.getLong("run.durationMillis")).isEqualTo(80L);
        assertThat(detail.getString("run.finishedAt")).isNotNull();
        assertThat(detail.getString("run.idempotencyKey")).isEqualTo("order-" + runId.substring(0, 8));
        assertThat(detail.getList("attempts")).hasSize(2);
        assertThat(detail.getList("attempts[0].console.message")).containsExactly("looking up order 1001", "no contact");
        assertThat(detail.getString("attempts[0].error")).isEqualTo("TypeError: boom <b>");
        assertThat(detail.getList("attempts[0].httpCalls.path")).containsExactly("/crm/v3/objects/contacts/{redacted}");
        assertThat(detail.getString("attempts[1].outcome")).isEqualTo("SUCCEEDED");
        long rows = QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select count(*) from run_event where run_id = ?1").setParameter(1, runId).getSingleResult()).longValue());
        assertThat(rows).isEqualTo(5);

        // the list, newest first, with its filters
        String older = UUID.randomUUID().toString();
        RunRecords.publish(RunRecords.event(a.id(), "other-wf", older, RunEvent.Type.FAILED, 1, 5L, "x", List.of(), List.of(), t.minusSeconds(30)));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> a.as().get("/api/v1/runs").then().body("runs.runId", hasItem(older)));
        assertThat(a.as().get("/api/v1/runs").then().extract().jsonPath().getList("runs.runId")).containsExactly(runId, older);
        assertThat(a.as().get("/api/v1/runs?status=failed").then().extract().jsonPath().getList("runs.runId")).containsExactly(older);
        assertThat(a.as().get("/api/v1/runs?workflow=" + wf).then().extract().jsonPath().getList("runs.runId")).containsExactly(runId);
        a.as().get("/api/v1/runs?status=exploded").then().statusCode(400).contentType("application/problem+json");

        // what the workflow printed and its errors stay out of the log (which is at DEBUG for the service's own code)
        String log = java.nio.file.Files.readString(java.nio.file.Path.of("target", "connections-service-test.log"));
        assertThat(log).doesNotContain("looking up order 1001").doesNotContain("no contact").doesNotContain("TypeError: boom");
    }

    @Test
    void aWorkspaceNeitherSeesNorTakesOverAnotherWorkspacesRun() {
        Api.Ws a = Api.newWorkspace();
        Api.Ws b = Api.newWorkspace();
        String runId = UUID.randomUUID().toString();
        RunRecords.publish(RunRecords.event(a.id(), "wf-a", runId, RunEvent.Type.FAILED, 1, 10L, "secret-ish error of A", List.of(),
                List.of(), Instant.now()));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> a.as().get("/api/v1/runs/" + runId).then().statusCode(200));
        // an event naming B for A's run (a colliding or forged run id) changes nothing and gives B nothing
        RunRecords.publish(RunRecords.event(b.id(), "wf-b", runId, RunEvent.Type.SUCCEEDED, 2, 10L, null, List.of(), List.of(), Instant.now()));
        String marker = UUID.randomUUID().toString();
        RunRecords.publish(RunRecords.event(b.id(), "wf-b", marker, RunEvent.Type.STARTED, 1, null, null, List.of(), List.of(), Instant.now()));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> b.as().get("/api/v1/runs/" + marker).then().statusCode(200));

        b.as().get("/api/v1/runs/" + runId).then().statusCode(404).contentType("application/problem+json");
        assertThat(b.as().get("/api/v1/runs").then().statusCode(200).extract().jsonPath().getList("runs.runId")).containsExactly(marker);
        a.as().get("/api/v1/runs/" + runId).then().statusCode(200).body("run.status", equalTo("FAILED")).body("run.workflowId", equalTo("wf-a"));
        a.as().get("/api/v1/runs").then().body("runs.runId", not(hasItem(marker)));
        // the page: same 404, nothing of A's in B's list
        Map<String, String> bSession = signIn(b);
        given().cookies(bSession).get("/ui/runs/" + runId).then().statusCode(404);
        assertThat(given().cookies(bSession).get("/ui/runs").then().statusCode(200).extract().asString()).doesNotContain(runId);
        assertThat(given().cookies(bSession).get("/ui/runs/list").then().statusCode(200).extract().asString()).doesNotContain(runId);
        given().cookies(signIn(a)).get("/ui/runs/" + runId).then().statusCode(200);
        // signed out: the page sends to sign-in, the rows endpoint answers 401, the API 401
        given().redirects().follow(false).get("/ui/runs").then().statusCode(303);
        given().get("/ui/runs/list").then().statusCode(401);
        given().accept(ContentType.JSON).get("/api/v1/runs").then().statusCode(401);
    }

    @Test
    void deadLettersAreTheWorkspacesOwnAndAReplayPublishesTheRetryTheCliWould() {
        Api.Ws a = Api.newWorkspace();
        Api.Ws b = Api.newWorkspace();
        String runId = UUID.randomUUID().toString();
        String wf = "wf-" + runId.substring(0, 6);
        String key = "order-" + runId.substring(0, 8);
        DeadLetter d = RunRecords.deadLetter(a.id(), wf, runId, key, "TypeError: nope");
        RunRecords.publish(d);
        RunRecords.publish(d); // redelivered
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> a.as().get("/api/v1/dead-letters").then().statusCode(200)
                .body("deadLetters.id", hasItem(runId)));
        var list = a.as().get("/api/v1/dead-letters").then().extract().jsonPath();
        assertThat(list.getList("deadLetters")).hasSize(1);
        assertThat(list.getString("deadLetters[0].reason")).isEqualTo("attempts exhausted (3)");
        assertThat(list.getString("deadLetters[0].attempts[0].message")).isEqualTo("TypeError: nope");
        assertThat(list.getString("deadLetters[0].trigger")).isEqualTo("shopify.orders/1/42");
        assertThat(list.getString("deadLetters[0].replayedAt")).isNull();
        assertThat(a.as().get("/api/v1/dead-letters").then().extract().asString()).doesNotContain("x@example.com");

        // B: not in its list, and its replay is a 404 that publishes nothing
        assertThat(b.as().get("/api/v1/dead-letters").then().statusCode(200).extract().jsonPath().getList("deadLetters")).isEmpty();
        b.as().post("/api/v1/dead-letters/" + runId + "/replay").then().statusCode(404).contentType("application/problem+json");
        Map<String, String> bSession = signIn(b);
        ExtractableResponse<Response> bPage = given().cookies(bSession).get("/ui/dead-letters").then().statusCode(200).extract();
        assertThat(bPage.asString()).doesNotContain(runId);
        given().redirects().follow(false).cookies(bSession).cookies(bPage.cookies()).contentType(ContentType.URLENC)
                .formParam("csrf-token", token(bPage)).post("/ui/dead-letters/" + runId + "/replay").then().statusCode(404);
        assertThat(TopicRecords.forKey(Topics.RUN_RETRY, RetryRecord.key(wf, key))).isEmpty();
        // the page's form without its CSRF token is refused
        Map<String, String> aSession = signIn(a);
        given().redirects().follow(false).cookies(aSession).contentType(ContentType.URLENC).formParam("x", "y")
                .post("/ui/dead-letters/" + runId + "/replay").then().statusCode(400);
        assertThat(TopicRecords.forKey(Topics.RUN_RETRY, RetryRecord.key(wf, key))).isEmpty();

        // A replays through the API
        Instant before = Instant.now();
        var replayed = a.as().post("/api/v1/dead-letters/" + runId + "/replay").then().statusCode(200).extract().jsonPath();
        String newRun = replayed.getString("replayRunId");
        assertThat(newRun).isNotBlank().isNotEqualTo(runId);
        assertThat(replayed.getString("replayedBy")).isEqualTo("API");
        List<ConsumerRecord<String, String>> out = TopicRecords.forKey(Topics.RUN_RETRY, RetryRecord.key(wf, key));
        assertThat(out).hasSize(1);
        RetryRecord r = ContractsJson.read(out.getFirst().value(), RetryRecord.class);
        assertThat(r.runId()).isEqualTo(newRun);
        assertThat(r.workflowId()).isEqualTo(wf);
        assertThat(r.workspaceId()).isEqualTo(a.id());
        assertThat(r.workflowVersion()).isEqualTo(3L);
        assertThat(r.idempotencyKey()).isEqualTo(key);
        assertThat(r.attempt()).isEqualTo(1);
        assertThat(r.notBefore()).isAfterOrEqualTo(before.minusSeconds(1));
        assertThat(r.original()).isEqualTo(d.original());
        assertThat(r.errors()).isEmpty();
        assertThat(TopicRecords.header(out.getFirst(), "ce_type")).isEqualTo(CloudEventTypes.RETRY_RECORD);
        assertThat(TopicRecords.header(out.getFirst(), "ce_source")).isEqualTo("/jsworkflows/connections-service");
        assertThat(TopicRecords.header(out.getFirst(), "ce_specversion")).isEqualTo("1.0");
        a.as().get("/api/v1/dead-letters").then().body("deadLetters[0].replayRunId", equalTo(newRun))
                .body("deadLetters[0].replayedBy", equalTo("API"));
    }

    @Test
    void thePurgeDropsRunsAndDeadLettersPastRetention() {
        Api.Ws a = Api.newWorkspace();
        String old = UUID.randomUUID().toString();
        String fresh = UUID.randomUUID().toString();
        RunRecords.publish(RunRecords.event(a.id(), "wf", old, RunEvent.Type.FAILED, 1, 1L, "e", List.of(), List.of(), Instant.now()));
        RunRecords.publish(RunRecords.event(a.id(), "wf", fresh, RunEvent.Type.SUCCEEDED, 1, 1L, null, List.of(), List.of(), Instant.now()));
        RunRecords.publish(RunRecords.deadLetter(a.id(), "wf", old, "k-old", "e"));
        RunRecords.publish(RunRecords.deadLetter(a.id(), "wf", fresh, "k-fresh", "e"));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            a.as().get("/api/v1/runs").then().body("runs.size()", equalTo(2));
            a.as().get("/api/v1/dead-letters").then().body("deadLetters.size()", equalTo(2));
        });
        // age them past the default retention (7 days for runs, 30 for dead letters)
        QuarkusTransaction.requiringNew().run(() -> {
            em.createNativeQuery("update run set last_event_at = now() - interval '8 days' where run_id = ?1").setParameter(1, old).executeUpdate();
            em.createNativeQuery("update run set last_event_at = now() - interval '6 days' where run_id = ?1").setParameter(1, fresh).executeUpdate();
            em.createNativeQuery("update dead_letter set dead_lettered_at = now() - interval '31 days' where id = ?1").setParameter(1, old).executeUpdate();
            em.createNativeQuery("update dead_letter set dead_lettered_at = now() - interval '29 days' where id = ?1").setParameter(1, fresh).executeUpdate();
        });
        purge.purge();
        assertThat(a.as().get("/api/v1/runs").then().extract().jsonPath().getList("runs.runId")).containsExactly(fresh);
        a.as().get("/api/v1/runs/" + old).then().statusCode(404);
        assertThat(a.as().get("/api/v1/dead-letters").then().extract().jsonPath().getList("deadLetters.id")).containsExactly(fresh);
        long events = QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select count(*) from run_event where run_id = ?1").setParameter(1, old).getSingleResult()).longValue());
        assertThat(events).isZero();
    }

    @Test
    void theWorkflowsPageShowsTheWorkspacesOwnDefinitionsAndForgetsDeletedOnes() {
        Api.Ws a = Api.newWorkspace();
        Api.Ws b = Api.newWorkspace();
        String wf = "wf-" + UUID.randomUUID().toString().substring(0, 8);
        String theirs = "wf-" + UUID.randomUUID().toString().substring(0, 8);
        RunRecords.publish(RunRecords.workflow(a.id(), wf, 2, List.of("crm", "alpha")));
        RunRecords.publish(RunRecords.workflow(a.id(), wf, 1, List.of("stale"))); // an older version arriving late
        RunRecords.publish(RunRecords.workflow(b.id(), theirs, 1, List.of()));
        Map<String, String> aSession = signIn(a);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(given().cookies(aSession).get("/ui/workflows").then()
                .statusCode(200).extract().asString()).contains(wf));
        String page = given().cookies(aSession).get("/ui/workflows").then().extract().asString();
        assertThat(page).contains("alpha crm").doesNotContain("stale").doesNotContain(theirs);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(given().cookies(signIn(b)).get("/ui/workflows").then()
                .extract().asString()).contains(theirs).doesNotContain(wf));

        // ids are per workspace: B's workflow of the same id is another workflow, and A's deletion leaves it alone
        RunRecords.publish(RunRecords.workflow(b.id(), wf, 1, List.of("b-crm")));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(given().cookies(signIn(b)).get("/ui/workflows").then()
                .extract().asString()).contains(wf).contains("b-crm"));
        RunRecords.deleteWorkflow(a.id(), wf);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(given().cookies(aSession).get("/ui/workflows").then()
                .extract().asString()).doesNotContain(wf));
        assertThat(given().cookies(signIn(b)).get("/ui/workflows").then().extract().asString()).contains(wf).contains("b-crm");
    }

    /** Signs in like the page does: GET the form (token and CSRF cookie), POST it; returns the browser's cookies. */
    static Map<String, String> signIn(Api.Ws ws) {
        ExtractableResponse<Response> form = given().get("/ui").then().statusCode(200).extract();
        ExtractableResponse<Response> in = given().redirects().follow(false).cookies(form.cookies()).contentType(ContentType.URLENC)
                .formParams(Map.of("apiKey", ws.apiKey(), "csrf-token", token(form))).post("/ui/login").then().statusCode(303)
                .extract();
        Map<String, String> jar = new java.util.HashMap<>(form.cookies());
        jar.putAll(in.cookies());
        return jar;
    }

    static String token(ExtractableResponse<Response> page) {
        Matcher m = TOKEN.matcher(page.body().asString());
        assertThat(m.find()).as("the page has a CSRF token field").isTrue();
        return m.group(1);
    }
}
