package io.jsworkflows.executor;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.jsworkflows.contracts.Topics;
import io.jsworkflows.contracts.events.WorkflowDefinition;
import io.jsworkflows.contracts.json.ContractsJson;
import io.jsworkflows.testsupport.HubSpotApiTestResource;
import io.jsworkflows.testsupport.KafkaTestResource;
import io.jsworkflows.testsupport.TopicRecords;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** The deploy API: keys, validation, versions, the definitions topic, workspace isolation, health. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(HubSpotApiTestResource.class)
@WithTestResource(PlatformTopicsResource.class)
class WorkflowApiTest {

    static final String KEY = "test-key-1";
    static final String OTHER_KEY = "test-key-2";

    @BeforeAll
    static void topics() {
        Fixtures.init();
    }

    @Test
    void deployReadListUpdateAndDelete() {
        String src = Fixtures.example("contact-from-order.js");
        Fixtures.deploy(KEY, "api-contact", src, "orders.api", "\"timeout\":\"PT20S\",\"retryPolicy\":{\"maxAttempts\":3}")
                .statusCode(201).body("id", is("api-contact")).body("version", is(1)).body("workspaceId", is("ws-test"))
                .body("handles", hasItem("my-hubspot")).body("retryPolicy.maxAttempts", is(3))
                .body("retryPolicy.initialBackoff", is("PT10S")).body("timeout", is("PT20S"));
        Fixtures.deploy(KEY, "api-contact", src, "orders.api", null).statusCode(200).body("version", is(2));

        given().header("Authorization", "Bearer " + KEY).get("/api/v1/workflows/api-contact").then().statusCode(200)
                .body("source", is(src)).body("trigger.topic", is("orders.api"))
                .body("trigger.headerMatch.X-Shopify-Topic", is("orders/create")).body("managedBy", is("api"));
        given().header("Authorization", "Bearer " + KEY).get("/api/v1/workflows").then().statusCode(200)
                .body("id", hasItem("api-contact")).body("[0].source", nullValue());

        // every replica learns it from the definitions topic
        List<WorkflowDefinition> published = definitions("ws-test/api-contact");
        assertThat(published).extracting(WorkflowDefinition::version).contains(1L, 2L);
        assertThat(published.getLast().source()).isEqualTo(src);

        // another workspace neither sees nor may take it
        given().header("Authorization", "Bearer " + OTHER_KEY).get("/api/v1/workflows/api-contact").then().statusCode(404)
                .contentType("application/problem+json");
        given().header("Authorization", "Bearer " + OTHER_KEY).get("/api/v1/workflows").then().statusCode(200)
                .body("id", not(hasItem("api-contact")));
        // ids are per workspace: the other workspace's deploy of the same id is its own workflow, and tells it nothing of ours
        Fixtures.deploy(OTHER_KEY, "api-contact", "export class Workflow { async start() {} }", "shopify.orders", null).statusCode(201)
                .body("version", is(1));
        given().header("Authorization", "Bearer " + KEY).get("/api/v1/workflows/api-contact").then().statusCode(200)
                .body("version", is(2)).body("source", is(src));
        given().header("Authorization", "Bearer " + OTHER_KEY).delete("/api/v1/workflows/api-contact").then().statusCode(204);

        given().header("Authorization", "Bearer " + KEY).delete("/api/v1/workflows/api-contact").then().statusCode(204);
        given().header("Authorization", "Bearer " + KEY).get("/api/v1/workflows/api-contact").then().statusCode(404);
        await().atMost(Duration.ofSeconds(10)).until(() -> tombstoned("ws-test/api-contact"));
    }

    @Test
    void sourcesThatBreakTheContractAreRejectedWithAReason() {
        Fixtures.deploy(KEY, "bad-syntax", "export class Workflow { async start( {", "orders.api", null).statusCode(422)
                .contentType("application/problem+json").body("status", is(422)).body("detail", containsString("does not compile"));
        Fixtures.deploy(KEY, "no-class", "export const x = 1;", "orders.api", null).statusCode(422)
                .body("detail", containsString("class named Workflow"));
        Fixtures.deploy(KEY, "no-start", "export class Workflow { run() {} }", "orders.api", null).statusCode(422)
                .body("detail", containsString("no start method"));
        Fixtures.deploy(KEY, "platform-topic", "export class Workflow { async start() {} }", "jsw.connections.tokens", null)
                .statusCode(400).body("detail", containsString("platform topic"));
        Fixtures.deploy(KEY, "Bad_Id", "export class Workflow { async start() {} }", "orders.api", null).statusCode(400)
                .body("title", is("Invalid workflow id"));
        Fixtures.deploy(KEY, "bad-policy", "export class Workflow { async start() {} }", "orders.api", "\"retryPolicy\":{\"maxAttempts\":0}")
                .statusCode(400).body("detail", containsString("maxAttempts must be at least 1"));
        Fixtures.deploy(KEY, "bad-timeout", "export class Workflow { async start() {} }", "orders.api", "\"timeout\":\"forever\"")
                .statusCode(400).body("detail", containsString("ISO-8601"));
        given().header("Authorization", "Bearer " + KEY).contentType("application/json").body("{\"source\":\"x\"}")
                .put("/api/v1/workflows/no-trigger").then().statusCode(400).body("detail", containsString("'trigger' is required"));
    }

    @Test
    void aFieldTheDeployDoesNotKnowIsRefusedNotIgnored() {
        // "match" instead of "headerMatch" once bound a workflow to every record of its topic without a word
        String src = "export class Workflow { async start() {} }";
        given().header("Authorization", "Bearer " + KEY).contentType("application/json")
                .body("{\"source\":\"" + src + "\",\"trigger\":{\"topic\":\"orders.api\",\"match\":{\"X-Kind\":\"a\"}}}")
                .put("/api/v1/workflows/misspelt-match").then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("'trigger.match'")).body("detail", containsString("headerMatch"));
        given().header("Authorization", "Bearer " + KEY).contentType("application/json")
                .body("{\"source\":\"" + src + "\",\"trigger\":{\"topic\":\"orders.api\"},\"retrypolicy\":{\"maxAttempts\":1}}")
                .put("/api/v1/workflows/misspelt-policy").then().statusCode(400).body("detail", containsString("'retrypolicy'"));
        given().header("Authorization", "Bearer " + KEY).get("/api/v1/workflows/misspelt-match").then().statusCode(404);
    }

    @Test
    void retryPoliciesAreBounded() {
        String src = "export class Workflow { async start() {} }";
        // two billion attempts without a pause would loop one failing record through jsw.runs.retry forever
        Fixtures.deploy(KEY, "policy-endless", src, "orders.api",
                "\"retryPolicy\":{\"maxAttempts\":2147483647,\"initialBackoff\":\"PT0S\",\"maxBackoff\":\"PT0S\"}").statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("maxAttempts"))
                .body("detail", containsString("at most 10"));
        Fixtures.deploy(KEY, "policy-no-pause", src, "orders.api",
                "\"retryPolicy\":{\"maxAttempts\":3,\"initialBackoff\":\"PT0S\",\"maxBackoff\":\"PT1S\"}").statusCode(400)
                .body("detail", containsString("initialBackoff")).body("detail", containsString("at least PT0.1S"));
        Fixtures.deploy(KEY, "policy-a-year", src, "orders.api",
                "\"retryPolicy\":{\"maxAttempts\":3,\"initialBackoff\":\"PT1S\",\"maxBackoff\":\"P365D\"}").statusCode(400)
                .body("detail", containsString("maxBackoff")).body("detail", containsString("at most PT1H"));
        Fixtures.deploy(KEY, "policy-fine", src, "orders.api",
                "\"retryPolicy\":{\"maxAttempts\":10,\"initialBackoff\":\"PT1S\",\"maxBackoff\":\"PT1H\"}").statusCode(201);
    }

    @Test
    void workflowsFromTheDefinitionsDirectoryAreLoadedAndReadOnly() {
        given().header("Authorization", "Bearer test-key-dir").get("/api/v1/workflows").then().statusCode(200)
                .body("id", hasItem("contact-from-order")).body("id", hasItem("deal-from-order"));
        given().header("Authorization", "Bearer test-key-dir").get("/api/v1/workflows/deal-from-order").then().statusCode(200)
                .body("managedBy", is("directory")).body("trigger.topic", is("shopify.orders"))
                .body("trigger.headerMatch.X-Shopify-Topic", is("orders/create")).body("retryPolicy.maxAttempts", is(5))
                .body("source", is(Fixtures.example("deal-from-order.js")));
        Fixtures.deploy("test-key-dir", "deal-from-order", "export class Workflow { async start() {} }", "shopify.orders", null)
                .statusCode(409).body("detail", containsString("definitions directory"));
        given().header("Authorization", "Bearer test-key-dir").delete("/api/v1/workflows/deal-from-order").then().statusCode(409);
    }

    @Test
    void apiKeysAreRequired() {
        given().get("/api/v1/workflows").then().statusCode(401).contentType("application/problem+json")
                .body("title", is("Missing API key"));
        given().header("Authorization", "Bearer wrong").get("/api/v1/workflows").then().statusCode(401)
                .body("title", is("Invalid API key")).body("detail", not(containsString("wrong")));
    }

    @Test
    void readyWhenTheViewsCaughtUp() {
        given().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'workflow-executor' }.data.tokensCaughtUp", is(true))
                .body("checks.find { it.name == 'workflow-executor' }.data.definitionsCaughtUp", is(true))
                .body("checks.find { it.name == 'workflow-executor' }.data.runStartsCaughtUp", is(true))
                .body("checks.find { it.name == 'workflow-executor' }.data.kafkaReachable", is(true)));
    }

    static List<ConsumerRecord<String, String>> records() {
        return TopicRecords.now(Topics.WORKFLOW_DEFINITIONS);
    }

    /** The definitions published under {@code key} (workspaceId/workflowId). */
    static List<WorkflowDefinition> definitions(String id) {
        return records().stream().filter(r -> id.equals(r.key()) && r.value() != null)
                .map(r -> ContractsJson.read(r.value(), WorkflowDefinition.class)).toList();
    }

    static boolean tombstoned(String id) {
        List<ConsumerRecord<String, String>> rs = records().stream().filter(r -> id.equals(r.key())).toList();
        return !rs.isEmpty() && rs.getLast().value() == null;
    }
}
