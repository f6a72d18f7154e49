package io.jsworkflows.e2e.drills;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;

import io.jsworkflows.contracts.Topics;
import io.jsworkflows.contracts.events.ConnectionEvent;
import io.jsworkflows.contracts.events.DeadLetter;
import io.jsworkflows.contracts.events.RunEvent;
import io.jsworkflows.contracts.events.TokenState;
import io.jsworkflows.contracts.json.ContractsJson;
import io.jsworkflows.e2e.platform.PlatformClient;
import io.jsworkflows.e2e.platform.PlatformUnderTest;
import io.jsworkflows.e2e.platform.TopicRecorder;
import io.jsworkflows.testsupport.HubSpotEmulator;

/**
 * Drill 4: for two minutes under steady load, 20 % of all HubSpot requests (CRM and the token endpoint) fail: 5 %
 * TCP resets and 15 % error answers whose status rotates every 10 s through 500, 503 and 429 (the emulator applies one
 * rule per request, so the mix is made by rotation). Every order must end succeeded, or dead-lettered with its
 * reasons on jsw.runs.dlq; none may be lost. The workflow's retry policy is the examples' own (5 attempts, 10 s ×4).
 */
public final class EmulatorFaultsDrill extends Drill {

    public EmulatorFaultsDrill(Map<String, String> params) {
        super(params);
    }

    public static void main(String[] args) {
        Drills.main(ExecutorKillDrill.prepend("emulator-faults", args));
    }

    @Override
    public String name() {
        return "emulator-faults";
    }

    @Override
    public String title() {
        return "HubSpot (emulator) faults 20 % (500/503/429/resets) for 2 minutes under load";
    }

    @Override
    public String criterion() {
        return "every run succeeds or is in jsw.runs.dlq with its reasons; 0 lost";
    }

    @Override
    public void run(Report r) throws Exception {
        double rate = doubleParam("rate", 5);
        Duration before = durationParam("before", Duration.ofSeconds(20));
        Duration faultFor = durationParam("faults", Duration.ofMinutes(2));
        Duration after = durationParam("after", Duration.ofSeconds(20));
        double share = doubleParam("share", 0.2);
        double resetShare = doubleParam("reset-share", 0.05);
        Duration lifetime = durationParam("lifetime", Duration.ofSeconds(60));
        DrillPlatform.Env env = DrillPlatform.Env.defaults()
                .emulator(Map.of("EMULATOR_OAUTH_ACCESS_TOKEN_LIFETIME", lifetime.toSeconds() + "s"))
                .refresher(Map.of("JSW_REFRESHER_LEAD", lifetime.dividedBy(2).toString(), "JSW_REFRESHER_JITTER", "PT5S"));
        int orders = (int) (rate * (before.plus(faultFor).plus(after)).toSeconds());
        try (DrillPlatform p = DrillPlatform.start(r, 1, 1, env)) {
            PlatformClient client = p.client();
            PlatformClient.Workspace ws = client.createWorkspace("drill emulator-faults");
            String connectionId = client.connect(ws, "my-hubspot", HubSpotEmulator.PORTAL_ID).path("id").asText();
            p.deploy(ws, ExecutorKillDrill.WORKFLOW, DrillPlatform.drillWorkflow("contact-from-order-idempotent.js"), null);
            Poll.until(Duration.ofMinutes(1), Duration.ofMillis(500),
                    () -> !p.assignment(ExecutorKillDrill.GROUP, DrillPlatform.ORDERS_TOPIC).isEmpty());
            HubSpotEmulator hubspot = p.platform().emulator();

            try (RunLedger ledger = new RunLedger(p.bootstrap()); Orders out = new Orders(p.bootstrap(), ws.id());
                    TopicRecorder<TokenState> tokens = TopicRecorder.fromBeginning(p.bootstrap(), Topics.CONNECTION_TOKENS,
                            v -> ContractsJson.read(v, TokenState.class));
                    TopicRecorder<ConnectionEvent> events = TopicRecorder.fromNow(p.bootstrap(), Topics.CONNECTION_EVENTS,
                            v -> ContractsJson.read(v, ConnectionEvent.class));
                    Orders.Load load = out.steady("Fault", orders, rate, Orders.shops(6), r)) {
                Instant loadStart = Instant.now();
                r.log("publishing %d orders at %.1f/s; faults from +%d s for %d s", orders, rate, before.toSeconds(), faultFor.toSeconds());
                Poll.hold(before);

                // ---------------------------------------------------------------- two minutes of faults
                Map<String, Long> requestsBefore = requests(p);
                double errorRate = (share - resetShare) / (1 - resetShare);
                int[] statuses = {500, 503, 429};
                Instant faultStart = Instant.now();
                Instant faultEnd = faultStart.plus(faultFor);
                String rule = null;
                int turn = 0;
                AtomicBoolean first = new AtomicBoolean(true);
                while (Instant.now().isBefore(faultEnd)) {
                    int status = statuses[turn++ % statuses.length];
                    String next = hubspot.injectFault(HubSpotEmulator.Fault.on("/*").status(status).errorRate(errorRate).reset(resetShare));
                    if (rule != null) {
                        hubspot.removeFault(rule);
                    }
                    rule = next;
                    if (first.getAndSet(false)) {
                        r.log("faults on: %.0f %% resets, %.1f %% errors (status rotating %s every 10 s)", resetShare * 100,
                                errorRate * (1 - resetShare) * 100, java.util.Arrays.toString(statuses));
                    }
                    Duration left = Duration.between(Instant.now(), faultEnd);
                    Poll.hold(left.compareTo(Duration.ofSeconds(10)) < 0 ? left.isNegative() ? Duration.ZERO : left : Duration.ofSeconds(10));
                }
                hubspot.clearFaults();
                r.log("faults off");
                Map<String, Long> requestsAfter = requests(p);

                load.await(after.plusMinutes(3));
                List<Orders.Published> published = load.published();
                List<String> triggers = published.stream().map(Orders.Published::coordinates).toList();
                Set<String> open = ledger.awaitFinals(ExecutorKillDrill.WORKFLOW, triggers, Duration.ofMinutes(14), r);
                Instant end = Instant.now();

                // ---------------------------------------------------------------- analysis
                Map<String, Long> answers = new TreeMap<>();
                long total = 0;
                for (var en : requestsAfter.entrySet()) {
                    long n = en.getValue() - requestsBefore.getOrDefault(en.getKey(), 0L);
                    if (n > 0) {
                        String status = en.getKey().substring(en.getKey().lastIndexOf(' ') + 1);
                        answers.merge(status.equals("0") ? "reset" : status, n, Long::sum);
                        total += n;
                    }
                }
                long failed = answers.entrySet().stream().filter(e -> !e.getKey().startsWith("2") && !e.getKey().equals("409"))
                        .mapToLong(Map.Entry::getValue).sum();

                Map<String, List<RunEvent>> byTrigger = ledger.byTrigger(ExecutorKillDrill.WORKFLOW);
                Map<String, List<DeadLetter>> dlq = ledger.deadLettersByTrigger();
                Map<String, Integer> outcome = new TreeMap<>();
                Map<Integer, Integer> attempts = new TreeMap<>();
                Map<String, Integer> categories = new TreeMap<>();
                int withoutReasons = 0;
                int missingContacts = 0;
                int doubleContacts = 0;
                for (Orders.Published o : published) {
                    List<RunEvent> evs = byTrigger.getOrDefault(o.coordinates(), List.of());
                    RunEvent fin = evs.stream().filter(RunLedger::isFinal).findFirst().orElse(null);
                    outcome.merge(fin == null ? "no final event" : fin.type().label(), 1, Integer::sum);
                    if (fin == null) {
                        continue;
                    }
                    attempts.merge(evs.stream().mapToInt(RunEvent::attempt).max().orElse(0), 1, Integer::sum);
                    if (fin.type() == RunEvent.Type.DEAD_LETTERED) {
                        List<DeadLetter> d = dlq.getOrDefault(o.coordinates(), List.of());
                        boolean reasons = !d.isEmpty() && d.getFirst().reason() != null && !d.getFirst().reason().isBlank()
                                && !d.getFirst().attempts().isEmpty();
                        if (!reasons) {
                            withoutReasons++;
                        } else {
                            d.getFirst().attempts().forEach(a -> categories.merge(a.category(), 1, Integer::sum));
                        }
                    } else {
                        int n = hubspot.searchObjects("contacts", "email", o.order().email()).size();
                        if (n == 0) {
                            missingContacts++;
                        } else if (n > 1) {
                            doubleContacts++;
                        }
                    }
                }
                Map<String, Integer> failedRuns = new TreeMap<>();
                for (RunEvent e : ledger.events()) {
                    if (e.type() == RunEvent.Type.FAILED && ExecutorKillDrill.WORKFLOW.equals(e.workflowId()) && e.error() != null) {
                        failedRuns.merge(shortReason(e.error()), 1, Integer::sum);
                    }
                }
                TokenChains.Result chains = TokenChains.analyse(tokens.values(), Set.of(connectionId), loadStart, end);
                Map<ConnectionEvent.Type, Long> health = new TreeMap<>();
                events.values().forEach(e -> health.merge(e.type(), 1L, Long::sum));
                String exec = p.metrics(p.service(PlatformUnderTest.EXECUTOR, 0));

                r.measure("HubSpot answers during the fault window", "%d requests: %s; failing share %.1f %%", total, answers,
                        total == 0 ? 0.0 : 100.0 * failed / total);
                r.measure("orders published (acknowledged)", "%d", published.size());
                r.measure("final outcome per order", "%s", outcome);
                r.measure("attempts per finished order", "%s", attempts);
                r.measure("failed attempts by error", "%s", failedRuns);
                r.measure("dead letters: attempt error categories", "%s", categories.isEmpty() ? "none" : categories);
                r.measure("executor jsw_hubspot_429_total", "%.0f", Metrics.sum(exec, "jsw_hubspot_429_total"));
                r.measure("token chain of my-hubspot", "%s", chains);
                r.measure("connection events", "%s", health.isEmpty() ? "none" : health);
                r.measure("processes at the end", "%s", p.processes());

                r.check("faults were injected at about the share asked", total > 0 && Math.abs((double) failed / total - share) < 0.08,
                        "%.1f %% of %d HubSpot requests failed", total == 0 ? 0.0 : 100.0 * failed / total, total);
                r.check("0 lost: every order has a final run event", open.isEmpty(), "%d of %d without%s", open.size(), published.size(),
                        open.isEmpty() ? "" : ": " + open.stream().limit(5).toList());
                r.check("every dead-lettered run is in jsw.runs.dlq with its reasons", withoutReasons == 0, "%d without",
                        withoutReasons);
                r.check("every succeeded order's contact exists exactly once", missingContacts == 0 && doubleContacts == 0,
                        "%d missing, %d doubled", missingContacts, doubleContacts);
            }
        }
    }

    /** The request counters of the emulator as "METHOD path status" → count. */
    static Map<String, Long> requests(DrillPlatform p) {
        Map<String, Long> out = new HashMap<>();
        JsonNode list = p.client().http().expect("reading the emulator's counters", "GET", p.platform().emulatorUrl() + "/_emulator/requests",
                null, null).json();
        for (JsonNode n : list) {
            out.merge(n.path("method").asText() + " " + n.path("path").asText() + " " + n.path("status").asInt(),
                    n.path("count").asLong(), Long::sum);
        }
        return out;
    }

    /** An error message without what differs per run (bodies, ids, emails, long numbers), to count errors by kind. */
    static String shortReason(String error) {
        String s = error;
        int body = s.indexOf(": {");
        if (body > 0) {
            s = s.substring(0, body); // "HubSpot answered 503: {...}" -> "HubSpot answered 503"
        }
        s = s.replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<id>").replaceAll("[\\w.+-]+@[\\w.-]+", "<email>")
                .replaceAll("\\d{4,}", "N");
        return s.length() > 100 ? s.substring(0, 100) + "..." : s;
    }
}
