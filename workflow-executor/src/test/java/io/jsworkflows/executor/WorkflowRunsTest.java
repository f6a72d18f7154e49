package io.jsworkflows.executor;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.jsworkflows.contracts.events.AttemptError;
import io.jsworkflows.contracts.events.ConnectionStatus;
import io.jsworkflows.contracts.events.DeadLetter;
import io.jsworkflows.contracts.events.RefreshRequest;
import io.jsworkflows.contracts.events.RunEvent;
import io.jsworkflows.executor.service.CrashGuard;
import io.jsworkflows.executor.service.RunStart;
import io.jsworkflows.testsupport.HubSpotEmulator;
import io.jsworkflows.testsupport.HubSpotApiTestResource;
import io.jsworkflows.testsupport.KafkaTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Workflows as users write them, from Shopify order records to records at the HubSpot emulator, and their failures. */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(HubSpotApiTestResource.class)
@WithTestResource(PlatformTopicsResource.class)
class WorkflowRunsTest {

    @jakarta.inject.Inject
    CrashGuard crashGuard;

    static final String KEY = "test-key-1";
    static final String WS = "ws-test";
    static final String FAST_RETRIES = "\"retryPolicy\":{\"maxAttempts\":3,\"initialBackoff\":\"PT0.2S\",\"maxBackoff\":\"PT1S\",\"multiplier\":2.0}";
    static final String NO_RETRIES = "\"retryPolicy\":{\"maxAttempts\":1}";

    @BeforeAll
    static void connect() {
        Fixtures.init();
        Fixtures.connect("conn-main", WS, "my-hubspot", 1);
        // a connection of another workspace: never visible to ws-test's workflows
        Fixtures.connect("conn-other", "ws-other", "other-hubspot", 1);
    }

    static List<RunEvent> events(String workflowId, RunEvent.Type type) {
        return Fixtures.runEvents().matching(e -> e.workflowId().equals(workflowId) && e.type() == type);
    }

    static DeadLetter deadLetter(String workflowId) {
        await().atMost(Duration.ofSeconds(60)).until(() -> !Fixtures.deadLetters().matching(d -> workflowId.equals(d.workflowId())).isEmpty());
        return Fixtures.deadLetters().matching(d -> workflowId.equals(d.workflowId())).getFirst();
    }

    static JsonNode onlyObject(String type, String property, String value) {
        var found = Fixtures.emulator().searchObjects(type, property, value);
        return found.size() == 1 ? found.get(0).path("object") : null;
    }

    @Test
    void contactAndDealFromAShopifyOrderWithTheExamplesUnmodified() {
        Fixtures.createTopic("orders.examples", 3);
        Fixtures.deploy(KEY, "contact-example", Fixtures.example("contact-from-order.js"), "orders.examples", null).statusCode(201);
        Fixtures.deploy(KEY, "deal-example", Fixtures.example("deal-from-order.js"), "orders.examples", null).statusCode(201);
        String webhookId = UUID.randomUUID().toString();
        Fixtures.send("orders.examples", "jsw-demo.myshopify.com", Fixtures.order(4242, "grace.hopper@example.com"),
                Fixtures.shopifyHeaders(webhookId));
        // a record for another Shopify topic matches neither binding
        Fixtures.send("orders.examples", "jsw-demo.myshopify.com", Fixtures.order(4243, "not.bound@example.com"),
                Map.of("X-Shopify-Topic", "orders/updated"));

        await().atMost(Duration.ofSeconds(60)).until(() -> onlyObject("contacts", "email", "grace.hopper@example.com") != null
                && onlyObject("deals", "dealname", "Order #4242") != null);
        JsonNode contact = onlyObject("contacts", "email", "grace.hopper@example.com").path("properties");
        assertThat(contact.path("firstname").asText()).isEqualTo("Ada");
        assertThat(contact.path("lastname").asText()).isEqualTo("Lovelace");
        JsonNode deal = onlyObject("deals", "dealname", "Order #4242").path("properties");
        assertThat(deal.path("amount").asText()).isEqualTo("149.97");
        assertThat(deal.path("pipeline").asText()).isEqualTo("default");
        assertThat(deal.path("dealstage").asText()).isEqualTo("closedwon");

        await().atMost(Duration.ofSeconds(20)).until(() -> events("contact-example", RunEvent.Type.SUCCEEDED).size() == 1
                && events("deal-example", RunEvent.Type.SUCCEEDED).size() == 1);
        RunEvent ok = events("contact-example", RunEvent.Type.SUCCEEDED).getFirst();
        assertThat(ok.idempotencyKey()).isEqualTo(webhookId);
        assertThat(ok.attempt()).isEqualTo(1);
        assertThat(ok.workflowVersion()).isEqualTo(1);
        assertThat(ok.httpCalls()).singleElement().satisfies(c -> {
            assertThat(c.method()).isEqualTo("POST");
            assertThat(c.host()).isEqualTo("api.hubapi.com");
            assertThat(c.path()).isEqualTo("/crm/v3/objects/contacts");
            assertThat(c.status()).isEqualTo(201);
        });
        assertThat(ok.console()).extracting(RunEvent.ConsoleLine::message).singleElement().asString()
                .startsWith("Created contact ").endsWith("for grace.hopper@example.com (order #4242)");
        // run events never carry tokens or bodies
        assertThat(Fixtures.runEvents().raw()).noneMatch(r -> r.contains("Bearer") || r.contains("\"properties\""));

        // Shopify redelivers the same webhook: dropped as a duplicate
        Fixtures.send("orders.examples", "jsw-demo.myshopify.com", Fixtures.order(4242, "grace.hopper@example.com"),
                Fixtures.shopifyHeaders(webhookId));
        Fixtures.publishOrder("orders.examples", 4244, "katherine.johnson@example.com");
        await().atMost(Duration.ofSeconds(30)).until(() -> onlyObject("contacts", "email", "katherine.johnson@example.com") != null);
        await().atMost(Duration.ofSeconds(10)).until(() -> events("contact-example", RunEvent.Type.SUCCEEDED).size() == 2);
        assertThat(events("contact-example", RunEvent.Type.STARTED)).hasSize(2);
        assertThat(events("contact-example", RunEvent.Type.FAILED)).isEmpty();
        io.restassured.RestAssured.given().get("/q/metrics").then().statusCode(200)
                .body(org.hamcrest.Matchers.containsString("jsw_runs_total{outcome=\"succeeded\""))
                .body(org.hamcrest.Matchers.containsString("jsw_token_lookup_seconds"))
                .body(org.hamcrest.Matchers.containsString("jsw_hubspot_budget_wait_seconds"));
    }

    @Test
    void closedWonLabelIsRetriedPerPolicyAndDeadLetteredWithHubSpotsMessage() {
        Fixtures.createTopic("orders.closedwon", 1);
        String src = Fixtures.example("deal-from-order.js").replace("dealstage: 'closedwon'", "dealstage: 'Closed Won'");
        assertThat(src).contains("'Closed Won'");
        Fixtures.deploy(KEY, "deal-closed-won-label", src, "orders.closedwon", FAST_RETRIES).statusCode(201);
        String webhookId = UUID.randomUUID().toString();
        String order = Fixtures.order(5001, "label@example.com");
        Fixtures.send("orders.closedwon", "jsw-demo.myshopify.com", order, Fixtures.shopifyHeaders(webhookId));

        DeadLetter dl = deadLetter("deal-closed-won-label");
        assertThat(dl.attempts()).hasSize(3);
        assertThat(dl.attempts()).extracting(AttemptError::attempt).containsExactly(1, 2, 3);
        assertThat(dl.attempts()).allSatisfy(a -> {
            assertThat(a.category()).isEqualTo("THROWN");
            assertThat(a.message()).startsWith("HubSpot answered 400: ").contains("INVALID_OPTION").contains("Closed Won");
        });
        assertThat(dl.original().value()).isEqualTo(order);
        assertThat(dl.original().headers()).containsEntry("X-Shopify-Webhook-Id", webhookId).containsEntry("X-Shopify-Topic", "orders/create");
        assertThat(dl.workflowVersion()).isEqualTo(1L);
        assertThat(dl.workspaceId()).isEqualTo(WS);
        assertThat(dl.idempotencyKey()).isEqualTo(webhookId);
        assertThat(dl.reason()).contains("failed 3 of 3 attempts");
        await().atMost(Duration.ofSeconds(10)).until(() -> events("deal-closed-won-label", RunEvent.Type.DEAD_LETTERED).size() == 1);
        assertThat(events("deal-closed-won-label", RunEvent.Type.RETRY_SCHEDULED)).hasSize(2);
        assertThat(Fixtures.emulator().searchObjects("deals", "dealname", "Order #5001")).isEmpty();
    }

    @Test
    void tokenErrorsReachTheWorkflowAsSentences() {
        Fixtures.createTopic("orders.tokens", 1);
        String src = """
                export class Workflow {
                  async start(data, headers, api) {
                    const { token, error } = await api.getOAuthToken(data.handle);
                    if (error) throw new Error(`No HubSpot token: ${error}`);
                    console.log('got a token');
                  }
                }""";
        Fixtures.deploy(KEY, "token-errors", src, "orders.tokens", NO_RETRIES).statusCode(201);
        for (String h : List.of("nope", "other-hubspot", "Not A Handle")) {
            Fixtures.send("orders.tokens", h, "{\"handle\":\"" + h + "\"}", Fixtures.shopifyHeaders(UUID.randomUUID().toString()));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> Fixtures.deadLetters().matching(d -> "token-errors".equals(d.workflowId())).size() == 3);
        List<String> errors = Fixtures.deadLetters().matching(d -> "token-errors".equals(d.workflowId())).stream()
                .map(d -> d.attempts().getFirst().message()).toList();
        assertThat(errors).contains(
                "No HubSpot token: No connection named 'nope' exists in this workspace. Create it (POST /api/v1/connections) or fix the handle in the workflow.",
                // another workspace's connection is indistinguishable from a missing one
                "No HubSpot token: No connection named 'other-hubspot' exists in this workspace. Create it (POST /api/v1/connections) or fix the handle in the workflow.");
        assertThat(errors).anyMatch(e -> e.contains("'Not A Handle' is not allowed"));
    }

    @Test
    void runsOfAConnectionThatNeedsReauthorizationParkAndResumeWithTheNewGrant() {
        Fixtures.createTopic("orders.reauth", 1);
        Fixtures.publishToken("conn-stale", WS, "stale-hubspot", HubSpotEmulator.PORTAL_ID, ConnectionStatus.NEEDS_REAUTH, null,
                Instant.now().minusSeconds(60), 7, 1);
        String src = Fixtures.example("contact-from-order.js").replace("'my-hubspot'", "'stale-hubspot'");
        Fixtures.deploy(KEY, "contact-stale", src, "orders.reauth", NO_RETRIES).statusCode(201);
        Fixtures.publishOrder("orders.reauth", 6001, "parked@example.com");

        await().atMost(Duration.ofSeconds(30)).until(() -> !events("contact-stale", RunEvent.Type.PARKED).isEmpty());
        assertThat(events("contact-stale", RunEvent.Type.PARKED).getFirst().error()).contains("needs re-authorization");
        assertThat(Fixtures.deadLetters().matching(d -> "contact-stale".equals(d.workflowId()))).isEmpty();

        // the user reconnects: a newer grant's token arrives and the parked run resumes, within its single attempt
        HubSpotEmulator.Tokens t = Fixtures.emulator().issueTokens(HubSpotEmulator.PORTAL_ID, Fixtures.SCOPES);
        Fixtures.publishToken("conn-stale", WS, "stale-hubspot", t.hubId(), ConnectionStatus.ACTIVE, t.accessToken(),
                Instant.now().plusSeconds(t.expiresIn()), 1, 2);
        await().atMost(Duration.ofSeconds(30)).until(() -> onlyObject("contacts", "email", "parked@example.com") != null);
        await().atMost(Duration.ofSeconds(10)).until(() -> events("contact-stale", RunEvent.Type.SUCCEEDED).size() == 1);
        assertThat(events("contact-stale", RunEvent.Type.SUCCEEDED).getFirst().attempt()).isEqualTo(1);
    }

    @Test
    void sandboxKeepsJavaNodeAndTheInternalNetworkOutOfReach() {
        Fixtures.createTopic("orders.sandbox", 1);
        String src = """
                export class Workflow {
                  async start(data, headers, api) {
                    console.log([typeof Java, typeof require, typeof process, typeof Polyglot].join(','));
                    for (const probe of [() => Java.type('java.lang.Runtime'), () => require('child_process'), () => process.exit(1)]) {
                      try { probe(); console.log('reached'); } catch (e) { console.log(e.name); }
                    }
                    for (const url of ['http://127.0.0.1:8083/q/health', 'http://169.254.169.254/latest/meta-data/', 'http://10.0.0.1/']) {
                      try { await fetch(url); console.log('fetched ' + url); } catch (e) { console.log(e.message); }
                    }
                  }
                }""";
        Fixtures.deploy(KEY, "sandbox-probe", src, "orders.sandbox", NO_RETRIES).statusCode(201);
        Fixtures.publishOrder("orders.sandbox", 7001, "sandbox@example.com");
        await().atMost(Duration.ofSeconds(30)).until(() -> events("sandbox-probe", RunEvent.Type.SUCCEEDED).size() == 1);
        RunEvent e = events("sandbox-probe", RunEvent.Type.SUCCEEDED).getFirst();
        assertThat(e.console()).extracting(RunEvent.ConsoleLine::message).containsExactly(
                "undefined,undefined,undefined,undefined",
                "ReferenceError", "ReferenceError", "ReferenceError",
                "fetch failed: requests to 127.0.0.1 are refused: it is a loopback address, which workflows may not reach (an operator can allow it with jsw.executor.egress.allow)",
                "fetch failed: requests to 169.254.169.254 are refused: it is a link-local (metadata) address, which workflows may not reach (an operator can allow it with jsw.executor.egress.allow)",
                "fetch failed: requests to 10.0.0.1 are refused: it is a private address, which workflows may not reach (an operator can allow it with jsw.executor.egress.allow)");
        assertThat(e.httpCalls()).isEmpty();
    }

    /**
     * A connection granted without {@code crm.objects.deals.write}: creating a deal fails before the request is sent, with
     * an error that names the connection, the scope and the row to tick; where the platform believes the scope granted
     * but HubSpot does not, HubSpot's 403 MISSING_SCOPES is translated into the same kind of error.
     */
    @Test
    void aCallTheConnectionsScopesDoNotCoverSaysWhatToGrant() {
        List<String> noDealWrites = List.of("oauth", "crm.objects.contacts.read", "crm.objects.contacts.write", "crm.objects.deals.read");
        Fixtures.connectWithScopes("conn-scoped-a", WS, "scoped-a", noDealWrites, noDealWrites);
        Fixtures.connectWithScopes("conn-scoped-b", WS, "scoped-b", noDealWrites, Fixtures.SCOPES);
        Fixtures.createTopic("orders.scopes", 1);
        String src = """
                export class Workflow {
                  async start(data, headers, api) {
                    const { token, error } = await api.getOAuthToken(data.handle);
                    if (error) throw new Error(error);
                    try {
                      const r = await fetch('https://api.hubapi.com/crm/v3/objects/deals', { method: 'POST',
                        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
                        body: JSON.stringify({ properties: { dealname: 'From order' } }) });
                      console.log('status ' + r.status);
                    } catch (e) { console.log(e.message); }
                  }
                }""";
        // at deploy, a literal handle's connection is checked against the calls visible in the source
        String literal = src.replace("data.handle", "'scoped-a'");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> Fixtures.deploy(KEY, "scope-warned", literal, "orders.scopes", NO_RETRIES)
                .statusCode(org.hamcrest.Matchers.oneOf(200, 201))
                .body("warnings", org.hamcrest.Matchers.contains("The HubSpot connection 'scoped-a' lacks the scope crm.objects.deals.write,"
                        + " which the POST to /crm/v3/objects/deals on line 6 needs; reconnect it with \"Deals: Create/update/delete\" ticked.")));
        given().header("Authorization", "Bearer " + KEY).delete("/api/v1/workflows/scope-warned").then().statusCode(204);
        Fixtures.deploy(KEY, "scope-probe", src, "orders.scopes", NO_RETRIES).statusCode(201).body("warnings", org.hamcrest.Matchers.nullValue());
        Fixtures.send("orders.scopes", "a", "{\"handle\":\"scoped-a\"}", Fixtures.shopifyHeaders(UUID.randomUUID().toString()));
        Fixtures.send("orders.scopes", "b", "{\"handle\":\"scoped-b\"}", Fixtures.shopifyHeaders(UUID.randomUUID().toString()));
        await().atMost(Duration.ofSeconds(60)).until(() -> events("scope-probe", RunEvent.Type.SUCCEEDED).size() == 2);
        List<RunEvent> runs = events("scope-probe", RunEvent.Type.SUCCEEDED);
        RunEvent before = runs.stream().filter(e -> e.httpCalls().isEmpty()).findFirst().orElseThrow();
        assertThat(before.console()).extracting(RunEvent.ConsoleLine::message).containsExactly(
                "fetch failed: the HubSpot connection 'scoped-a' lacks the scope crm.objects.deals.write (a POST to /crm/v3/objects/deals"
                        + " needs it); reconnect it with \"Deals: Create/update/delete\" ticked");
        RunEvent refused = runs.stream().filter(e -> !e.httpCalls().isEmpty()).findFirst().orElseThrow();
        assertThat(refused.httpCalls()).extracting(RunEvent.HttpCall::status).containsExactly(403);
        assertThat(refused.console()).extracting(RunEvent.ConsoleLine::message).singleElement().satisfies(m -> assertThat(m)
                .startsWith("fetch failed: the HubSpot connection 'scoped-b' lacks")
                .contains("crm.objects.deals.write", "HubSpot refused the call (403 MISSING_SCOPES)", "\"Deals: Create/update/delete\" ticked"));
    }

    /**
     * DNS rebinding: the name resolves to a public address when the egress guard checks it and to 127.0.0.1 afterwards.
     * The request must go to the address that was checked (here an unroutable documentation address, so it fails), never
     * to a second lookup's answer: the loopback server must see no request.
     */
    @Test
    void aNameThatRebindsToLoopbackAfterTheCheckIsNeverConnectedToLoopback() throws Exception {
        java.util.concurrent.atomic.AtomicInteger hits = new java.util.concurrent.atomic.AtomicInteger();
        com.sun.net.httpserver.HttpServer inside = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 8);
        inside.createContext("/", x -> {
            hits.incrementAndGet();
            x.sendResponseHeaders(200, -1);
            x.close();
        });
        inside.start();
        try {
            Fixtures.createTopic("orders.rebind", 1);
            String url = "http://" + UUID.randomUUID() + RebindingResolverProvider.DOMAIN + ":" + inside.getAddress().getPort() + "/internal";
            String src = """
                    export class Workflow {
                      async start(data) {
                        try { const r = await fetch(data.url); console.log('status ' + r.status); } catch (e) { console.log(e.message); }
                      }
                    }""";
            Fixtures.deploy(KEY, "rebind-probe", src, "orders.rebind", NO_RETRIES).statusCode(201);
            Fixtures.send("orders.rebind", "k", "{\"url\":\"" + url + "\"}", Fixtures.shopifyHeaders(UUID.randomUUID().toString()));
            await().atMost(Duration.ofSeconds(60)).until(() -> events("rebind-probe", RunEvent.Type.SUCCEEDED).size() == 1);
            RunEvent e = events("rebind-probe", RunEvent.Type.SUCCEEDED).getFirst();
            assertThat(e.console()).extracting(RunEvent.ConsoleLine::message).singleElement()
                    .satisfies(m -> assertThat(m).startsWith("fetch failed:"));
            assertThat(hits).hasValue(0);
        } finally {
            inside.stop(0);
        }
    }

    @Test
    void theEmulatorsOperatorApiIsNeverReachableFromAWorkflow() {
        Fixtures.createTopic("orders.operator", 1);
        String emulator = io.jsworkflows.testsupport.HubSpotEmulatorTestResource.baseUrl().replaceAll("/$", "");
        String src = """
                export class Workflow {
                  async start(data, headers, api) {
                    for (const url of data.urls) {
                      try { const r = await fetch(url); console.log('status ' + r.status); } catch (e) { console.log(e.message); }
                    }
                  }
                }""";
        Fixtures.deploy(KEY, "operator-probe", src, "orders.operator", NO_RETRIES).statusCode(201);
        List<String> urls = List.of("https://api.hubapi.com/_emulator/state", "https://api.hubapi.com/%5Femulator/state",
                "https://api.hubapi.com/crm/v3/../../_EMULATOR/state", "https://api.hubapi.com//_emulator/state", emulator + "/_emulator/state");
        Fixtures.send("orders.operator", "k", "{\"urls\":" + io.jsworkflows.contracts.json.ContractsJson.write(urls) + "}",
                Fixtures.shopifyHeaders(UUID.randomUUID().toString()));
        await().atMost(Duration.ofSeconds(30)).until(() -> events("operator-probe", RunEvent.Type.SUCCEEDED).size() == 1);
        RunEvent e = events("operator-probe", RunEvent.Type.SUCCEEDED).getFirst();
        assertThat(e.console()).extracting(RunEvent.ConsoleLine::message).hasSize(urls.size())
                .allSatisfy(m -> assertThat(m).isEqualTo("fetch failed: requests to the emulator's operator API (/_emulator) are refused"));
        assertThat(e.httpCalls()).isEmpty();
    }

    @Test
    void infiniteLoopIsCancelledAtTheDeadline() {
        Fixtures.createTopic("orders.loop", 1);
        Fixtures.deploy(KEY, "endless", "export class Workflow { async start() { while (true) {} } }", "orders.loop",
                "\"timeout\":\"PT2S\"," + NO_RETRIES).statusCode(201);
        Fixtures.publishOrder("orders.loop", 8001, "loop@example.com");
        DeadLetter dl = deadLetter("endless");
        assertThat(dl.attempts()).singleElement().satisfies(a -> {
            assertThat(a.category()).isEqualTo("TIMEOUT");
            assertThat(a.message()).isEqualTo("the run did not finish within its deadline of 2 s and was cancelled");
            assertThat(a.transientFailure()).isTrue();
        });
        RunEvent failed = events("endless", RunEvent.Type.FAILED).getFirst();
        assertThat(failed.durationMillis()).isBetween(1_900L, 10_000L);
    }

    @Test
    void malformedRecordGoesToTheDeadLetterTopicAtOnceAndThePartitionMovesOn() {
        Fixtures.createTopic("orders.malformed", 1);
        Fixtures.deploy(KEY, "contact-malformed", Fixtures.example("contact-from-order.js"), "orders.malformed", null).statusCode(201);
        String webhookId = UUID.randomUUID().toString();
        Fixtures.send("orders.malformed", "jsw-demo.myshopify.com", "{\"id\": 1, \"name\": \"#9001\", oops", Fixtures.shopifyHeaders(webhookId));
        Fixtures.publishOrder("orders.malformed", 9002, "after.malformed@example.com");

        DeadLetter dl = deadLetter("contact-malformed");
        assertThat(dl.attempts()).singleElement().satisfies(a -> {
            assertThat(a.category()).isEqualTo("MALFORMED_RECORD");
            assertThat(a.message()).startsWith("the record value is not JSON");
        });
        assertThat(dl.original().value()).isEqualTo("{\"id\": 1, \"name\": \"#9001\", oops");
        assertThat(dl.idempotencyKey()).isEqualTo(webhookId);
        await().atMost(Duration.ofSeconds(30)).until(() -> onlyObject("contacts", "email", "after.malformed@example.com") != null);
        assertThat(events("contact-malformed", RunEvent.Type.STARTED)).hasSize(1);
    }

    @Test
    void aRecordWhoseDeadLetterWouldBeTooLargeForKafkaIsDeadLetteredWithoutItsValue() {
        Fixtures.createTopic("orders.escaped", 1);
        Fixtures.deploy(KEY, "contact-escaped", Fixtures.example("contact-from-order.js"), "orders.escaped", null).statusCode(201);
        // 200,000 control characters: a small record, but escaped into JSON (\u0001) its dead letter would pass 1 MiB
        String value = "\u0001".repeat(200_000);
        Fixtures.send("orders.escaped", "jsw-demo.myshopify.com", value, Fixtures.shopifyHeaders(UUID.randomUUID().toString()));
        Fixtures.publishOrder("orders.escaped", 9102, "after.escaped@example.com");

        DeadLetter dl = deadLetter("contact-escaped");
        assertThat(dl.reason()).startsWith("the record value is not JSON").contains("too large to carry in a dead letter")
                .contains("orders.escaped/0/");
        assertThat(dl.original().value()).isNull();
        assertThat(dl.original().topic()).isEqualTo("orders.escaped");
        // the partition moved on: the order published after it ran
        await().atMost(Duration.ofSeconds(30)).until(() -> onlyObject("contacts", "email", "after.escaped@example.com") != null);
    }

    @Test
    void aRunDuringWhichExecutorsKeptStoppingIsDeadLetteredWithoutRunningAgain() {
        Fixtures.createTopic("orders.poison", 1);
        Fixtures.deploy(KEY, "contact-poison", Fixtures.example("contact-from-order.js"), "orders.poison", null).statusCode(201);
        String poison = UUID.randomUUID().toString();
        String survivor = UUID.randomUUID().toString();
        // two executors already died running the first delivery (crashes=1 is the second one's record); the second
        // delivery's executor died once
        publishStart("contact-poison", poison, 1, 1);
        publishStart("contact-poison", survivor, 1, 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> crashGuard.unfinished("contact-poison", survivor).isPresent());
        Fixtures.send("orders.poison", "jsw-demo.myshopify.com", Fixtures.order(9101, "poison@example.com"), Fixtures.shopifyHeaders(poison));
        Fixtures.send("orders.poison", "jsw-demo.myshopify.com", Fixtures.order(9102, "survivor@example.com"), Fixtures.shopifyHeaders(survivor));

        DeadLetter dl = deadLetter("contact-poison");
        assertThat(dl.idempotencyKey()).isEqualTo(poison);
        assertThat(dl.reason()).startsWith("the executor stopped while this run was in progress (possible runaway memory or CPU)");
        assertThat(dl.attempts()).extracting(AttemptError::category).containsExactly("CRASH");
        await().atMost(Duration.ofSeconds(30)).until(() -> onlyObject("contacts", "email", "survivor@example.com") != null);
        assertThat(Fixtures.emulator().searchObjects("contacts", "email", "poison@example.com")).isEmpty();
        assertThat(events("contact-poison", RunEvent.Type.STARTED)).extracting(RunEvent::idempotencyKey).containsExactly(survivor);
        assertThat(events("contact-poison", RunEvent.Type.DEAD_LETTERED)).singleElement()
                .satisfies(e -> assertThat(e.error()).contains("possible runaway memory or CPU"));
        await().atMost(Duration.ofSeconds(10)).until(() -> crashGuard.unfinished("contact-poison", survivor).isEmpty());
    }

    static void publishStart(String workflowId, String key, int attempt, int crashes) {
        Fixtures.send(RunStart.TOPIC, workflowId + ":" + key, io.jsworkflows.contracts.json.ContractsJson.write(new RunStart(
                RunStart.SCHEMA_VERSION, UUID.randomUUID().toString(), workflowId, key, attempt, crashes, "dead-replica", Instant.now())),
                Map.of());
    }

    @Test
    void runEventsNeverCarryATokenFromARequestPathOrAQueryString() {
        Fixtures.createTopic("orders.redact", 1);
        HubSpotEmulator.Tokens t = Fixtures.connect("conn-redact", WS, "redact-hubspot", 1);
        String src = """
                export class Workflow {
                  async start(data, headers, api) {
                    const { token } = await api.getOAuthToken('redact-hubspot');
                    const meta = await fetch(`https://api.hubapi.com/oauth/v1/access-tokens/${token}`);
                    const list = await fetch('https://api.hubapi.com/crm/v3/objects/contacts?limit=1&hapikey=query-secret-4711', {
                        headers: { Authorization: `Bearer ${token}` } });
                    console.log(`token metadata ${meta.status}, contacts ${list.status}`);
                  }
                }""";
        Fixtures.deploy(KEY, "token-in-path", src, "orders.redact", NO_RETRIES).statusCode(201);
        Fixtures.publishOrder("orders.redact", 4711, "redact@example.com");

        await().atMost(Duration.ofSeconds(60)).until(() -> events("token-in-path", RunEvent.Type.SUCCEEDED).size() == 1);
        RunEvent ok = events("token-in-path", RunEvent.Type.SUCCEEDED).getFirst();
        assertThat(ok.console()).singleElement().satisfies(l -> assertThat(l.message()).startsWith("token metadata 200"));
        assertThat(ok.httpCalls()).extracting(RunEvent.HttpCall::path)
                .containsExactly("/oauth/v1/access-tokens/{redacted}", "/crm/v3/objects/contacts");
        assertThat(Fixtures.runEvents().raw()).noneMatch(r -> r.contains(t.accessToken()) || r.contains("query-secret-4711"));
    }

    @Test
    void aHubSpot401IsHealedByOneRefreshRequest() {
        Fixtures.createTopic("orders.401", 1);
        HubSpotEmulator.Tokens t = Fixtures.connect("conn-401", "ws-401", "my-hubspot", 1);
        Fixtures.deploy("test-key-401", "contact-401", Fixtures.example("contact-from-order.js"), "orders.401", NO_RETRIES).statusCode(201);
        Fixtures.emulator().expireAllAccessTokens();
        // the refresher's part: answer the executor's refresh request with a newer token
        Thread refresher = Thread.ofVirtual().start(() -> {
            await().atMost(Duration.ofSeconds(30)).until(() -> !Fixtures.refreshRequests().matching(r -> r.connectionId().equals("conn-401")).isEmpty());
            HubSpotEmulator.Tokens fresh = Fixtures.emulator().refresh(t.refreshToken());
            Fixtures.publishToken("conn-401", "ws-401", "my-hubspot", fresh.hubId(), ConnectionStatus.ACTIVE, fresh.accessToken(),
                    Instant.now().plusSeconds(fresh.expiresIn()), 2, 1);
        });
        Fixtures.publishOrder("orders.401", 1401, "healed@example.com");

        await().atMost(Duration.ofSeconds(45)).until(() -> onlyObject("contacts", "email", "healed@example.com") != null);
        await().atMost(Duration.ofSeconds(10)).until(() -> events("contact-401", RunEvent.Type.SUCCEEDED).size() == 1);
        List<RefreshRequest> requests = Fixtures.refreshRequests().matching(r -> r.connectionId().equals("conn-401"));
        assertThat(requests).singleElement().satisfies(r -> {
            assertThat(r.reason()).isEqualTo(RefreshRequest.Reason.HTTP_401);
            assertThat(r.knownTokenVersion()).isEqualTo(1);
            assertThat(r.workspaceId()).isEqualTo("ws-401");
        });
        assertThat(events("contact-401", RunEvent.Type.SUCCEEDED).getFirst().httpCalls()).extracting(RunEvent.HttpCall::status)
                .containsExactly(401, 201);
        assertThat(refresher.isAlive()).isFalse();
        // every access token at the emulator expired: give the other tests' connection a fresh one
        Fixtures.connect("conn-main", WS, "my-hubspot", 1000);
    }

    @Test
    void aTokenAboutToExpireIsRefreshedBeforeTheWorkflowGetsIt() {
        Fixtures.createTopic("orders.minvalidity", 1);
        HubSpotEmulator.Tokens t = Fixtures.emulator().issueTokens(HubSpotEmulator.PORTAL_ID, Fixtures.SCOPES);
        // a 30-minute token with 3 s left: less than the run's timeout and less than a quarter of its lifetime
        Fixtures.publishToken("conn-short", WS, "short-hubspot", t.hubId(), ConnectionStatus.ACTIVE, t.accessToken(),
                Instant.now().plusSeconds(3), 1, 1, Instant.now().minus(Duration.ofMinutes(30)));
        String src = Fixtures.example("contact-from-order.js").replace("'my-hubspot'", "'short-hubspot'");
        Fixtures.deploy(KEY, "contact-short", src, "orders.minvalidity", NO_RETRIES).statusCode(201);
        Thread refresher = Thread.ofVirtual().start(() -> {
            await().atMost(Duration.ofSeconds(30)).until(() -> !Fixtures.refreshRequests().matching(r -> r.connectionId().equals("conn-short")).isEmpty());
            HubSpotEmulator.Tokens fresh = Fixtures.emulator().refresh(t.refreshToken());
            Fixtures.publishToken("conn-short", WS, "short-hubspot", fresh.hubId(), ConnectionStatus.ACTIVE, fresh.accessToken(),
                    Instant.now().plusSeconds(fresh.expiresIn()), 2, 1);
        });
        Fixtures.publishOrder("orders.minvalidity", 1501, "fresh.token@example.com");
        await().atMost(Duration.ofSeconds(30)).until(() -> onlyObject("contacts", "email", "fresh.token@example.com") != null);
        assertThat(Fixtures.refreshRequests().matching(r -> r.connectionId().equals("conn-short"))).singleElement()
                .satisfies(r -> assertThat(r.reason()).isEqualTo(RefreshRequest.Reason.MIN_VALIDITY));
        assertThat(refresher.isAlive()).isFalse();
    }
}
