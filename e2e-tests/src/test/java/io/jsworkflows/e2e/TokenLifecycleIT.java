package io.jsworkflows.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.jsworkflows.contracts.Topics;
import io.jsworkflows.contracts.events.ConnectionEvent;
import io.jsworkflows.contracts.events.RunEvent;
import io.jsworkflows.contracts.events.TokenState;
import io.jsworkflows.contracts.json.ContractsJson;
import io.jsworkflows.e2e.platform.PlatformClient;
import io.jsworkflows.e2e.platform.PlatformUnderTest;
import io.jsworkflows.e2e.platform.TopicRecorder;
import io.jsworkflows.testsupport.HubSpotEmulator;

/**
 * Tokens across services: HubSpot's access tokens live 20 s and workflows run under steady load for three minutes
 * ({@code -Djsw.e2e.load=PT3M}). The refresher must publish each next token before the previous one expires, the
 * executor must never hand out an expired token (no 401 at HubSpot, every run succeeds), and the token endpoint is
 * called once per due token: never early, never twice for the same token.
 */
@ExtendWith(SharedPlatform.class)
class TokenLifecycleIT {

    static final Duration LOAD = Duration.parse(System.getProperty("jsw.e2e.load", "PT3M"));
    static final int ORDERS_PER_SECOND = 2;

    static PlatformUnderTest platform;
    static PlatformClient client;
    static PlatformClient.Workspace ws;
    static String connectionId;

    @BeforeAll
    static void connect(PlatformUnderTest p) throws Exception {
        platform = p;
        client = new PlatformClient(p);
        ws = client.createWorkspace("e2e lifecycle");
        connectionId = client.connect(ws, "my-hubspot", HubSpotEmulator.PORTAL_ID).path("id").asText();
        client.deployExample(ws, "contact-from-order");
        Probe.awaitFirstRun(p, client, ws, "contact-from-order");
    }

    @AfterAll
    static void undeploy() {
        if (client != null) {
            client.http().send("DELETE", platform.executorUrl() + "/api/v1/workflows/contact-from-order", ws.apiKey(), null, Map.of());
            client.close();
        }
    }

    @Test
    void tokensStayFreshUnderLoadAndAreRefreshedOncePerDueToken() throws Exception {
        HubSpotEmulator hubspot = platform.emulator();
        List<PlatformClient.Order> published = new java.util.concurrent.CopyOnWriteArrayList<>();
        AtomicInteger n = new AtomicInteger();
        try (TopicRecorder<RunEvent> runs = TopicRecorder.fromNow(platform.bootstrapServers(), Topics.RUN_EVENTS,
                v -> ContractsJson.read(v, RunEvent.class));
                TopicRecorder<TokenState> tokens = TopicRecorder.fromNow(platform.bootstrapServers(), Topics.CONNECTION_TOKENS,
                        v -> ContractsJson.read(v, TokenState.class));
                TopicRecorder<ConnectionEvent> events = TopicRecorder.fromNow(platform.bootstrapServers(), Topics.CONNECTION_EVENTS,
                        v -> ContractsJson.read(v, ConnectionEvent.class))) {
            long tokenCallsBefore = hubspot.requestCount("POST", "/oauth/v1/token");
            long unauthorizedBefore = hubspot.requestCount("POST", "/crm/v3/objects/contacts", 401);
            Instant start = Instant.now();

            ScheduledExecutorService load = Executors.newSingleThreadScheduledExecutor();
            int total = (int) (LOAD.toSeconds() * ORDERS_PER_SECOND);
            load.scheduleAtFixedRate(() -> {
                if (n.get() < total) {
                    PlatformClient.Order o = PlatformClient.order("Life", n.incrementAndGet());
                    try {
                        client.publish(ws, List.of(o));
                        published.add(o);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            }, 0, 1000 / ORDERS_PER_SECOND, TimeUnit.MILLISECONDS);
            try {
                await("the load to run its course").atMost(LOAD.plusMinutes(1)).pollInterval(Duration.ofSeconds(1))
                        .until(() -> published.size() == total);
            } finally {
                load.shutdownNow();
            }
            Set<String> keys = new HashSet<>(published.stream().map(PlatformClient.Order::webhookId).toList());
            await("every run of the load to end").atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> ended(runs, keys).size() >= keys.size());
            Instant end = Instant.now();
            long tokenCalls = hubspot.requestCount("POST", "/oauth/v1/token") - tokenCallsBefore;

            // workflows never saw an expired token: HubSpot never answered 401 and every run succeeded first time
            assertThat(hubspot.requestCount("POST", "/crm/v3/objects/contacts", 401) - unauthorizedBefore).isZero();
            List<RunEvent> ended = ended(runs, keys);
            assertThat(ended).extracting(RunEvent::type).containsOnly(RunEvent.Type.SUCCEEDED);
            assertThat(ended).extracting(RunEvent::attempt).containsOnly(1);

            // the refresher kept this connection's token fresh: each next token came before the previous one expired
            List<TokenState> mine = tokens.values().stream().filter(t -> connectionId.equals(t.connectionId())).toList();
            Duration window = Duration.between(start, end);
            long minRefreshes = window.toSeconds() / SharedPlatform.TOKEN_LIFETIME.minus(SharedPlatform.LEAD).toSeconds() - 1;
            long maxRefreshes = window.toSeconds() / SharedPlatform.TOKEN_LIFETIME.minus(SharedPlatform.LEAD).minus(SharedPlatform.JITTER)
                    .toSeconds() + 2;
            System.out.printf("[e2e] %d runs over %d s; connection %s got %d tokens (expected %d..%d); token endpoint called %d times%n",
                    ended.size(), window.toSeconds(), connectionId, mine.size(), minRefreshes, maxRefreshes, tokenCalls);
            assertThat(mine).allSatisfy(t -> assertThat(t.status()).isEqualTo(io.jsworkflows.contracts.events.ConnectionStatus.ACTIVE));
            assertThat((long) mine.size()).isBetween(minRefreshes, maxRefreshes);
            List<String> gaps = new ArrayList<>();
            for (int i = 1; i < mine.size(); i++) {
                TokenState prev = mine.get(i - 1);
                TokenState next = mine.get(i);
                assertThat(next.tokenVersion()).isEqualTo(prev.tokenVersion() + 1);
                if (!next.refreshedAt().isBefore(prev.expiresAt())) {
                    gaps.add("token " + next.tokenVersion() + " came at " + next.refreshedAt() + ", the previous expired at " + prev.expiresAt());
                }
                // never early: not before the previous token entered its refresh window (lead + jitter, 1 s slack)
                assertThat(next.refreshedAt()).as("refresh of token %d", prev.tokenVersion())
                        .isAfterOrEqualTo(prev.expiresAt().minus(SharedPlatform.LEAD).minus(SharedPlatform.JITTER).minusSeconds(1));
            }
            assertThat(gaps).isEmpty();
            assertThat(mine.getLast().expiresAt()).isAfter(end);

            // once per due token: every call to the token endpoint produced exactly one published token (calls in flight
            // at either edge of the window may fall on one side only: at most one per connection)
            long refreshed = tokens.values().stream().filter(t -> t.status() == io.jsworkflows.contracts.events.ConnectionStatus.ACTIVE)
                    .filter(t -> !t.refreshedAt().isBefore(start)).count();
            long connections = tokens.values().stream().map(TokenState::connectionId).distinct().count();
            assertThat(tokenCalls).isBetween(refreshed - connections, refreshed + connections);
            assertThat(events.values()).extracting(ConnectionEvent::type)
                    .doesNotContain(ConnectionEvent.Type.EXPIRED, ConnectionEvent.Type.REFRESH_FAILED, ConnectionEvent.Type.DEGRADED);
        }
    }

    static List<RunEvent> ended(TopicRecorder<RunEvent> runs, Set<String> keys) {
        return runs.values().stream().filter(e -> ws.id().equals(e.workspaceId()) && keys.contains(e.idempotencyKey()))
                .filter(e -> e.type() != RunEvent.Type.STARTED).toList();
    }
}
