package io.jsworkflows.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.jsworkflows.contracts.Topics;
import io.jsworkflows.contracts.events.ConnectionEvent;
import io.jsworkflows.contracts.events.RunEvent;
import io.jsworkflows.contracts.json.ContractsJson;
import io.jsworkflows.e2e.platform.PlatformClient;
import io.jsworkflows.e2e.platform.PlatformUnderTest;
import io.jsworkflows.e2e.platform.TopicRecorder;
import io.jsworkflows.testsupport.HubSpotEmulator;

/**
 * Revocation across services: the user revokes the app at HubSpot (the emulator drops the portal's refresh tokens). The
 * refresher's next attempt is rejected, and that single attempt is enough for NEEDS_REAUTH to show in connections-service
 * and as a {@code needs-reauth} event. Runs that need the connection are parked, not failed; reconnecting through the API
 * resumes them, and they succeed. Uses the second portal so no other test's connection is touched.
 */
@ExtendWith(SharedPlatform.class)
class RevocationIT {

    static final long PORTAL = HubSpotEmulator.SECOND_PORTAL_ID;

    static PlatformUnderTest platform;
    static PlatformClient client;
    static PlatformClient.Workspace ws;
    static String connectionId;

    @BeforeAll
    static void connect(PlatformUnderTest p) throws Exception {
        platform = p;
        client = new PlatformClient(p);
        ws = client.createWorkspace("e2e revocation");
        connectionId = client.connect(ws, "my-hubspot", PORTAL).path("id").asText();
        client.deployExample(ws, "contact-from-order");
    }

    @AfterAll
    static void undeploy() {
        if (client != null) {
            client.http().send("DELETE", platform.executorUrl() + "/api/v1/workflows/contact-from-order", ws.apiKey(), null, Map.of());
            client.close();
        }
    }

    @Test
    void revokedConnectionParksRunsUntilTheUserReconnects() throws Exception {
        HubSpotEmulator hubspot = platform.emulator();
        try (TopicRecorder<ConnectionEvent> events = TopicRecorder.fromNow(platform.bootstrapServers(), Topics.CONNECTION_EVENTS,
                v -> ContractsJson.read(v, ConnectionEvent.class));
                TopicRecorder<RunEvent> runs = TopicRecorder.fromNow(platform.bootstrapServers(), Topics.RUN_EVENTS,
                        v -> ContractsJson.read(v, RunEvent.class))) {
            // the connection works before the revocation
            PlatformClient.Order first = PlatformClient.order("Revoke", 0);
            client.publish(ws, List.of(first));
            await("the first run").atMost(Duration.ofMinutes(1)).until(() -> has(runs, first.webhookId(), RunEvent.Type.SUCCEEDED));

            long rejectedBefore = hubspot.requestCount("POST", "/oauth/v1/token", 400);
            assertThat(hubspot.revokeRefreshTokens(PORTAL)).isPositive();

            // within one refresh attempt: the next scheduled refresh (at most one token lifetime away) is rejected once
            await("a needs-reauth event").atMost(SharedPlatform.TOKEN_LIFETIME.plusSeconds(15)).pollInterval(Duration.ofMillis(200))
                    .until(() -> events.values().stream().anyMatch(e -> connectionId.equals(e.connectionId())
                            && e.type() == ConnectionEvent.Type.NEEDS_REAUTH));
            assertThat(hubspot.requestCount("POST", "/oauth/v1/token", 400) - rejectedBefore).isEqualTo(1);
            ConnectionEvent reauth = events.values().stream().filter(e -> connectionId.equals(e.connectionId())
                    && e.type() == ConnectionEvent.Type.NEEDS_REAUTH).findFirst().orElseThrow();
            assertThat(reauth.status()).isEqualTo(io.jsworkflows.contracts.events.ConnectionStatus.NEEDS_REAUTH);
            assertThat(reauth.reason()).isNotBlank();
            await("NEEDS_REAUTH in connections-service").atMost(Duration.ofSeconds(15))
                    .until(() -> "NEEDS_REAUTH".equals(client.connection(ws, "my-hubspot").path("status").asText()));

            // runs that need the connection now are parked, not failed
            List<PlatformClient.Order> orders = IntStream.rangeClosed(1, 5).mapToObj(n -> PlatformClient.order("Revoke", n)).toList();
            Set<String> keys = new HashSet<>(orders.stream().map(PlatformClient.Order::webhookId).toList());
            client.publish(ws, orders);
            await("5 parked runs").atMost(Duration.ofMinutes(1))
                    .until(() -> keys.stream().allMatch(k -> has(runs, k, RunEvent.Type.PARKED)));
            assertThat(runs.values().stream().filter(e -> keys.contains(e.idempotencyKey())))
                    .extracting(RunEvent::type).doesNotContain(RunEvent.Type.DEAD_LETTERED, RunEvent.Type.SUCCEEDED);
            for (PlatformClient.Order o : orders) {
                assertThat(hubspot.searchObjects("contacts", "email", o.email())).isEmpty();
            }

            // the user reconnects through the API: the parked runs resume and succeed
            assertThat(client.reconnect(ws, "my-hubspot", PORTAL).path("status").asText()).isEqualTo("ACTIVE");
            await("the parked runs to succeed").atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(500))
                    .until(() -> keys.stream().allMatch(k -> has(runs, k, RunEvent.Type.SUCCEEDED)));
            for (PlatformClient.Order o : orders) {
                assertThat(hubspot.searchObjects("contacts", "email", o.email())).as(o.email()).hasSize(1);
            }
            assertThat(events.values().stream().filter(e -> connectionId.equals(e.connectionId())))
                    .extracting(ConnectionEvent::type).contains(ConnectionEvent.Type.AUTHORIZED);
        }
    }

    static boolean has(TopicRecorder<RunEvent> runs, String key, RunEvent.Type type) {
        return runs.values().stream().anyMatch(e -> key.equals(e.idempotencyKey()) && ws.id().equals(e.workspaceId()) && e.type() == type);
    }
}
