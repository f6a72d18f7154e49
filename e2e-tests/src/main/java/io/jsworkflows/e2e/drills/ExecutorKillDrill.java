package io.jsworkflows.e2e.drills;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.jsworkflows.contracts.events.RunEvent;
import io.jsworkflows.e2e.platform.PlatformClient;
import io.jsworkflows.e2e.platform.PlatformUnderTest;
import io.jsworkflows.testsupport.HubSpotEmulator;

/**
 * Drill 1: two workflow-executor replicas share the trigger topic; one is killed with SIGKILL while orders arrive at a
 * steady rate. Every order must still get a final run event (the group hands the dead replica's uncommitted records
 * to the survivor); records that ran twice are counted, and every run of an order must carry the order's idempotency
 * key (its Shopify webhook id), which is what lets a workflow recognise the second delivery. The workflow is
 * contact-from-order written for at-least-once delivery (a 409 from HubSpot means an earlier delivery created it).
 */
public final class ExecutorKillDrill extends Drill {

    static final String WORKFLOW = "contact-idempotent";
    static final String GROUP = "jsw-workflow-executor";

    public ExecutorKillDrill(Map<String, String> params) {
        super(params);
    }

    public static void main(String[] args) {
        Drills.main(prepend("executor-kill", args));
    }

    static String[] prepend(String name, String[] args) {
        String[] all = new String[args.length + 1];
        all[0] = name;
        System.arraycopy(args, 0, all, 1, args.length);
        return all;
    }

    @Override
    public String name() {
        return "executor-kill";
    }

    @Override
    public String title() {
        return "kill -9 one of two workflow-executors under load";
    }

    @Override
    public String criterion() {
        return "0 trigger events without a final run event; duplicates counted; all runs of an order carry its idempotency key";
    }

    @Override
    public void run(Report r) throws Exception {
        int orders = intParam("orders", 600);
        double rate = doubleParam("rate", 5);
        Duration killAfter = durationParam("kill-after", Duration.ofSeconds(40));
        boolean restart = Boolean.parseBoolean(param("restart", "true"));
        try (DrillPlatform p = DrillPlatform.start(r, 1, 2, DrillPlatform.Env.defaults())) {
            PlatformClient client = p.client();
            PlatformClient.Workspace ws = client.createWorkspace("drill executor-kill");
            client.connect(ws, "my-hubspot", HubSpotEmulator.PORTAL_ID);
            p.deploy(ws, WORKFLOW, DrillPlatform.drillWorkflow("contact-from-order-idempotent.js"), null);
            Duration joined = Poll.until(Duration.ofMinutes(3), Duration.ofMillis(500), () -> {
                Map<String, List<Integer>> a = p.assignment(GROUP, DrillPlatform.ORDERS_TOPIC);
                return a.size() == 2 && a.values().stream().noneMatch(List::isEmpty)
                        && a.values().stream().mapToInt(List::size).sum() == 3;
            });
            if (joined == null) {
                throw new IllegalStateException("the two executors did not share the trigger topic: " + p.assignment(GROUP, DrillPlatform.ORDERS_TOPIC));
            }
            Map<String, List<Integer>> before = p.assignment(GROUP, DrillPlatform.ORDERS_TOPIC);
            r.measure("trigger partitions per replica before", "%s", before.values());

            try (RunLedger ledger = new RunLedger(p.bootstrap()); Orders out = new Orders(p.bootstrap(), ws.id());
                    Orders.Load load = out.steady("Kill", orders, rate, Orders.shops(12), r)) {
                r.log("publishing %d orders at %.1f/s; kill -9 of workflow-executor-0 in %d s", orders, rate, killAfter.toSeconds());
                Poll.hold(killAfter);
                before = p.assignment(GROUP, DrillPlatform.ORDERS_TOPIC);
                Instant killedAt = Instant.now();
                int publishedAtKill = load.published().size();
                p.platform().kill(PlatformUnderTest.EXECUTOR, 0);
                r.log("killed workflow-executor-0 with SIGKILL after %d orders were published", publishedAtKill);
                Duration takeover = Poll.until(Duration.ofMinutes(3), Duration.ofMillis(250), () -> {
                    Map<String, List<Integer>> a = p.assignment(GROUP, DrillPlatform.ORDERS_TOPIC);
                    return a.size() == 1 && a.values().iterator().next().size() == 3;
                });
                Map<String, List<Integer>> after = p.assignment(GROUP, DrillPlatform.ORDERS_TOPIC);
                Set<Integer> victim = new HashSet<>();
                before.forEach((member, parts) -> {
                    if (!after.containsKey(member)) {
                        victim.addAll(parts);
                    }
                });
                r.measure("partitions of the killed replica", "%s", victim);
                r.measure("kill -9 to survivor owning all partitions", "%s (the group's session timeout: 10 s unless KAFKA_SESSION_TIMEOUT_MS says otherwise)",
                        Poll.seconds(takeover));

                load.await(Duration.ofSeconds((long) (orders / rate) + 180));
                List<Orders.Published> published = load.published();
                List<String> triggers = published.stream().map(Orders.Published::coordinates).toList();
                Set<String> open = ledger.awaitFinals(WORKFLOW, triggers, Duration.ofMinutes(6), r);

                // ---------------------------------------------------------------- what happened to each order
                Map<String, List<RunEvent>> byTrigger = ledger.byTrigger(WORKFLOW);
                int duplicateOrders = 0;
                int extraRuns = 0;
                int succeededTwice = 0;
                int secondDeliverySawContact = 0;
                int cutByKill = 0;
                int deadLettered = 0;
                List<String> keyMismatch = new ArrayList<>();
                List<Long> latency = new ArrayList<>();
                long victimMax = 0;
                for (Orders.Published o : published) {
                    List<RunEvent> evs = byTrigger.getOrDefault(o.coordinates(), List.of());
                    Map<String, List<RunEvent>> byRun = evs.stream().collect(Collectors.groupingBy(RunEvent::runId));
                    if (byRun.size() > 1) {
                        duplicateOrders++;
                        extraRuns += byRun.size() - 1;
                    }
                    Set<String> keys = evs.stream().map(RunEvent::idempotencyKey).collect(Collectors.toSet());
                    if (!keys.isEmpty() && !keys.equals(Set.of(o.order().webhookId()))) {
                        keyMismatch.add(o.order().name() + " " + keys);
                    }
                    if (evs.stream().filter(e -> e.type() == RunEvent.Type.SUCCEEDED).count() > 1) {
                        succeededTwice++;
                    }
                    if (evs.stream().anyMatch(e -> e.type() == RunEvent.Type.SUCCEEDED
                            && e.httpCalls().stream().anyMatch(c -> c.status() == 409))) {
                        secondDeliverySawContact++;
                    }
                    if (evs.stream().anyMatch(e -> e.type() == RunEvent.Type.DEAD_LETTERED)) {
                        deadLettered++;
                    }
                    for (List<RunEvent> run : byRun.values()) {
                        if (run.stream().allMatch(e -> e.type() == RunEvent.Type.STARTED)) {
                            cutByKill++;
                        }
                    }
                    evs.stream().filter(RunLedger::isFinal).map(RunEvent::occurredAt).min(Instant::compareTo).ifPresent(t -> {
                        latency.add(Duration.between(o.sent(), t).toMillis());
                    });
                    if (victim.contains(o.partition()) && !o.sent().isBefore(killedAt.minusSeconds(10))) {
                        long ms = evs.stream().filter(RunLedger::isFinal).map(RunEvent::occurredAt).min(Instant::compareTo)
                                .map(t -> Duration.between(o.sent(), t).toMillis()).orElse(-1L);
                        victimMax = Math.max(victimMax, ms);
                    }
                }
                r.measure("orders published (acknowledged)", "%d (%d publish retries)", published.size(), load.failures());
                r.measure("orders with a final run event", "%d succeeded or dead-lettered of %d (%d dead-lettered)",
                        published.size() - open.size(), published.size(), deadLettered);
                r.measure("orders that ran more than once", "%d (%d extra runs)", duplicateOrders, extraRuns);
                r.measure("orders that succeeded twice", "%d (%d of them found the contact already there: HubSpot 409)",
                        succeededTwice, secondDeliverySawContact);
                r.measure("runs cut off by the kill", "%d (started, never finished on the dead replica)", cutByKill);
                r.measure("trigger-to-final latency", "p50 %d ms, p99 %d ms, max %d ms", RunLedger.percentile(latency, 50),
                        RunLedger.percentile(latency, 99), RunLedger.percentile(latency, 100));
                r.measure("max latency, killed replica's partitions", "%d ms (orders that arrived from 10 s before the kill on)", victimMax);

                String survivor = p.metrics(p.service(PlatformUnderTest.EXECUTOR, 1));
                r.measure("survivor jsw_runs_duplicates_total", "%.0f (dropped in-memory as duplicates)",
                        Metrics.sum(survivor, "jsw_runs_duplicates_total"));
                r.measure("survivor jsw_runs_total", "succeeded %.0f, crashed %.0f, retry_scheduled %.0f, dead_lettered %.0f",
                        zero(Metrics.sum(survivor, "jsw_runs_total", Map.of("outcome", "succeeded"))),
                        zero(Metrics.sum(survivor, "jsw_runs_total", Map.of("outcome", "crashed"))),
                        zero(Metrics.sum(survivor, "jsw_runs_total", Map.of("outcome", "retry_scheduled"))),
                        zero(Metrics.sum(survivor, "jsw_runs_total", Map.of("outcome", "dead_lettered"))));

                HubSpotEmulator hubspot = p.platform().emulator();
                int missingContacts = 0;
                int doubleContacts = 0;
                for (Orders.Published o : published) {
                    int n = hubspot.searchObjects("contacts", "email", o.order().email()).size();
                    if (n == 0) {
                        missingContacts++;
                    } else if (n > 1) {
                        doubleContacts++;
                    }
                }
                r.measure("contacts at the emulator", "%d orders without one, %d with more than one", missingContacts, doubleContacts);

                r.check("0 trigger events without a final run event", open.isEmpty(), "%d of %d without%s", open.size(),
                        published.size(), open.isEmpty() ? "" : ": " + open.stream().limit(5).toList());
                r.check("every run of an order carries the order's idempotency key", keyMismatch.isEmpty(),
                        "%d orders with runs under another key%s", keyMismatch.size(),
                        keyMismatch.isEmpty() ? "" : ": " + keyMismatch.stream().limit(3).toList());
                r.check("duplicates counted", true, "%d orders ran twice or more, %d extra runs", duplicateOrders, extraRuns);
                r.check("the survivor took every trigger partition", takeover != null, "after %s", Poll.seconds(takeover));
                r.check("each order's side effect exists exactly once", missingContacts == 0 && doubleContacts == 0,
                        "%d missing, %d doubled", missingContacts, doubleContacts);
            }

            if (restart) {
                long t0 = System.nanoTime();
                p.platform().restart(PlatformUnderTest.EXECUTOR, 0);
                Duration rejoined = Poll.until(Duration.ofMinutes(2), Duration.ofMillis(500),
                        () -> p.assignment(GROUP, DrillPlatform.ORDERS_TOPIC).size() == 2);
                r.measure("restart of the killed replica to ready", "%.1f s; back in the trigger group %s later",
                        (System.nanoTime() - t0) / 1e9, Poll.seconds(rejoined));
            }
            r.measure("processes at the end", "%s", p.processes());
        }
    }

    private static double zero(double v) {
        return Double.isNaN(v) ? 0 : v;
    }
}
