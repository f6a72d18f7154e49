package io.jsworkflows.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

import io.jsworkflows.contracts.Topics;
import io.jsworkflows.contracts.events.RunEvent;
import io.jsworkflows.contracts.json.ContractsJson;
import io.jsworkflows.e2e.platform.PlatformClient;
import io.jsworkflows.e2e.platform.PlatformUnderTest;
import io.jsworkflows.e2e.platform.TopicRecorder;
import io.jsworkflows.testsupport.HubSpotEmulator;

/**
 * The whole user story over the packaged services: connect HubSpot through the connections API and the emulator's
 * consent page, deploy both example workflows unmodified, publish 200 Shopify orders, then every contact and every deal
 * exists at the emulator exactly once and the run events account for every run.
 */
@ExtendWith(SharedPlatform.class)
class UserStoryIT {

    static final int ORDERS = 200;
    static final List<String> WORKFLOWS = List.of("contact-from-order", "deal-from-order");

    static PlatformClient client;
    static PlatformClient.Workspace ws;
    static PlatformUnderTest platform;

    @BeforeAll
    static void connectAndDeploy(PlatformUnderTest p) throws Exception {
        platform = p;
        client = new PlatformClient(p);
        ws = client.createWorkspace("e2e story");
        JsonNode c = client.connect(ws, "my-hubspot", HubSpotEmulator.PORTAL_ID);
        assertThat(c.path("status").asText()).isEqualTo("ACTIVE");
        assertThat(c.path("hubId").asLong()).isEqualTo(HubSpotEmulator.PORTAL_ID);
        for (String id : WORKFLOWS) {
            assertThat(client.deployExample(ws, id).path("version").asLong()).isPositive();
        }
        Probe.awaitFirstRun(p, client, ws, WORKFLOWS.toArray(String[]::new));
    }

    @AfterAll
    static void undeploy() {
        if (client != null) {
            for (String id : WORKFLOWS) {
                client.http().send("DELETE", platform.executorUrl() + "/api/v1/workflows/" + id, ws.apiKey(), null, Map.of());
            }
            client.close();
        }
    }

    @Test
    void twoHundredOrdersBecomeContactsAndDeals() throws Exception {
        List<PlatformClient.Order> orders = IntStream.rangeClosed(1, ORDERS).mapToObj(n -> PlatformClient.order("Story", n)).toList();
        Set<String> keys = new HashSet<>(orders.stream().map(PlatformClient.Order::webhookId).toList());
        try (TopicRecorder<RunEvent> runs = TopicRecorder.fromNow(platform.bootstrapServers(), Topics.RUN_EVENTS,
                v -> ContractsJson.read(v, RunEvent.class))) {
            long t0 = System.nanoTime();
            client.publish(ws, orders);

            // HubSpot's 110 requests / 10 s per portal paces 400 runs: about 40 s at best
            await("a final event for each of the " + 2 * ORDERS + " runs").atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> finals(runs, keys).size() == 2 * ORDERS);
            System.out.printf("[e2e] %d runs finished %.1f s after the orders were published%n", 2 * ORDERS, (System.nanoTime() - t0) / 1e9);

            Map<String, RunEvent> finals = finals(runs, keys);
            assertThat(finals.values()).extracting(RunEvent::type).containsOnly(RunEvent.Type.SUCCEEDED);
            assertThat(finals.values()).extracting(RunEvent::workspaceId).containsOnly(ws.id());
            // every run that started ended, and nothing ran twice
            List<RunEvent> mine = runs.values().stream().filter(e -> ws.id().equals(e.workspaceId())).toList();
            assertThat(mine.stream().filter(e -> e.type() == RunEvent.Type.SUCCEEDED).count()).isEqualTo(2L * ORDERS);
            assertThat(mine).extracting(RunEvent::type).doesNotContain(RunEvent.Type.FAILED, RunEvent.Type.DEAD_LETTERED,
                    RunEvent.Type.PARKED);
            Set<String> started = new HashSet<>(mine.stream().filter(e -> e.type() == RunEvent.Type.STARTED).map(RunEvent::runId).toList());
            assertThat(started).containsExactlyInAnyOrderElementsOf(finals.values().stream().map(RunEvent::runId).toList());
        }

        HubSpotEmulator hubspot = platform.emulator();
        for (PlatformClient.Order o : orders) {
            ArrayNode contacts = hubspot.searchObjects("contacts", "email", o.email());
            assertThat(contacts).as("contact of %s", o.email()).hasSize(1);
            assertThat(contacts.get(0).path("portalId").asLong()).isEqualTo(HubSpotEmulator.PORTAL_ID);
            assertThat(contacts.get(0).path("object").path("properties").path("lastname").asText()).isEqualTo(o.name().replace("#", "N"));
            ArrayNode deals = hubspot.searchObjects("deals", "dealname", "Order " + o.name());
            assertThat(deals).as("deal of %s", o.name()).hasSize(1);
            assertThat(deals.get(0).path("object").path("properties").path("amount").asText()).isEqualTo(o.amount());
        }
    }

    /** The last event per (workflow, idempotency key) of this test's orders that ends a run. */
    static Map<String, RunEvent> finals(TopicRecorder<RunEvent> runs, Set<String> keys) {
        Map<String, RunEvent> out = new HashMap<>();
        for (RunEvent e : runs.values()) {
            if (keys.contains(e.idempotencyKey()) && ws.id().equals(e.workspaceId()) && e.type() != RunEvent.Type.STARTED
                    && e.type() != RunEvent.Type.RETRY_SCHEDULED) {
                out.put(e.workflowId() + "/" + e.idempotencyKey(), e);
            }
        }
        return out;
    }
}
