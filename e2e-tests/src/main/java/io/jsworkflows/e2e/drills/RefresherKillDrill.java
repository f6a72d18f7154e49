package io.jsworkflows.e2e.drills;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.jsworkflows.contracts.Topics;
import io.jsworkflows.contracts.events.ConnectionEvent;
import io.jsworkflows.contracts.events.ConnectionStatus;
import io.jsworkflows.contracts.events.TokenState;
import io.jsworkflows.contracts.json.ContractsJson;
import io.jsworkflows.e2e.platform.PlatformClient;
import io.jsworkflows.e2e.platform.PlatformUnderTest;
import io.jsworkflows.e2e.platform.TopicRecorder;
import io.jsworkflows.testsupport.HubSpotEmulator;

/**
 * Drill 2: two token-refresher replicas split the 12 grants partitions; one is killed with SIGKILL while hundreds of
 * short-lived tokens are being refreshed. The survivor must take the dead replica's partitions (after the group's
 * session timeout: a killed member never says goodbye) and refresh every one of its connections before the token
 * runs out: for every connection, each next TokenState must be published before the previous one's expiresAt, the last
 * one must still be valid at the end, and no EXPIRED state or event may appear.
 */
public final class RefresherKillDrill extends Drill {

    static final String GROUP = "jsw-token-refresher";

    public RefresherKillDrill(Map<String, String> params) {
        super(params);
    }

    public static void main(String[] args) {
        Drills.main(ExecutorKillDrill.prepend("refresher-kill", args));
    }

    @Override
    public String name() {
        return "refresher-kill";
    }

    @Override
    public String title() {
        return "kill -9 one of two token-refreshers";
    }

    @Override
    public String criterion() {
        return "the other replica takes its partitions; 0 tokens expire";
    }

    @Override
    public void run(Report r) throws Exception {
        int connections = intParam("connections", 240);
        Duration lifetime = durationParam("lifetime", Duration.ofSeconds(120));
        Duration lead = durationParam("lead", Duration.ofSeconds(60));
        Duration jitter = durationParam("jitter", Duration.ofSeconds(10));
        Duration warm = durationParam("warm", Duration.ofSeconds(60));
        Duration observe = durationParam("observe", Duration.ofMinutes(4));
        Map<String, String> refresherEnv = new HashMap<>(Map.of("JSW_REFRESHER_LEAD", lead.toString(), "JSW_REFRESHER_JITTER", jitter.toString()));
        String session = param("session-timeout-ms", "");
        if (!session.isBlank()) {
            refresherEnv.put("KAFKA_SESSION_TIMEOUT_MS", session);
        }
        DrillPlatform.Env env = DrillPlatform.Env.defaults()
                .emulator(Map.of("EMULATOR_OAUTH_ACCESS_TOKEN_LIFETIME", lifetime.toSeconds() + "s"))
                .refresher(refresherEnv);
        r.measure("token lifetime / refresher lead / jitter", "%d s / %d s / %d s", lifetime.toSeconds(), lead.toSeconds(), jitter.toSeconds());
        try (DrillPlatform p = DrillPlatform.start(r, 2, 1, env);
                TopicRecorder<TokenState> tokens = TopicRecorder.fromBeginning(p.bootstrap(), Topics.CONNECTION_TOKENS,
                        v -> ContractsJson.read(v, TokenState.class));
                TopicRecorder<ConnectionEvent> events = TopicRecorder.fromBeginning(p.bootstrap(), Topics.CONNECTION_EVENTS,
                        v -> ContractsJson.read(v, ConnectionEvent.class))) {
            PlatformClient client = p.client();
            PlatformClient.Workspace ws = client.createWorkspace("drill refresher-kill");

            // ---------------------------------------------------------------- connections, through the API and consent
            long t0 = System.nanoTime();
            Map<String, String> ids = new ConcurrentHashMap<>();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<?>> done = new ArrayList<>();
            for (int i = 1; i <= connections; i++) {
                String handle = String.format("c-%04d", i);
                long portal = i % 2 == 0 ? HubSpotEmulator.SECOND_PORTAL_ID : HubSpotEmulator.PORTAL_ID;
                done.add(pool.submit(() -> ids.put(client.connect(ws, handle, portal).path("id").asText(), handle)));
            }
            for (Future<?> f : done) {
                f.get();
            }
            pool.shutdown();
            r.measure("connections created (API + consent + callback)", "%d in %.1f s", ids.size(), (System.nanoTime() - t0) / 1e9);
            Duration allTokens = Poll.until(Duration.ofMinutes(3), Duration.ofMillis(500), () -> ids.keySet().stream()
                    .allMatch(id -> tokens.values().stream().anyMatch(t -> id.equals(t.connectionId()) && t.status() == ConnectionStatus.ACTIVE)));
            if (allTokens == null) {
                throw new IllegalStateException("not every connection got its first token");
            }
            Instant windowStart = Instant.now();
            r.log("every connection has a token; letting both replicas refresh for %d s", warm.toSeconds());
            Poll.hold(warm);

            // ---------------------------------------------------------------- the kill
            Map<String, List<Integer>> before = p.assignment(GROUP, Topics.CONNECTION_GRANTS);
            r.measure("grants partitions per replica before", "%s", before.values());
            HubSpotEmulator hubspot = p.platform().emulator();
            long callsBefore = hubspot.requestCount("POST", "/oauth/v1/token", 200);
            Instant killedAt = Instant.now();
            p.platform().kill(PlatformUnderTest.REFRESHER, 0);
            Duration takeover = Poll.until(Duration.ofMinutes(3), Duration.ofMillis(250), () -> {
                Map<String, List<Integer>> a = p.assignment(GROUP, Topics.CONNECTION_GRANTS);
                return a.size() == 1 && a.values().iterator().next().size() == Topics.CONNECTION_PARTITIONS;
            });
            Map<String, List<Integer>> after = p.assignment(GROUP, Topics.CONNECTION_GRANTS);
            Set<Integer> victim = new HashSet<>();
            before.forEach((m, parts) -> {
                if (!after.containsKey(m)) {
                    victim.addAll(parts);
                }
            });
            r.measure("partitions of the killed replica", "%s", victim);
            r.measure("kill -9 to survivor owning all 12", "%s", Poll.seconds(takeover));
            Duration firstRefresh = Poll.until(Duration.ofMinutes(3), Duration.ofMillis(200), () -> tokens.entries().stream()
                    .anyMatch(e -> e.value() != null && victim.contains(e.partition()) && e.value().refreshedAt().isAfter(killedAt)));
            r.measure("kill -9 to first token of those partitions", "%s", Poll.seconds(firstRefresh == null ? null
                    : Duration.between(killedAt, Instant.now())));
            Duration remaining = Duration.between(Instant.now(), killedAt.plus(observe));
            if (!remaining.isNegative()) {
                r.log("watching the tokens until %d s after the kill", observe.toSeconds());
                Poll.hold(remaining);
            }
            Instant end = Instant.now();
            long calls = hubspot.requestCount("POST", "/oauth/v1/token", 200) - callsBefore;

            // ---------------------------------------------------------------- every connection's token chain
            Map<String, List<TopicRecorder.Entry<TokenState>>> chains = new HashMap<>();
            for (TopicRecorder.Entry<TokenState> e : tokens.entries()) {
                if (e.value() != null && ids.containsKey(e.key())) {
                    chains.computeIfAbsent(e.key(), k -> new ArrayList<>()).add(e);
                }
            }
            int gaps = 0;
            int expiredAtEnd = 0;
            int notActive = 0;
            int published = 0;
            int victimConnections = 0;
            int victimRefreshedBySurvivor = 0;
            Duration minMargin = null;
            Duration minVictimMargin = null;
            List<String> gapExamples = new ArrayList<>();
            for (var en : chains.entrySet()) {
                List<TokenState> chain = en.getValue().stream().map(TopicRecorder.Entry::value)
                        .sorted(Comparator.comparingLong(TokenState::grantVersion).thenComparingLong(TokenState::tokenVersion)).toList();
                boolean inVictim = victim.contains(en.getValue().getFirst().partition());
                if (inVictim) {
                    victimConnections++;
                    if (chain.stream().anyMatch(t -> t.refreshedAt().isAfter(killedAt))) {
                        victimRefreshedBySurvivor++;
                    }
                }
                for (int i = 0; i < chain.size(); i++) {
                    TokenState t = chain.get(i);
                    if (t.status() != ConnectionStatus.ACTIVE) {
                        notActive++;
                    }
                    if (!t.refreshedAt().isBefore(killedAt) && !t.refreshedAt().isAfter(end)) {
                        published++;
                    }
                    if (i == 0 || t.refreshedAt().isBefore(windowStart)) {
                        continue;
                    }
                    TokenState prev = chain.get(i - 1);
                    if (prev.tokenVersion() == t.tokenVersion() && prev.grantVersion() == t.grantVersion()) {
                        continue; // the same state read twice
                    }
                    Duration margin = Duration.between(t.refreshedAt(), prev.expiresAt());
                    if (minMargin == null || margin.compareTo(minMargin) < 0) {
                        minMargin = margin;
                    }
                    if (inVictim && t.refreshedAt().isAfter(killedAt) && (minVictimMargin == null || margin.compareTo(minVictimMargin) < 0)) {
                        minVictimMargin = margin;
                    }
                    if (!margin.isPositive()) {
                        gaps++;
                        if (gapExamples.size() < 3) {
                            gapExamples.add(en.getKey() + " v" + t.tokenVersion() + " came " + (-margin.toMillis()) + " ms after v"
                                    + prev.tokenVersion() + " expired");
                        }
                    }
                }
                if (!chain.getLast().expiresAt().isAfter(end)) {
                    expiredAtEnd++;
                }
            }
            long expiredEvents = events.values().stream().filter(e -> ids.containsKey(e.connectionId()))
                    .filter(e -> e.type() == ConnectionEvent.Type.EXPIRED).count();
            Map<ConnectionEvent.Type, Long> healthEvents = new java.util.TreeMap<>();
            events.values().stream().filter(e -> ids.containsKey(e.connectionId()))
                    .filter(e -> e.type() != ConnectionEvent.Type.CREATED && e.type() != ConnectionEvent.Type.AUTHORIZED)
                    .forEach(e -> healthEvents.merge(e.type(), 1L, Long::sum));
            String survivor = p.metrics(p.service(PlatformUnderTest.REFRESHER, 1));
            double expiredWhileOwned = Metrics.sum(survivor, "jsw_refresher_tokens_expired_while_owned_total");

            r.measure("connections in the killed replica's partitions", "%d of %d; %d refreshed by the survivor after the kill",
                    victimConnections, chains.size(), victimRefreshedBySurvivor);
            r.measure("tightest refresh (time left on the old token)", "%s overall, %s on the killed replica's partitions after the kill",
                    minMargin == null ? "n/a" : minMargin.toMillis() + " ms", minVictimMargin == null ? "n/a" : minVictimMargin.toMillis() + " ms");
            r.measure("tokens published / token endpoint calls", "%d / %d from the kill to the end (%d s)", published, calls,
                    Duration.between(killedAt, end).toSeconds());
            r.measure("non-ACTIVE token states", "%d", notActive);
            r.measure("health events of these connections", "%s", healthEvents.isEmpty() ? "none" : healthEvents);
            r.measure("survivor jsw_refresher_*", "partitions_owned %.0f, connections_owned %.0f, tokens_expired_while_owned %.0f, refresh lag p99 %.3f s",
                    Metrics.sum(survivor, "jsw_refresher_partitions_owned"), Metrics.sum(survivor, "jsw_refresher_connections_owned"),
                    expiredWhileOwned, Metrics.sum(survivor, "jsw_refresher_refresh_lag_seconds", Map.of("quantile", "0.99")));

            r.check("the survivor took all 12 grants partitions", takeover != null, "after %s", Poll.seconds(takeover));
            r.check("the survivor refreshed every connection of the dead replica", victimConnections > 0
                    && victimRefreshedBySurvivor == victimConnections, "%d of %d", victimRefreshedBySurvivor, victimConnections);
            r.check("0 tokens expired", gaps == 0 && expiredAtEnd == 0 && expiredEvents == 0 && notActive == 0,
                    "%d refreshes after expiry%s, %d tokens expired at the end, %d EXPIRED events, %d non-ACTIVE states", gaps,
                    gapExamples.isEmpty() ? "" : " " + gapExamples, expiredAtEnd, expiredEvents, notActive);
            r.check("survivor's tokens_expired_while_owned is 0", expiredWhileOwned == 0, "%.0f", expiredWhileOwned);
            r.measure("processes at the end", "%s", p.processes());
        }
    }
}
