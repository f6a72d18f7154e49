package io.jsworkflows.executor;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.jsworkflows.contracts.PlatformHeaders;
import io.jsworkflows.contracts.Topics;
import io.jsworkflows.contracts.events.DeadLetter;
import io.jsworkflows.contracts.events.RunEvent;
import io.jsworkflows.contracts.json.ContractsJson;
import io.jsworkflows.testsupport.HubSpotApiTestResource;
import io.jsworkflows.testsupport.KafkaTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/**
 * Two workspaces, A and B, on the same executor and the same shared source topic: a record runs only the bindings of
 * the workspace that owns it, a binding names only its workspace's topics, and nothing of A's ever runs or is reported
 * under B's workspace, not even after B takes the id of a workflow A deleted.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(HubSpotApiTestResource.class)
@WithTestResource(PlatformTopicsResource.class)
class TenancyTest {

    static final String KEY_A = "test-key-a";
    static final String KEY_B = "test-key-b";
    static final String WS_A = "ws-a";
    static final String WS_B = "ws-b";
    static final String SHARED = Topics.SHOPIFY_ORDERS;
    /** Declared for ws-a in the test profile (jsw.executor.workspace-topics). */
    static final String A_TOPIC = "orders.tenant-a";
    static final String A_HISTORY = "orders.tenant-a-history";
    static final String A_RETRIES = "orders.tenant-a-retries";
    static final String SHOP = "tenancy.myshopify.com";
    static final String LOG = "export class Workflow { async start(data, headers) { console.log(`order ${data.name}`); } }";

    @BeforeAll
    static void init() {
        Fixtures.init();
        Fixtures.createTopic(SHARED, 3);
        Fixtures.createTopic(A_TOPIC, 1);
        Fixtures.createTopic(A_HISTORY, 1);
        Fixtures.createTopic(A_RETRIES, 1);
        Fixtures.connect("conn-tenancy-a", WS_A, "a-hubspot", 1);
    }

    static ValidatableResponse deploy(String apiKey, String id, String source, String topic, String shopifyTopic, String extraJson) {
        String body = "{\"source\":" + ContractsJson.write(source) + ",\"trigger\":{\"topic\":\"" + topic
                + "\",\"headerMatch\":{\"X-Shopify-Topic\":\"" + shopifyTopic + "\"}}" + (extraJson == null ? "" : "," + extraJson) + "}";
        return given().header("Authorization", "Bearer " + apiKey).contentType("application/json").body(body)
                .put("/api/v1/workflows/" + id).then();
    }

    /** Shopify's headers for a delivery of {@code shopifyTopic}, stamped with {@code workspace} unless it is null. */
    static Map<String, String> headers(String webhookId, String shopifyTopic, String workspace) {
        Map<String, String> h = new LinkedHashMap<>(Fixtures.shopifyHeaders(webhookId));
        h.put("X-Shopify-Topic", shopifyTopic);
        if (workspace != null) {
            h.put(PlatformHeaders.WORKSPACE, workspace);
        }
        return h;
    }

    static String publish(String topic, String shopifyTopic, String workspace, int number) {
        String id = UUID.randomUUID().toString();
        Fixtures.send(topic, SHOP, Fixtures.order(number, "tenancy-" + number + "@example.com"), headers(id, shopifyTopic, workspace));
        return id;
    }

    static List<RunEvent> runs(String workflowId, String key) {
        return Fixtures.runEvents().matching(e -> e.workflowId().equals(workflowId) && key.equals(e.idempotencyKey()));
    }

    static boolean succeeded(String workflowId, String key) {
        return runs(workflowId, key).stream().anyMatch(e -> e.type() == RunEvent.Type.SUCCEEDED);
    }

    /** Sum of a counter's series whose labels contain {@code label} (Prometheus text format); 0 when absent. */
    static double counter(String name, String label) {
        return given().get("/q/metrics").then().statusCode(200).extract().asString().lines()
                .filter(l -> l.startsWith(name + "{") && l.contains(label))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    /** Nothing that came from one of A's records is reported under another workspace. */
    static void nothingOfAsUnderAnotherWorkspace(List<String> keysOfA) {
        assertThat(Fixtures.runEvents().matching(e -> keysOfA.contains(e.idempotencyKey()))).allSatisfy(e -> assertThat(e.workspaceId())
                .isEqualTo(WS_A));
        assertThat(Fixtures.deadLetters().matching(d -> keysOfA.contains(d.idempotencyKey()))).allSatisfy(d -> assertThat(d.workspaceId())
                .isEqualTo(WS_A));
    }

    @Test
    void aRecordOnASharedTopicRunsOnlyTheBindingsOfTheWorkspaceInItsHeader() {
        deploy(KEY_A, "ten-a-orders", LOG, SHARED, "orders/create", null).statusCode(201);
        deploy(KEY_B, "ten-b-orders", LOG, SHARED, "orders/create", null).statusCode(201);
        double missingBefore = counter("jsw_triggers_rejected_total", "reason=\"missing-workspace\"");

        // one key, so one partition and one lane: the three records are handled in this order
        String ofA = publish(SHARED, "orders/create", WS_A, 7001);
        String ofNobody = publish(SHARED, "orders/create", null, 7002);
        String ofB = publish(SHARED, "orders/create", WS_B, 7003);

        await().atMost(Duration.ofSeconds(60)).until(() -> succeeded("ten-a-orders", ofA) && succeeded("ten-b-orders", ofB));
        // B's record came after the other two: B's workflow had its chance at them and took none
        assertThat(runs("ten-b-orders", ofA)).isEmpty();
        assertThat(runs("ten-a-orders", ofB)).isEmpty();
        assertThat(Fixtures.runEvents().matching(e -> ofNobody.equals(e.idempotencyKey()))).isEmpty();
        assertThat(counter("jsw_triggers_rejected_total", "reason=\"missing-workspace\"")).isGreaterThan(missingBefore);
        assertThat(runs("ten-a-orders", ofA)).allSatisfy(e -> assertThat(e.workspaceId()).isEqualTo(WS_A));
        nothingOfAsUnderAnotherWorkspace(List.of(ofA));
    }

    @Test
    void aBindingMayNameOnlyTheSharedTopicsAndItsOwnWorkspacesTopics() {
        deploy(KEY_B, "ten-b-anywhere", LOG, "orders.anything", "orders/create", null).statusCode(400)
                .contentType(containsString("application/problem+json"))
                .body("detail", containsString("shopify.orders")).body("detail", containsString("orders.anything"));
        // A's declared topic is not B's to bind, and B is not told which workspace it belongs to
        deploy(KEY_B, "ten-b-on-a", LOG, A_TOPIC, "orders/create", null).statusCode(400)
                .contentType(containsString("application/problem+json"))
                .body("detail", containsString("shopify.orders")).body("detail", not(containsString(WS_A)));
        given().header("Authorization", "Bearer " + KEY_B).get("/api/v1/workflows/ten-b-on-a").then().statusCode(404);
    }

    @Test
    void onADeclaredWorkspaceTopicTheConfiguredOwnerWinsOverAnyHeader() {
        deploy(KEY_A, "ten-a-declared", LOG, A_TOPIC, "orders/create", null).statusCode(201);
        double mismatchBefore = counter("jsw_triggers_rejected_total", "reason=\"workspace-mismatch\"");
        String claimedByB = publish(A_TOPIC, "orders/create", WS_B, 7101);
        String unstamped = publish(A_TOPIC, "orders/create", null, 7102);
        String stamped = publish(A_TOPIC, "orders/create", WS_A, 7103);

        await().atMost(Duration.ofSeconds(60)).until(() -> succeeded("ten-a-declared", unstamped) && succeeded("ten-a-declared", stamped));
        assertThat(Fixtures.runEvents().matching(e -> claimedByB.equals(e.idempotencyKey()))).isEmpty();
        assertThat(counter("jsw_triggers_rejected_total", "reason=\"workspace-mismatch\"")).isGreaterThan(mismatchBefore);
        nothingOfAsUnderAnotherWorkspace(List.of(unstamped, stamped));
    }

    @Test
    void bsWorkflowNeverSeesAsConnection() {
        String src = """
                export class Workflow {
                  async start(data, headers, api) {
                    const { token, error } = await api.getOAuthToken('a-hubspot');
                    if (error) throw new Error(`No HubSpot token: ${error}`);
                    console.log('got a token');
                  }
                }""";
        deploy(KEY_A, "ten-a-token", src, SHARED, "orders/paid", "\"retryPolicy\":{\"maxAttempts\":1}").statusCode(201);
        deploy(KEY_B, "ten-b-token", src, SHARED, "orders/paid", "\"retryPolicy\":{\"maxAttempts\":1}").statusCode(201);
        String ofA = publish(SHARED, "orders/paid", WS_A, 7201);
        String ofB = publish(SHARED, "orders/paid", WS_B, 7202);

        await().atMost(Duration.ofSeconds(60)).until(() -> succeeded("ten-a-token", ofA)
                && !Fixtures.deadLetters().matching(d -> "ten-b-token".equals(d.workflowId())).isEmpty());
        DeadLetter dl = Fixtures.deadLetters().matching(d -> "ten-b-token".equals(d.workflowId())).getFirst();
        assertThat(dl.idempotencyKey()).isEqualTo(ofB);
        assertThat(dl.workspaceId()).isEqualTo(WS_B);
        assertThat(dl.attempts().getFirst().message()).contains("No connection named 'a-hubspot' exists in this workspace");
        nothingOfAsUnderAnotherWorkspace(List.of(ofA));
    }

    @Test
    void aNewBindingStartsWithNewRecordsUnlessItAsksForAReplay() {
        String before = publish(A_HISTORY, "orders/create", null, 7301);
        deploy(KEY_A, "ten-a-late", LOG, A_HISTORY, "orders/create", null).statusCode(201);
        String after = publish(A_HISTORY, "orders/create", null, 7302);
        await().atMost(Duration.ofSeconds(60)).until(() -> succeeded("ten-a-late", after));
        assertThat(runs("ten-a-late", before)).isEmpty();

        // the group has consumed the topic by now: a replay still reaches the records before the deploy
        deploy(KEY_A, "ten-a-replay", LOG, A_HISTORY, "orders/create", "\"start\":\"earliest\"").statusCode(201);
        await().atMost(Duration.ofSeconds(60)).until(() -> succeeded("ten-a-replay", before) && succeeded("ten-a-replay", after));
        String later = publish(A_HISTORY, "orders/create", null, 7303);
        await().atMost(Duration.ofSeconds(60)).until(() -> succeeded("ten-a-replay", later) && succeeded("ten-a-late", later));
        assertThat(runs("ten-a-late", before)).isEmpty();
    }

    @Test
    void aDeletedWorkflowsPendingRetryNeverRunsUnderTheWorkspaceThatTookItsId() {
        String failing = "export class Workflow { async start() { throw new Error('A is down'); } }";
        deploy(KEY_A, "ten-shared-id", failing, A_RETRIES, "orders/create",
                "\"retryPolicy\":{\"maxAttempts\":3,\"initialBackoff\":\"PT3S\",\"maxBackoff\":\"PT3S\",\"multiplier\":1.0}").statusCode(201);
        String ofA = publish(A_RETRIES, "orders/create", null, 7401);
        await().atMost(Duration.ofSeconds(60)).until(() -> runs("ten-shared-id", ofA).stream()
                .anyMatch(e -> e.type() == RunEvent.Type.RETRY_SCHEDULED));

        given().header("Authorization", "Bearer " + KEY_A).delete("/api/v1/workflows/ten-shared-id").then().statusCode(204);
        double droppedBefore = counter("jsw_runs_retries_dropped_total", "reason=");
        String bsCode = "export class Workflow { async start(data) { console.log(`B ran ${data.name}`); } }";
        deploy(KEY_B, "ten-shared-id", bsCode, SHARED, "orders/create", null).statusCode(201);

        // the retry falls due within seconds: either it is dropped (counted) or B's code ran A's record
        // (ids are per workspace: A's retry looks for A's workflow, which is gone, whatever B deployed under the same id)
        await().atMost(Duration.ofSeconds(60)).until(() -> counter("jsw_runs_retries_dropped_total", "reason=") > droppedBefore
                || runs("ten-shared-id", ofA).stream().anyMatch(e -> WS_B.equals(e.workspaceId())));
        assertThat(runs("ten-shared-id", ofA)).allSatisfy(e -> assertThat(e.workspaceId()).isEqualTo(WS_A));
        nothingOfAsUnderAnotherWorkspace(List.of(ofA));
    }

    /**
     * Workflow ids are per workspace: B deploying an id A uses learns nothing about A (no 409), creates B's own workflow,
     * and each workspace's records run each workspace's own code, although both are version 1 of the same id.
     */
    @Test
    void twoWorkspacesMayUseTheSameWorkflowIdAndEachRunsItsOwnCode() {
        String codeOf = "export class Workflow { async start(data) { console.log(`%s ran ${data.name}`); } }";
        deploy(KEY_A, "ten-same-id", codeOf.formatted("A"), SHARED, "orders/updated", null).statusCode(201).body("version", is(1));
        deploy(KEY_B, "ten-same-id", codeOf.formatted("B"), SHARED, "orders/updated", null).statusCode(201).body("version", is(1))
                .body("workspaceId", is(WS_B));
        given().header("Authorization", "Bearer " + KEY_A).get("/api/v1/workflows/ten-same-id").then().statusCode(200)
                .body("source", is(codeOf.formatted("A")));
        String ofA = publish(SHARED, "orders/updated", WS_A, 7501);
        String ofB = publish(SHARED, "orders/updated", WS_B, 7502);
        await().atMost(Duration.ofSeconds(60)).until(() -> succeeded("ten-same-id", ofA) && succeeded("ten-same-id", ofB));
        assertThat(runs("ten-same-id", ofA)).filteredOn(e -> e.type() == RunEvent.Type.SUCCEEDED).singleElement().satisfies(e -> {
            assertThat(e.workspaceId()).isEqualTo(WS_A);
            assertThat(e.console()).extracting(RunEvent.ConsoleLine::message).containsExactly("A ran #7501");
        });
        assertThat(runs("ten-same-id", ofB)).filteredOn(e -> e.type() == RunEvent.Type.SUCCEEDED).singleElement().satisfies(e -> {
            assertThat(e.workspaceId()).isEqualTo(WS_B);
            assertThat(e.console()).extracting(RunEvent.ConsoleLine::message).containsExactly("B ran #7502");
        });
        // B deleting its workflow leaves A's
        given().header("Authorization", "Bearer " + KEY_B).delete("/api/v1/workflows/ten-same-id").then().statusCode(204);
        given().header("Authorization", "Bearer " + KEY_A).get("/api/v1/workflows/ten-same-id").then().statusCode(200);
        given().header("Authorization", "Bearer " + KEY_A).delete("/api/v1/workflows/ten-same-id").then().statusCode(204);
    }
}
