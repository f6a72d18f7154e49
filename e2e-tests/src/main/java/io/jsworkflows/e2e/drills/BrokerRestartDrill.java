package io.jsworkflows.e2e.drills;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.jsworkflows.contracts.Topics;
import io.jsworkflows.contracts.events.ConnectionEvent;
import io.jsworkflows.contracts.events.ConnectionStatus;
import io.jsworkflows.contracts.events.RunEvent;
import io.jsworkflows.contracts.events.TokenState;
import io.jsworkflows.contracts.json.ContractsJson;
import io.jsworkflows.e2e.platform.PlatformClient;
import io.jsworkflows.e2e.platform.TopicRecorder;
import io.jsworkflows.localstack.stack.ManagedService;
import io.jsworkflows.testsupport.HubSpotEmulator;

/**
 * Drill 3: the Kafka broker is stopped (controlled shutdown) in the middle of a steady load and started again on the
 * same ports and data after a pause. Nothing restarts the services: each must become ready again by itself, runs must
 * continue (orders sent during and after the outage complete), a connection made after the outage must get its token
 * (outbox → grants → refresher → tokens), tokens must stay valid, and no order may be left without a final run event.
 */
public final class BrokerRestartDrill extends Drill {

    public BrokerRestartDrill(Map<String, String> params) {
        super(params);
    }

    public static void main(String[] args) {
        Drills.main(ExecutorKillDrill.prepend("broker-restart", args));
    }

    @Override
    public String name() {
        return "broker-restart";
    }

    @Override
    public String title() {
        return "Kafka broker restart mid-load";
    }

    @Override
    public String criterion() {
        return "every service recovers unaided (ready again, runs continue); nothing lost";
    }

    @Override
    public void run(Report r) throws Exception {
        double rate = doubleParam("rate", 3);
        Duration restartAfter = durationParam("restart-after", Duration.ofSeconds(60));
        Duration down = durationParam("down", Duration.ofSeconds(20));
        // the load goes on for two minutes after the broker is back (its stop and start take up to a minute more)
        Duration loadFor = durationParam("load", restartAfter.plus(down).plusSeconds(150));
        Duration lifetime = durationParam("lifetime", Duration.ofSeconds(60));
        DrillPlatform.Env env = DrillPlatform.Env.defaults()
                .emulator(Map.of("EMULATOR_OAUTH_ACCESS_TOKEN_LIFETIME", lifetime.toSeconds() + "s"))
                .refresher(Map.of("JSW_REFRESHER_LEAD", lifetime.dividedBy(2).toString(), "JSW_REFRESHER_JITTER", "PT5S"));
        int orders = (int) (rate * loadFor.toSeconds());
        try (DrillPlatform p = DrillPlatform.start(r, 1, 1, env)) {
            PlatformClient client = p.client();
            PlatformClient.Workspace ws = client.createWorkspace("drill broker-restart");
            String connectionId = client.connect(ws, "my-hubspot", HubSpotEmulator.PORTAL_ID).path("id").asText();
            p.deploy(ws, ExecutorKillDrill.WORKFLOW, DrillPlatform.drillWorkflow("contact-from-order-idempotent.js"), null);
            Poll.until(Duration.ofMinutes(1), Duration.ofMillis(500),
                    () -> !p.assignment(ExecutorKillDrill.GROUP, DrillPlatform.ORDERS_TOPIC).isEmpty());

            try (RunLedger ledger = new RunLedger(p.bootstrap()); Orders out = new Orders(p.bootstrap(), ws.id());
                    TopicRecorder<TokenState> tokens = TopicRecorder.fromBeginning(p.bootstrap(), Topics.CONNECTION_TOKENS,
                            v -> ContractsJson.read(v, TokenState.class));
                    TopicRecorder<ConnectionEvent> events = TopicRecorder.fromNow(p.bootstrap(), Topics.CONNECTION_EVENTS,
                            v -> ContractsJson.read(v, ConnectionEvent.class));
                    HealthWatch health = new HealthWatch(p);
                    Orders.Load load = out.steady("Broker", orders, rate, Orders.shops(6), r)) {
                Instant loadStart = Instant.now();
                r.log("publishing %d orders at %.1f/s; broker restart in %d s, down for %d s", orders, rate, restartAfter.toSeconds(),
                        down.toSeconds());
                Poll.hold(restartAfter);

                // ---------------------------------------------------------------- the outage
                Instant stopAt = Instant.now();
                Duration outage = p.platform().restartBroker(down);
                Instant backAt = Instant.now();
                r.measure("broker stop + pause + start", "%.1f s (pause %d s)", outage.toMillis() / 1000.0, down.toSeconds());
                Duration allReady = Poll.until(Duration.ofMinutes(5), Duration.ofMillis(500),
                        () -> p.services().stream().allMatch(s -> p.readiness(s) == 200));
                r.measure("broker back to every service ready", "%s", Poll.seconds(allReady));

                // the whole chain for a new connection: outbox → grants → refresher → tokens
                long tc = System.nanoTime();
                String newId = client.connect(ws, "after-restart", HubSpotEmulator.SECOND_PORTAL_ID).path("id").asText();
                Duration newToken = Poll.until(Duration.ofMinutes(2), Duration.ofMillis(200), () -> tokens.values().stream()
                        .anyMatch(t -> newId.equals(t.connectionId()) && t.status() == ConnectionStatus.ACTIVE));
                if (newToken != null) {
                    newToken = Duration.ofNanos(System.nanoTime() - tc);
                }
                r.measure("new connection after the outage to its token", "%s (API, consent, callback, outbox, refresher)",
                        Poll.seconds(newToken));

                load.await(loadFor.plusMinutes(3));
                List<Orders.Published> published = load.published();
                List<String> triggers = published.stream().map(Orders.Published::coordinates).toList();
                Set<String> open = ledger.awaitFinals(ExecutorKillDrill.WORKFLOW, triggers, Duration.ofMinutes(6), r);
                Instant end = Instant.now();

                // ---------------------------------------------------------------- analysis
                Map<String, List<RunEvent>> byTrigger = ledger.byTrigger(ExecutorKillDrill.WORKFLOW);
                Map<String, Integer> outcome = new TreeMap<>();
                List<Long> duringOutage = new ArrayList<>();
                int afterBack = 0;
                int afterBackSucceeded = 0;
                int ranTwice = 0;
                for (Orders.Published o : published) {
                    List<RunEvent> evs = byTrigger.getOrDefault(o.coordinates(), List.of());
                    RunEvent fin = evs.stream().filter(RunLedger::isFinal).findFirst().orElse(null);
                    outcome.merge(fin == null ? "no final event" : fin.type().label(), 1, Integer::sum);
                    if (evs.stream().map(RunEvent::runId).distinct().count() > 1) {
                        ranTwice++;
                    }
                    if (fin != null && !o.sent().isBefore(stopAt) && o.sent().isBefore(backAt)) {
                        duringOutage.add(Duration.between(o.sent(), fin.occurredAt()).toMillis());
                    }
                    if (!o.sent().isBefore(backAt)) {
                        afterBack++;
                        if (fin != null && fin.type() == RunEvent.Type.SUCCEEDED) {
                            afterBackSucceeded++;
                        }
                    }
                }
                TokenChains.Result chains = TokenChains.analyse(tokens.values(), Set.of(connectionId), loadStart, end);
                long expiredEvents = events.values().stream().filter(e -> e.type() == ConnectionEvent.Type.EXPIRED).count();
                Map<String, Long> errors = new TreeMap<>();
                for (ManagedService s : p.services()) {
                    errors.put(s.name(), p.logLines(s, " ERROR "));
                }

                r.measure("orders published (acknowledged)", "%d (%d publish retries)", published.size(), load.failures());
                r.measure("final outcome per order", "%s", outcome);
                r.measure("orders that ran more than once", "%d", ranTwice);
                r.measure("orders that arrived during the outage", "%d; arrival-to-final p50 %d ms, max %d ms", duringOutage.size(),
                        RunLedger.percentile(duringOutage, 50), RunLedger.percentile(duringOutage, 100));
                r.measure("orders that arrived after the broker was back", "%d, %d succeeded", afterBack, afterBackSucceeded);
                r.measure("readiness per service from the broker stop", "%s", health.outages(stopAt));
                r.measure("token chain of my-hubspot", "%s", chains);
                long ranOut = chains.gaps() - chains.gapsOutside(stopAt, backAt.plusSeconds(30));
                r.measure("tokens that ran out during the outage", "%d (lead %d s, outage %.0f s: no token reaches anyone while Kafka is "
                        + "down)", ranOut, lifetime.dividedBy(2).toSeconds(), outage.toMillis() / 1000.0);
                r.measure("ERROR lines in the service logs", "%s", errors);
                r.measure("processes at the end", "%s", p.processes());

                r.check("every service ready again without a restart", allReady != null && p.deadOrRestarted().isEmpty(),
                        "ready %s after the broker was back; dead or restarted: %s", Poll.seconds(allReady), p.deadOrRestarted());
                r.check("runs continue after the restart", afterBack > 0 && afterBackSucceeded == afterBack, "%d of %d orders that arrived "
                        + "after the broker was back succeeded", afterBackSucceeded, afterBack);
                r.check("a connection made after the restart gets its token", newToken != null, "%s", Poll.seconds(newToken));
                r.check("nothing lost: every order has a final run event", open.isEmpty(), "%d of %d without%s", open.size(),
                        published.size(), open.isEmpty() ? "" : ": " + open.stream().limit(5).toList());
                r.check("no token expired except while Kafka was down", chains.gapsOutside(stopAt, backAt.plusSeconds(30)) == 0
                        && chains.expiredAtEnd() == 0 && expiredEvents == 0, "%d refreshes after expiry outside the outage (+30 s), %d "
                        + "during it; %d expired at the end; %d EXPIRED events", chains.gapsOutside(stopAt, backAt.plusSeconds(30)),
                        ranOut, chains.expiredAtEnd(), expiredEvents);
            }
        }
    }
}
