package io.jsworkflows.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.jsworkflows.contracts.PlatformHeaders;
import io.jsworkflows.contracts.Topics;
import io.jsworkflows.contracts.events.DeadLetter;
import io.jsworkflows.contracts.events.RunEvent;
import io.jsworkflows.contracts.json.ContractsJson;
import io.jsworkflows.e2e.platform.PlatformClient;
import io.jsworkflows.e2e.platform.PlatformUnderTest;
import io.jsworkflows.e2e.platform.TopicRecorder;
import io.jsworkflows.localstack.client.Http;
import io.jsworkflows.shopifyemulator.DeliveryOptions;
import io.jsworkflows.shopifyemulator.DeliveryReport;
import io.jsworkflows.shopifyemulator.RetrySchedule;
import io.jsworkflows.shopifyemulator.ShopifyWebhook;
import io.jsworkflows.shopifyemulator.WebhookSender;
import io.jsworkflows.testsupport.HubSpotEmulator;

/**
 * Two workspaces on one platform, each with its own Shopify store, HubSpot connection and a workflow bound to the same
 * shared topic {@code shopify.orders}. Workspace B tries everything a curious tenant would: binding other topics, asking
 * for A's connection handle, delivering to A's webhook URL. A's orders run only A's workflow, and nothing of A's
 * reaches anything of B's.
 */
@ExtendWith(SharedPlatform.class)
class TenantIsolationIT {

    static final String WORKFLOW_A = "isolation-a";
    static final String WORKFLOW_B = "isolation-b";

    /** Logs whether it could get the handle it asked for; never throws for a missing one. */
    static String workflow(String tag, String handle) {
        return """
                export class Workflow {
                  async start(data, headers, api) {
                    const { token, error } = await api.getOAuthToken('%s');
                    console.log('%s ' + (token ? 'token-for-%s' : 'no-token-for-%s: ' + error) + ' order ' + data.email);
                  }
                }
                """.formatted(handle, tag, handle, handle);
    }

    static PlatformUnderTest platform;
    static PlatformClient client;
    static PlatformClient.Workspace a;
    static PlatformClient.Workspace b;

    @BeforeAll
    static void twoWorkspaces(PlatformUnderTest p) {
        platform = p;
        client = new PlatformClient(p);
        a = client.createWorkspace("e2e isolation A");
        b = client.createWorkspace("e2e isolation B");
        assertThat(client.connect(a, "shop-a", HubSpotEmulator.PORTAL_ID).path("status").asText()).isEqualTo("ACTIVE");
        assertThat(client.connect(b, "shop-b", HubSpotEmulator.SECOND_PORTAL_ID).path("status").asText()).isEqualTo("ACTIVE");
        client.deploy(a, WORKFLOW_A, workflow("A", "shop-a"), Topics.SHOPIFY_ORDERS);
        // B asks for A's handle: the lookup is scoped to B's workspace, so it must come back empty
        client.deploy(b, WORKFLOW_B, workflow("B", "shop-a"), Topics.SHOPIFY_ORDERS);
    }

    @AfterAll
    static void undeploy() {
        if (client != null) {
            client.http().send("DELETE", platform.executorUrl() + "/api/v1/workflows/" + WORKFLOW_A, a.apiKey(), null, Map.of());
            client.http().send("DELETE", platform.executorUrl() + "/api/v1/workflows/" + WORKFLOW_B, b.apiKey(), null, Map.of());
            client.close();
        }
    }

    @Test
    void bCannotBindAnotherTopicOrAPlatformTopic() {
        for (String topic : List.of("orders.everyone", "shopify-orders-copy", Topics.RUN_EVENTS, Topics.CONNECTION_TOKENS)) {
            Http.Reply r = client.http().send("PUT", platform.executorUrl() + "/api/v1/workflows/isolation-b-" + Math.abs(topic.hashCode()),
                    b.apiKey(), Map.of("source", workflow("B", "shop-b"), "trigger", Map.of("topic", topic)), Map.of());
            assertThat(r.status()).as("binding %s", topic).isEqualTo(400);
            if (!topic.startsWith("jsw.")) {
                assertThat(r.body()).as("the problem names the allowed topics").contains(Topics.SHOPIFY_ORDERS);
            }
        }
    }

    @Test
    void eachWorkspaceSeesOnlyItsOwnOrders() throws Exception {
        List<PlatformClient.Order> ordersA = IntStream.rangeClosed(1, 10).mapToObj(n -> PlatformClient.order("IsoA", n)).toList();
        List<PlatformClient.Order> ordersB = IntStream.rangeClosed(1, 10).mapToObj(n -> PlatformClient.order("IsoB", n)).toList();
        Set<String> keysA = ordersA.stream().map(PlatformClient.Order::webhookId).collect(Collectors.toSet());
        Set<String> keysB = ordersB.stream().map(PlatformClient.Order::webhookId).collect(Collectors.toSet());
        PlatformClient.Source sourceA = client.source(a);
        PlatformClient.Source sourceB = client.source(b);

        try (TopicRecorder<RunEvent> runs = TopicRecorder.fromNow(platform.bootstrapServers(), Topics.RUN_EVENTS,
                v -> ContractsJson.read(v, RunEvent.class));
             TopicRecorder<DeadLetter> dlq = TopicRecorder.fromNow(platform.bootstrapServers(), Topics.RUN_DLQ,
                v -> ContractsJson.read(v, DeadLetter.class))) {

            // a record on the shared topic without the platform's workspace header: someone else's producer
            PlatformClient.Order stray = PlatformClient.order("IsoStray", 1);
            client.send(Topics.SHOPIFY_ORDERS, sourceA.shopDomain(), Http.JSON.writeValueAsString(PlatformClient.orderBody(stray)),
                    PlatformClient.shopifyHeaders(stray)).get();

            // B signs a delivery with its own secret and sends it to A's URL, claiming A's shop
            WebhookSender once = new WebhookSender(DeliveryOptions.shopify().withRetries(RetrySchedule.none()));
            PlatformClient.Order forged = PlatformClient.order("IsoForged", 1);
            DeliveryReport forgedReport = once.deliver(URI.create(sourceA.ingressUrl()), sourceB.secret(),
                    new ShopifyWebhook("orders/create", sourceA.shopDomain(), ShopifyWebhook.DEFAULT_API_VERSION, forged.webhookId(),
                            UUID.randomUUID().toString(), Instant.now(), Http.JSON.writeValueAsBytes(PlatformClient.orderBody(forged))));
            assertThat(forgedReport.statuses()).containsExactly(401);

            client.publish(a, ordersA);
            client.publish(b, ordersB);

            await("both workspaces' runs").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(500))
                    .until(() -> succeeded(runs, keysA).size() == keysA.size() && succeeded(runs, keysB).size() == keysB.size());

            // A's orders ran A's workflow only, in A's workspace, with A's token
            List<RunEvent> ofA = runs.values().stream().filter(e -> keysA.contains(e.idempotencyKey())).toList();
            assertThat(ofA).extracting(RunEvent::workflowId).containsOnly(WORKFLOW_A);
            assertThat(ofA).extracting(RunEvent::workspaceId).containsOnly(a.id());
            assertThat(succeeded(runs, keysA)).allSatisfy(e -> assertThat(consoleOf(e)).contains("A token-for-shop-a"));

            // B's orders ran B's workflow only, and B never got A's token
            List<RunEvent> ofB = runs.values().stream().filter(e -> keysB.contains(e.idempotencyKey())).toList();
            assertThat(ofB).extracting(RunEvent::workflowId).containsOnly(WORKFLOW_B);
            assertThat(ofB).extracting(RunEvent::workspaceId).containsOnly(b.id());
            assertThat(succeeded(runs, keysB)).allSatisfy(e -> assertThat(consoleOf(e)).contains("B no-token-for-shop-a"));

            // nothing of A's in anything of B's: no A email in B's run events, no B run on the stray or forged record
            Set<String> emailsA = ordersA.stream().map(PlatformClient.Order::email).collect(Collectors.toSet());
            List<RunEvent> allOfB = runs.values().stream().filter(e -> b.id().equals(e.workspaceId())).toList();
            assertThat(allOfB).allSatisfy(e -> emailsA.forEach(m -> assertThat(ContractsJson.write(e)).doesNotContain(m)));
            assertThat(runs.values()).extracting(RunEvent::idempotencyKey).doesNotContain(stray.webhookId(), forged.webhookId());
            assertThat(dlq.values()).filteredOn(d -> b.id().equals(d.workspaceId()))
                    .allSatisfy(d -> emailsA.forEach(m -> assertThat(ContractsJson.write(d)).doesNotContain(m)));
            assertThat(dlq.values()).extracting(DeadLetter::idempotencyKey).doesNotContainAnyElementsOf(keysA);
        }
    }

    @Test
    void aForgedPlatformHeaderDoesNotChangeTheOwner() throws Exception {
        // B's own store delivers a signed webhook that also claims A's workspace in a platform header
        PlatformClient.Source sourceB = client.source(b);
        PlatformClient.Order o = PlatformClient.order("IsoClaim", 1);
        try (TopicRecorder<RunEvent> runs = TopicRecorder.fromNow(platform.bootstrapServers(), Topics.RUN_EVENTS,
                v -> ContractsJson.read(v, RunEvent.class))) {
            byte[] body = Http.JSON.writeValueAsBytes(PlatformClient.orderBody(o));
            Map<String, String> headers = new java.util.LinkedHashMap<>(PlatformClient.shopifyHeaders(o));
            headers.put("X-Shopify-Shop-Domain", sourceB.shopDomain());
            headers.put("X-Shopify-Hmac-Sha256", io.jsworkflows.shopifyemulator.ShopifyHmac.sign(sourceB.secret(), body));
            headers.put(PlatformHeaders.WORKSPACE, a.id());
            java.net.http.HttpRequest.Builder req = java.net.http.HttpRequest.newBuilder(URI.create(sourceB.ingressUrl()))
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body));
            headers.forEach(req::header);
            try (java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient()) {
                assertThat(http.send(req.build(), java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
            }
            await("B's run of its own order").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(300))
                    .until(() -> succeeded(runs, Set.of(o.webhookId())).size() == 1);
            assertThat(runs.values()).filteredOn(e -> o.webhookId().equals(e.idempotencyKey()))
                    .extracting(RunEvent::workspaceId).containsOnly(b.id());
        }
    }

    static List<RunEvent> succeeded(TopicRecorder<RunEvent> runs, Set<String> keys) {
        return runs.values().stream().filter(e -> e.type() == RunEvent.Type.SUCCEEDED && keys.contains(e.idempotencyKey())).toList();
    }

    static String consoleOf(RunEvent e) {
        return e.console().stream().map(RunEvent.ConsoleLine::message).collect(Collectors.joining("\n"));
    }
}
