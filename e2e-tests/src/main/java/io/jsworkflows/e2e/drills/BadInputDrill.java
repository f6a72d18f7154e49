package io.jsworkflows.e2e.drills;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.producer.RecordMetadata;

import com.fasterxml.jackson.databind.JsonNode;

import io.jsworkflows.contracts.events.DeadLetter;
import io.jsworkflows.contracts.events.RunEvent;
import io.jsworkflows.e2e.platform.PlatformClient;
import io.jsworkflows.e2e.platform.PlatformUnderTest;
import io.jsworkflows.localstack.client.Http;
import io.jsworkflows.localstack.stack.ManagedService;
import io.jsworkflows.testsupport.HubSpotEmulator;

/**
 * Drill 5: bad input from outside. (a) 1,000 malformed, oversized or odd records mixed with 200 valid orders on the
 * trigger topic; (b) forged OAuth callbacks at connections-service (missing, unknown, another workspace's, used and
 * expired states, a replayed code, a denial, garbage); (c) missing and invalid API keys, and other workspaces' keys, on
 * the connections and workflows APIs; (d) records at the edge of Kafka's size limit. Expected: malformed records in
 * jsw.runs.dlq with a reason, 4xx problem+json answers, no process dies or restarts, every valid order succeeds.
 *
 * <p>Longer than a class should be: it is a catalogue of bad inputs, each a few lines, read top to bottom as the
 * drill's report lists them; splitting it by kind would scatter that list over files without giving any part one job.
 */
public final class BadInputDrill extends Drill {

    static final String WORKFLOW = "contact-from-order";

    /** What the platform should do with a bad record. */
    enum Expect { MALFORMED, RUN, IGNORED, DUPLICATE }

    record Bad(String kind, Expect expect, String key, byte[] value, Map<String, byte[]> headers) {
    }

    record Sent(Bad bad, String coordinates, Instant at) {
    }

    public BadInputDrill(Map<String, String> params) {
        super(params);
    }

    public static void main(String[] args) {
        Drills.main(ExecutorKillDrill.prepend("bad-input", args));
    }

    @Override
    public String name() {
        return "bad-input";
    }

    @Override
    public String title() {
        return "bad input: malformed/oversized trigger records, forged OAuth callbacks, invalid API keys";
    }

    @Override
    public String criterion() {
        return "clear 4xx problem+json answers and DLQ records with reasons; no crash loop; no lost valid event";
    }

    @Override
    public void run(Report r) throws Exception {
        int badCount = intParam("bad", 1000);
        int validCount = intParam("valid", 200);
        int recordLimit = intParam("record-limit", 262_144);
        Duration stateTtl = durationParam("state-ttl", Duration.ofSeconds(20));
        DrillPlatform.Env env = DrillPlatform.Env.defaults()
                .connections(Map.of("JSW_CONNECTIONS_OAUTH_STATE_TTL", stateTtl.toString()))
                .executor(Map.of("JSW_EXECUTOR_LIMITS_TRIGGER_RECORD_BYTES", Integer.toString(recordLimit)));
        r.measure("executor trigger-record limit / OAuth state TTL", "%d bytes / %d s (lowered so that oversized records and "
                + "expired states are cheap to make)", recordLimit, stateTtl.toSeconds());
        try (DrillPlatform p = DrillPlatform.start(r, 1, 1, env)) {
            PlatformClient client = p.client();
            PlatformClient.Workspace a = client.createWorkspace("drill bad-input A");
            PlatformClient.Workspace b = client.createWorkspace("drill bad-input B");
            client.connect(a, "my-hubspot", HubSpotEmulator.PORTAL_ID);
            // the example unmodified, with a short retry policy so that runs that throw reach the DLQ within seconds
            p.deploy(a, WORKFLOW, DrillPlatform.exampleWorkflow(WORKFLOW),
                    Map.of("maxAttempts", 3, "initialBackoff", "PT2S", "maxBackoff", "PT10S", "multiplier", 2.0));
            Poll.until(Duration.ofMinutes(1), Duration.ofMillis(500),
                    () -> !p.assignment(ExecutorKillDrill.GROUP, DrillPlatform.ORDERS_TOPIC).isEmpty());
            ManagedService executor = p.service(PlatformUnderTest.EXECUTOR, 0);
            double duplicatesBefore = zero(Metrics.sum(p.metrics(executor), "jsw_runs_duplicates_total"));

            try (RunLedger ledger = new RunLedger(p.bootstrap()); Orders out = new Orders(p.bootstrap(), a.id())) {
                triggerTopic(r, p, ledger, out, badCount, validCount, recordLimit, duplicatesBefore);
                oauthCallbacks(r, p, client, a, b, stateTtl);
                apiKeys(r, p, client, a, b);
                sizeEdge(r, p, ledger, out);
            }

            Map<String, Long> errors = new TreeMap<>();
            Map<String, Integer> ready = new TreeMap<>();
            for (ManagedService s : p.services()) {
                errors.put(s.name(), p.logLines(s, " ERROR "));
                ready.put(s.name(), p.readiness(s));
            }
            r.measure("ERROR lines in the service logs", "%s", errors);
            r.measure("processes at the end", "%s", p.processes());
            r.check("no crash loop: every process alive, none restarted, all ready", p.deadOrRestarted().isEmpty()
                    && ready.values().stream().allMatch(s -> s == 200), "dead or restarted: %s; readiness %s", p.deadOrRestarted(), ready);
        }
    }

    // ==================================================================== (a) the trigger topic

    private void triggerTopic(Report r, DrillPlatform p, RunLedger ledger, Orders out, int badCount, int validCount, int limit,
            double duplicatesBefore) throws Exception {
        List<String> shops = Orders.shops(12);
        List<Bad> bad = badRecords(out, badCount, limit, shops);
        List<CompletableFuture<Sent>> badAcks = new ArrayList<>();
        List<CompletableFuture<Orders.Published>> validAcks = new ArrayList<>();
        int every = Math.max(1, badCount / Math.max(1, validCount));
        int v = 0;
        long t0 = System.nanoTime();
        for (int i = 0; i < bad.size(); i++) {
            Bad x = bad.get(i);
            Instant at = Instant.now();
            badAcks.add(out.sendRaw(DrillPlatform.ORDERS_TOPIC, x.key(), x.value(), x.headers())
                    .thenApply(md -> new Sent(x, coordinates(md), at)));
            if (i % every == every - 1 && v < validCount) {
                PlatformClient.Order o = PlatformClient.order("Valid", ++v);
                validAcks.add(out.publish(o, shops.get(v % shops.size())));
            }
        }
        while (v < validCount) {
            PlatformClient.Order o = PlatformClient.order("Valid", ++v);
            validAcks.add(out.publish(o, shops.get(v % shops.size())));
        }
        out.flush();
        List<Sent> sent = new ArrayList<>();
        Map<String, Integer> rejected = new TreeMap<>();
        for (CompletableFuture<Sent> f : badAcks) {
            try {
                sent.add(f.get(2, TimeUnit.MINUTES));
            } catch (java.util.concurrent.ExecutionException e) {
                rejected.merge(e.getCause().getClass().getSimpleName(), 1, Integer::sum);
            }
        }
        List<Orders.Published> valid = new ArrayList<>();
        for (CompletableFuture<Orders.Published> f : validAcks) {
            valid.add(f.get(2, TimeUnit.MINUTES));
        }
        Map<String, Long> kinds = sent.stream().collect(Collectors.groupingBy(s -> s.bad().kind(), TreeMap::new, Collectors.counting()));
        r.measure("bad records on the trigger topic", "%d in %.1f s, with %d valid orders between them; kinds %s%s", sent.size(),
                (System.nanoTime() - t0) / 1e9, valid.size(), kinds, rejected.isEmpty() ? "" : "; refused by Kafka: " + rejected);

        List<Sent> malformed = sent.stream().filter(s -> s.bad().expect() == Expect.MALFORMED).toList();
        List<Sent> runs = sent.stream().filter(s -> s.bad().expect() == Expect.RUN).toList();
        List<String> mustFinish = new ArrayList<>();
        malformed.forEach(s -> mustFinish.add(s.coordinates()));
        runs.forEach(s -> mustFinish.add(s.coordinates()));
        valid.forEach(o -> mustFinish.add(o.coordinates()));
        Set<String> open = ledger.awaitFinals(WORKFLOW, mustFinish, Duration.ofMinutes(6), r);

        Map<String, List<RunEvent>> byTrigger = ledger.byTrigger(WORKFLOW);
        Map<String, List<DeadLetter>> dlq = ledger.deadLettersByTrigger();
        // malformed: dead-lettered at once with MALFORMED_RECORD and a reason
        int malformedOk = 0;
        List<Long> toDlq = new ArrayList<>();
        Map<String, Integer> reasons = new TreeMap<>();
        Map<String, String> firstReason = new TreeMap<>();
        List<String> malformedWrong = new ArrayList<>();
        for (Sent s : malformed) {
            List<DeadLetter> d = dlq.getOrDefault(s.coordinates(), List.of());
            boolean ok = d.size() == 1 && d.getFirst().reason() != null && !d.getFirst().reason().isBlank()
                    && d.getFirst().attempts().size() == 1 && "MALFORMED_RECORD".equals(d.getFirst().attempts().getFirst().category());
            if (ok) {
                malformedOk++;
                toDlq.add(Duration.between(s.at(), d.getFirst().deadLetteredAt()).toMillis());
                reasons.merge(s.bad().kind(), 1, Integer::sum);
                firstReason.putIfAbsent(s.bad().kind(), d.getFirst().reason());
            } else if (malformedWrong.size() < 5) {
                malformedWrong.add(s.bad().kind() + "@" + s.coordinates() + " dlq=" + d.size());
            }
        }
        r.measure("malformed records dead-lettered as MALFORMED_RECORD", "%d of %d; publish to DLQ p50 %d ms, max %d ms", malformedOk,
                malformed.size(), RunLedger.percentile(toDlq, 50), RunLedger.percentile(toDlq, 100));
        reasons.forEach((kind, n) -> r.measure("  DLQ reason, " + kind + " (" + n + ")", "%s", firstReason.get(kind)));

        // odd but parseable records run the workflow: succeeded, or dead-lettered with the workflow's error
        Map<String, Map<String, Integer>> runOutcome = new TreeMap<>();
        int runsOk = 0;
        for (Sent s : runs) {
            List<RunEvent> evs = byTrigger.getOrDefault(s.coordinates(), List.of());
            RunEvent fin = evs.stream().filter(RunLedger::isFinal).findFirst().orElse(null);
            String label = fin == null ? "no final event" : fin.type().label();
            if (fin != null && fin.type() == RunEvent.Type.DEAD_LETTERED) {
                List<DeadLetter> d = dlq.getOrDefault(s.coordinates(), List.of());
                if (d.isEmpty() || d.getFirst().reason() == null || d.getFirst().reason().isBlank()) {
                    label = "dead-lettered WITHOUT a DLQ reason";
                } else {
                    runsOk++;
                }
            } else if (fin != null) {
                runsOk++;
            }
            runOutcome.computeIfAbsent(s.bad().kind(), k -> new TreeMap<>()).merge(label, 1, Integer::sum);
        }
        r.measure("odd but parseable records (workflow ran)", "%s", runOutcome);
        String nullError = ledger.deadLetters().stream().filter(d -> d.original() != null && "null".equals(d.original().value()))
                .map(DeadLetter::reason).findFirst().orElse("none");
        r.measure("DLQ reason of a 'null' order", "%s", nullError);

        // ignored (no binding matches) and duplicates: consumed (later records of their partitions finished) but never run
        List<Sent> silent = sent.stream().filter(s -> s.bad().expect() == Expect.IGNORED || s.bad().expect() == Expect.DUPLICATE).toList();
        long ranSilent = silent.stream().filter(s -> byTrigger.containsKey(s.coordinates())).count();
        double duplicates = zero(Metrics.sum(p.metrics(p.service(PlatformUnderTest.EXECUTOR, 0)), "jsw_runs_duplicates_total")) - duplicatesBefore;
        long dupSent = sent.stream().filter(s -> s.bad().expect() == Expect.DUPLICATE).count();
        r.measure("records no binding matches / duplicate webhook ids", "%d / %d sent; %d of them ran; executor counted %.0f duplicates",
                silent.size() - dupSent, dupSent, ranSilent, duplicates);

        // valid orders: every one succeeded and its contact exists
        HubSpotEmulator hubspot = p.platform().emulator();
        int validOk = 0;
        for (Orders.Published o : valid) {
            boolean ok = byTrigger.getOrDefault(o.coordinates(), List.of()).stream().anyMatch(e -> e.type() == RunEvent.Type.SUCCEEDED)
                    && hubspot.searchObjects("contacts", "email", o.order().email()).size() == 1;
            if (ok) {
                validOk++;
            }
        }
        r.measure("valid orders among them", "%d of %d succeeded with their contact", validOk, valid.size());

        r.check("every malformed/oversized record is in the DLQ with its reason", malformedOk == malformed.size(),
                "%d of %d%s", malformedOk, malformed.size(), malformedWrong.isEmpty() ? "" : "; e.g. " + malformedWrong);
        r.check("every odd but parseable record ended (succeeded, or DLQ with reason)", runsOk == runs.size(), "%d of %d", runsOk,
                runs.size());
        r.check("unmatched and duplicate records never ran", ranSilent == 0 && duplicates >= dupSent, "%d ran; %.0f of %d duplicates counted",
                ranSilent, duplicates, dupSent);
        r.check("no lost valid order among the bad records", validOk == valid.size() && open.stream().noneMatch(
                c -> valid.stream().anyMatch(o -> o.coordinates().equals(c))), "%d of %d succeeded", validOk, valid.size());
    }

    /** The bad records, in cycles of 20 kinds; every record of one cycle has the same key, so they stay in order. */
    private static List<Bad> badRecords(Orders out, int count, int limit, List<String> shops) {
        Random random = new Random(42);
        List<Bad> list = new ArrayList<>();
        String lastNotJsonId = null;
        for (int i = 0; i < count; i++) {
            int kind = i % 20;
            int cycle = i / 20;
            String key = shops.get(cycle % shops.size());
            PlatformClient.Order order = PlatformClient.order("Bad", i);
            Map<String, String> h = new LinkedHashMap<>(PlatformClient.shopifyHeaders(order));
            byte[] valid = out.bytes(order);
            Bad b = switch (kind) {
                case 0 -> new Bad("not-json", Expect.MALFORMED, key, utf8("<html><body>order " + i + " is not JSON</body></html>"), raw(h));
                case 1 -> new Bad("truncated-json", Expect.MALFORMED, key, java.util.Arrays.copyOf(valid, valid.length / 2), raw(h));
                case 2 -> new Bad("empty-value", Expect.MALFORMED, key, new byte[0], raw(h));
                case 3 -> new Bad("tombstone", Expect.MALFORMED, key, null, raw(h));
                case 4 -> new Bad("nested-200-deep", Expect.MALFORMED, key, utf8("[".repeat(200) + "]".repeat(200)), raw(h));
                case 5 -> new Bad("two-documents", Expect.MALFORMED, key, utf8("{\"a\":1} {\"b\":2}"), raw(h));
                case 6 -> {
                    byte[] bytes = new byte[1500];
                    random.nextBytes(bytes);
                    bytes[0] = (byte) 0xFF; // never a valid JSON start
                    yield new Bad("binary", Expect.MALFORMED, key, bytes, raw(h));
                }
                case 7 -> {
                    byte[] ctl = new byte[32];
                    for (int c = 0; c < 32; c++) {
                        ctl[c] = (byte) c;
                    }
                    yield new Bad("raw-control-bytes", Expect.MALFORMED, key, concat(utf8("{\"note\":\""), ctl, utf8("\"}")), raw(h));
                }
                case 8 -> new Bad("oversized", Expect.MALFORMED, key,
                        utf8("{\"note\":\"" + "x".repeat(limit + 40_000 + random.nextInt(10_000)) + "\"}"), raw(h));
                case 9 -> new Bad("invalid-utf8-in-json", Expect.RUN, key,
                        concat(utf8("{\"name\":\""), new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF}, utf8("\"}")), raw(h));
                case 10 -> new Bad("json-null", Expect.RUN, key, utf8("null"), raw(h));
                case 11 -> new Bad("json-array", Expect.RUN, key, utf8("[1,2,3]"), raw(h));
                case 12 -> {
                    // the webhook id of this cycle's not-json record again: Shopify redelivering, or a replay attack
                    h.put("X-Shopify-Webhook-Id", lastNotJsonId);
                    yield new Bad("duplicate-webhook-id", Expect.DUPLICATE, key, utf8("{}"), raw(h));
                }
                case 13 -> new Bad("json-string", Expect.RUN, key, utf8("\"an order\""), raw(h));
                case 14 -> new Bad("empty-object", Expect.RUN, key, utf8("{}"), raw(h));
                case 15 -> new Bad("wrong-types", Expect.RUN, key, utf8("{\"name\":{\"x\":1},\"customer\":\"nobody\",\"email\":12345}"), raw(h));
                case 16 -> {
                    h.remove("X-Shopify-Webhook-Id");
                    yield new Bad("no-webhook-id", Expect.RUN, key, valid, raw(h));
                }
                case 17 -> {
                    h.put("X-Shopify-Note", "n".repeat(64 * 1024));
                    yield new Bad("64k-header", Expect.RUN, key, utf8("{}"), raw(h));
                }
                case 18 -> {
                    h.remove("X-Shopify-Topic");
                    yield new Bad("no-topic-header", Expect.IGNORED, key, valid, raw(h));
                }
                default -> {
                    h.put("X-Shopify-Topic", "orders/updated");
                    yield new Bad("other-shopify-topic", Expect.IGNORED, key, valid, raw(h));
                }
            };
            if (kind == 0) {
                lastNotJsonId = h.get("X-Shopify-Webhook-Id");
            }
            list.add(b);
        }
        return list;
    }

    // ==================================================================== (b) forged OAuth callbacks

    private void oauthCallbacks(Report r, DrillPlatform p, PlatformClient client, PlatformClient.Workspace a, PlatformClient.Workspace b,
            Duration stateTtl) throws Exception {
        Http http = client.http();
        HubSpotEmulator hubspot = p.platform().emulator();
        String callback = p.platform().connectionsUrl() + "/oauth/hubspot/callback";
        List<String> wrong = new ArrayList<>();
        Map<String, String> seen = new LinkedHashMap<>();

        expectProblem(seen, wrong, "missing state", callback(http, callback + "?code=abc", null, null), 400, "missing-state");
        expectProblem(seen, wrong, "forged state", callback(http, callback + "?state=" + random() + "&code=" + random(), null, null), 400,
                "invalid-state");

        // a real authorization, then the same redirect again; each flow starts at the platform's connect page, which
        // sets the one-time cookie that the callback needs together with the workspace's key
        JsonNode replay = create(client, p, a, "replay");
        Started replayStart = start(http, replay, a);
        String location = hubspot.grantConsent(replayStart.hubspotUrl(), HubSpotEmulator.PORTAL_ID);
        String code = HubSpotEmulator.queryParam(location, "code");
        expectProblem(seen, wrong, "genuine redirect without the initiator's cookie", callback(http, abs(replay, location), a.apiKey(), null),
                400, "invalid-state");
        Answer first = callback(http, abs(replay, location), a.apiKey(), replayStart.cookie());
        seen.put("genuine callback", first.status() + " " + jsonField(first, "status"));
        long grantVersion = client.connection(a, "replay").path("grantVersion").asLong();
        expectProblem(seen, wrong, "replayed callback (same state and code)", callback(http, abs(replay, location), a.apiKey(),
                replayStart.cookie()), 400, "state-used");

        // the used code with a fresh, valid state, in the browser that started that flow
        JsonNode second = create(client, p, a, "replay-two");
        Started secondStart = start(http, second, a);
        expectProblem(seen, wrong, "replayed code with a fresh state", callback(http, callback + "?state=" + enc(state(second)) + "&code="
                + enc(code), a.apiKey(), secondStart.cookie()), 400, "code-rejected");

        // a genuine redirect presented with another workspace's key, then by its owner
        JsonNode cross = create(client, p, a, "cross");
        Started crossStart = start(http, cross, a);
        String crossLocation = hubspot.grantConsent(crossStart.hubspotUrl(), HubSpotEmulator.PORTAL_ID);
        expectProblem(seen, wrong, "another workspace's state", callback(http, abs(cross, crossLocation), b.apiKey(), crossStart.cookie()),
                400, "invalid-state");
        Answer owner = callback(http, abs(cross, crossLocation), a.apiKey(), crossStart.cookie());
        seen.put("same redirect by its workspace", owner.status() + " " + jsonField(owner, "status"));
        if (owner.status() != 200) {
            wrong.add("the owner could not complete after a forged attempt: " + owner.status());
        }

        JsonNode denied = create(client, p, a, "denied");
        Started deniedStart = start(http, denied, a);
        expectProblem(seen, wrong, "error=access_denied", callback(http, callback + "?state=" + enc(state(denied))
                + "&error=access_denied&error_description=The+user+said+no", a.apiKey(), deniedStart.cookie()), 400, "authorization-denied");

        JsonNode late = create(client, p, a, "late");
        Started lateStart = start(http, late, a);
        String lateLocation = hubspot.grantConsent(lateStart.hubspotUrl(), HubSpotEmulator.PORTAL_ID);
        Poll.hold(stateTtl.plusSeconds(2)); // the state must outlive its TTL: that is the case under test
        expectProblem(seen, wrong, "expired state", callback(http, abs(late, lateLocation), a.apiKey(), lateStart.cookie()), 400,
                "state-expired");

        expectProblem(seen, wrong, "3 KB state", callback(http, callback + "?state=" + "s".repeat(3072) + "&code=x", null, null),
                400, "invalid-state");
        // longer than the HTTP server's request line limit (4 KB): refused before the application sees it
        Answer longLine = callback(http, callback + "?state=" + "s".repeat(8192) + "&code=x", null, null);
        seen.put("8 KB state (over the request-line limit)", longLine.status() + " " + (longLine.status() < 0 ? longLine.body() : ""));
        if (longLine.status() / 100 != 4) {
            wrong.add("8 KB state: " + longLine.status() + " " + longLine.body());
        }
        expectProblem(seen, wrong, "SQL in state", callback(http, callback + "?state=" + enc("' OR '1'='1' --") + "&code=x", null, null), 400,
                "invalid-state");
        expectProblem(seen, wrong, "control characters in state and code", callback(http, callback + "?state=%00%01%1b%7f&code=%00", null, null),
                400, "invalid-state");

        Map<String, String> statuses = new LinkedHashMap<>();
        for (String h : List.of("replay", "replay-two", "cross", "denied", "late")) {
            statuses.put(h, client.connection(a, h).path("status").asText());
        }
        boolean untouched = "ACTIVE".equals(statuses.get("replay")) && "PENDING".equals(statuses.get("replay-two"))
                && "ACTIVE".equals(statuses.get("cross")) && "PENDING".equals(statuses.get("denied")) && "PENDING".equals(statuses.get("late"))
                && client.connection(a, "replay").path("grantVersion").asLong() == grantVersion;

        // a flood of forged callbacks
        List<Long> millis = Collections.synchronizedList(new ArrayList<>());
        Map<Integer, Integer> floodStatus = Collections.synchronizedMap(new TreeMap<>());
        parallel(300, 4, i -> {
            long t0 = System.nanoTime();
            Answer x = callback(http, callback + "?state=" + random() + "&code=" + random(), null, null);
            millis.add((System.nanoTime() - t0) / 1_000_000);
            floodStatus.merge(x.status(), 1, Integer::sum);
        });

        r.measure("forged OAuth callbacks", "%s", seen);
        r.measure("connection statuses afterwards", "%s (replay keeps grant version %d)", statuses, grantVersion);
        r.measure("300 forged callbacks in 4 threads", "statuses %s; p50 %d ms, max %d ms", floodStatus, RunLedger.percentile(millis, 50),
                RunLedger.percentile(millis, 100));
        r.check("forged callbacks answer 4xx problem+json with the right type", wrong.isEmpty(), "%d cases%s", seen.size(),
                wrong.isEmpty() ? "" : "; wrong: " + wrong);
        r.check("forged callbacks change no connection", untouched, "%s", statuses);
        r.check("the flood is refused, every answer 400", floodStatus.keySet().equals(Set.of(400)), "%s", floodStatus);
    }

    private static JsonNode create(PlatformClient client, DrillPlatform p, PlatformClient.Workspace ws, String handle) {
        return client.http().expect("creating " + handle, "POST", p.platform().connectionsUrl() + "/api/v1/connections", ws.apiKey(),
                Map.of("handle", handle, "resources", List.of(Map.of("resource", "contacts", "operation", "create")))).json();
    }

    private static String abs(JsonNode created, String location) {
        return java.net.URI.create(created.path("authorizeUrl").asText()).resolve(location).toString();
    }

    // ==================================================================== (c) API keys

    private void apiKeys(Report r, DrillPlatform p, PlatformClient client, PlatformClient.Workspace a, PlatformClient.Workspace b)
            throws Exception {
        Http http = client.http();
        String conn = p.platform().connectionsUrl() + "/api/v1";
        String exec = p.platform().executorUrl() + "/api/v1";
        String flip = a.apiKey().substring(0, a.apiKey().length() - 1) + (a.apiKey().endsWith("A") ? "B" : "A");
        Map<String, String> credentials = new LinkedHashMap<>();
        credentials.put("no header", null);
        credentials.put("'Bearer'", "Bearer");
        credentials.put("empty bearer", "Bearer ");
        credentials.put("garbage", "Bearer garbage");
        credentials.put("basic auth", "Basic dXNlcjpwYXNz");
        credentials.put("4 KB key", "Bearer " + "k".repeat(4096));
        credentials.put("SQL", "Bearer ' OR '1'='1");
        credentials.put("one character changed", "Bearer " + flip);
        credentials.put("key plus suffix", "Bearer " + a.apiKey() + "x");
        credentials.put("admin key", "Bearer " + p.platform().adminKey());
        Map<String, String[]> calls = new LinkedHashMap<>();
        calls.put("GET connections/workspace", new String[] {"GET", conn + "/workspace", null});
        calls.put("GET connections", new String[] {"GET", conn + "/connections", null});
        calls.put("POST connections", new String[] {"POST", conn + "/connections",
                "{\"handle\":\"evil\",\"resources\":[{\"resource\":\"contacts\",\"operation\":\"read\"}]}"});
        calls.put("GET connection", new String[] {"GET", conn + "/connections/my-hubspot", null});
        calls.put("DELETE connection", new String[] {"DELETE", conn + "/connections/my-hubspot", null});
        calls.put("GET workflows", new String[] {"GET", exec + "/workflows", null});
        calls.put("GET workflow", new String[] {"GET", exec + "/workflows/" + WORKFLOW, null});
        calls.put("PUT workflow", new String[] {"PUT", exec + "/workflows/evil",
                "{\"source\":\"export class Workflow { async start() {} }\",\"trigger\":{\"topic\":\"shopify.orders\"}}"});
        calls.put("DELETE workflow", new String[] {"DELETE", exec + "/workflows/" + WORKFLOW, null});
        Map<Integer, Integer> statuses = new TreeMap<>();
        List<String> wrong = new ArrayList<>();
        int total = 0;
        for (var cred : credentials.entrySet()) {
            for (var call : calls.entrySet()) {
                if (cred.getKey().equals("admin key") && call.getKey().startsWith("POST connections")) {
                    continue;
                }
                Answer x = raw(http, call.getValue()[0], call.getValue()[1], cred.getValue(), call.getValue()[2]);
                total++;
                statuses.merge(x.status(), 1, Integer::sum);
                String problem = problemIssue(x, Set.of(401));
                if (problem != null) {
                    wrong.add(cred.getKey() + " on " + call.getKey() + ": " + problem);
                }
            }
        }
        // the admin API with workspace keys and garbage
        for (String cred : List.of("Bearer " + a.apiKey(), "Bearer garbage")) {
            Answer x = raw(http, "POST", conn + "/admin/workspaces", cred, "{\"name\":\"evil\"}");
            total++;
            statuses.merge(x.status(), 1, Integer::sum);
            String problem = problemIssue(x, Set.of(401, 403));
            if (problem != null) {
                wrong.add("admin API with " + (cred.contains("garbage") ? "garbage" : "a workspace key") + ": " + problem);
            }
        }
        // another workspace's valid key: A's resources do not exist for B
        Map<String, Integer> cross = new LinkedHashMap<>();
        cross.put("GET connection", raw(http, "GET", conn + "/connections/my-hubspot", "Bearer " + b.apiKey(), null).status());
        cross.put("DELETE connection", raw(http, "DELETE", conn + "/connections/my-hubspot", "Bearer " + b.apiKey(), null).status());
        cross.put("GET workflow", raw(http, "GET", exec + "/workflows/" + WORKFLOW, "Bearer " + b.apiKey(), null).status());
        cross.put("DELETE workflow", raw(http, "DELETE", exec + "/workflows/" + WORKFLOW, "Bearer " + b.apiKey(), null).status());
        boolean crossOk = cross.values().stream().allMatch(s -> s == 404);
        // a 40 KB header is refused by the HTTP server itself
        // headers over the HTTP server's limit (8 KB) are refused before the application sees them
        Map<String, String> huge = new LinkedHashMap<>();
        huge.put("connections, 8 KB key", statusAndType(raw(http, "GET", conn + "/connections", "Bearer " + "k".repeat(8192), null)));
        huge.put("connections, 40 KB key", statusAndType(raw(http, "GET", conn + "/connections", "Bearer " + "k".repeat(40_000), null)));
        huge.put("executor, 8 KB key", statusAndType(raw(http, "GET", exec + "/workflows", "Bearer " + "k".repeat(8192), null)));
        boolean hugeOk = huge.values().stream().allMatch(v -> v.startsWith("4"));
        // bad bodies with a valid key
        Map<String, String> bodies = new LinkedHashMap<>();
        bodies.put("connections: not JSON", statusAndType(raw(http, "POST", conn + "/connections", "Bearer " + a.apiKey(), "{not json")));
        bodies.put("connections: bad handle", statusAndType(raw(http, "POST", conn + "/connections", "Bearer " + a.apiKey(),
                "{\"handle\":\"Bad Handle!\",\"resources\":[{\"resource\":\"contacts\",\"operation\":\"read\"}]}")));
        bodies.put("workflows: not JSON", statusAndType(raw(http, "PUT", exec + "/workflows/broken", "Bearer " + a.apiKey(), "{")));
        bodies.put("workflows: no class Workflow", statusAndType(raw(http, "PUT", exec + "/workflows/broken", "Bearer " + a.apiKey(),
                "{\"source\":\"export class Nope {}\",\"trigger\":{\"topic\":\"shopify.orders\"}}")));
        bodies.put("workflows: jsw.* topic", statusAndType(raw(http, "PUT", exec + "/workflows/broken", "Bearer " + a.apiKey(),
                "{\"source\":\"export class Workflow { async start() {} }\",\"trigger\":{\"topic\":\"jsw.runs.dlq\"}}")));
        boolean bodiesOk = bodies.values().stream().allMatch(s -> s.startsWith("4") && s.contains("problem+json"));

        // a flood of invalid keys at the executor (each unknown key is checked with connections-service)
        List<Long> millis = Collections.synchronizedList(new ArrayList<>());
        Map<Integer, Integer> floodStatus = Collections.synchronizedMap(new TreeMap<>());
        parallel(400, 4, i -> {
            long t0 = System.nanoTime();
            Answer x = raw(http, "GET", exec + "/workflows", "Bearer jsw_" + random(), null);
            millis.add((System.nanoTime() - t0) / 1_000_000);
            floodStatus.merge(x.status(), 1, Integer::sum);
        });

        boolean survived = client.http().send("GET", conn + "/connections/my-hubspot", a.apiKey(), null, Map.of()).status() == 200
                && client.http().send("GET", exec + "/workflows/" + WORKFLOW, a.apiKey(), null, Map.of()).status() == 200
                && client.http().send("GET", exec + "/workflows/evil", a.apiKey(), null, Map.of()).status() == 404;

        r.measure("invalid credentials x API calls", "%d requests: statuses %s", total, statuses);
        r.measure("another workspace's key on A's resources", "%s", cross);
        r.measure("Authorization header of 8 and 40 KB", "%s", huge);
        r.measure("bad bodies with a valid key", "%s", bodies);
        r.measure("400 invalid keys at the executor, 4 threads", "statuses %s; p50 %d ms, max %d ms", floodStatus,
                RunLedger.percentile(millis, 50), RunLedger.percentile(millis, 100));
        r.check("invalid keys answer 401 (403 admin) problem+json", wrong.isEmpty(), "%d requests%s", total,
                wrong.isEmpty() ? "" : "; wrong: " + wrong.stream().limit(6).toList());
        r.check("another workspace's key sees and deletes nothing (404)", crossOk && survived, "%s; connection and workflow still there: %s",
                cross, survived);
        r.check("bad bodies answer 4xx problem+json", bodiesOk, "%s", bodies);
        r.check("oversized keys answer 4xx, never 5xx", hugeOk, "%s", huge);
        r.check("the invalid-key flood is refused, every answer 401", floodStatus.keySet().equals(Set.of(401)), "%s", floodStatus);
    }

    /** An answer, or status -1 with the error when the server closed the connection without one. */
    record Answer(int status, String body, String contentType) {

    }

    private static Answer raw(Http http, String method, String url, String authorization, String body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "application/json");
        if (authorization != null) {
            headers.put("Authorization", authorization);
        }
        if (body != null) {
            headers.put("Content-Type", "application/json");
        }
        return get(http, method, url, authorization == null ? headers : headers, body);
    }

    /** HTTP/1.1 as curl and browsers speak it to an http:// URL (the JDK's default would try an h2c upgrade first). */
    private static final java.net.http.HttpClient PROBE = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).followRedirects(java.net.http.HttpClient.Redirect.NEVER).build();

    private static Answer get(Http http, String method, String url, Map<String, String> headers, String body) {
        java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
                        : java.net.http.HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        try {
            java.net.http.HttpResponse<String> r = PROBE.send(b.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body(), r.headers().firstValue("Content-Type").orElse(null));
        } catch (java.io.IOException e) {
            return new Answer(-1, e.getClass().getSimpleName() + ": " + e.getMessage(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(-1, "interrupted", null);
        }
    }

    /** A GET of the callback as a client that wants JSON, optionally with an API key. */
    private static Answer callback(Http http, String url, String apiKey, String cookie) {
        Map<String, String> headers = new LinkedHashMap<>(json());
        if (apiKey != null) {
            headers.put("Authorization", "Bearer " + apiKey);
        }
        if (cookie != null) {
            headers.put("Cookie", cookie);
        }
        return get(http, "GET", url, headers, null);
    }

    /** A flow started in "the browser": HubSpot's consent URL and the one-time cookie the connect page set. */
    private record Started(String hubspotUrl, String cookie) {
    }

    /** Opens the connect page the API handed back, with the workspace's key, as the browser that starts the flow. */
    private static Started start(Http http, JsonNode created, PlatformClient.Workspace ws) {
        Http.Reply r = http.send("GET", created.path("authorizeUrl").asText(), ws.apiKey(), null, Map.of("Accept", "text/html"));
        String cookie = r.header("Set-Cookie");
        if (r.status() != 303 || r.header("Location") == null || cookie == null) {
            throw new IllegalStateException("the connect page answered HTTP " + r.status());
        }
        return new Started(r.header("Location"), cookie.substring(0, cookie.indexOf(';')));
    }

    /** The flow's state: the last path segment of the connect page's URL. */
    private static String state(JsonNode created) {
        String url = created.path("authorizeUrl").asText();
        return url.substring(url.lastIndexOf('/') + 1);
    }

    private static String statusAndType(Answer x) {
        return x.status() + " " + (x.status() < 0 ? x.body() : x.contentType());
    }

    /** Null when the answer is one of the statuses as problem+json with title/status/detail and no stack trace. */
    private static String problemIssue(Answer x, Set<Integer> statuses) {
        if (x.status() < 0) {
            return "no answer: " + x.body();
        }
        if (!statuses.contains(x.status())) {
            return "HTTP " + x.status();
        }
        String type = x.contentType();
        if (type == null || !type.contains("problem+json")) {
            return "HTTP " + x.status() + " as " + type;
        }
        try {
            JsonNode n = Http.JSON.readTree(x.body());
            if (!n.hasNonNull("title") || !n.hasNonNull("detail") || n.path("status").asInt() != x.status()) {
                return "incomplete problem " + x.body();
            }
        } catch (Exception e) {
            return "not JSON: " + x.body();
        }
        if (x.body().contains("Exception") || x.body().contains("\tat ")) {
            return "stack trace in " + x.body();
        }
        return null;
    }

    private static void expectProblem(Map<String, String> seen, List<String> wrong, String what, Answer x, int status, String type) {
        String issue = problemIssue(x, Set.of(status));
        String t = jsonField(x, "type");
        seen.put(what, x.status() + " " + t.substring(t.lastIndexOf('/') + 1));
        if (issue != null) {
            wrong.add(what + ": " + issue);
        } else if (!t.endsWith(type)) {
            wrong.add(what + ": type " + t + ", expected " + type);
        }
    }

    private static String jsonField(Answer x, String field) {
        try {
            return Http.JSON.readTree(x.body()).path(field).asText();
        } catch (Exception e) {
            return "";
        }
    }

    // ==================================================================== (d) at Kafka's size limit

    private void sizeEdge(Report r, DrillPlatform p, RunLedger ledger, Orders out) throws Exception {
        String key = "edge.myshopify.com";
        // above the broker's 1 MiB message limit: refused before the platform sees it
        PlatformClient.Order big = PlatformClient.order("Edge", 0);
        String refused;
        try {
            out.send(DrillPlatform.ORDERS_TOPIC, key, utf8("x".repeat(2 * 1024 * 1024)), PlatformClient.shopifyHeaders(big))
                    .get(1, TimeUnit.MINUTES);
            refused = "accepted";
        } catch (java.util.concurrent.ExecutionException e) {
            refused = e.getCause().getClass().getSimpleName();
        }
        // just under it: reaches the executor, is malformed, and its dead letter carries the whole record
        PlatformClient.Order near = PlatformClient.order("Edge", 1);
        RecordMetadata md = out.send(DrillPlatform.ORDERS_TOPIC, key, utf8("y".repeat(1_000_000)), PlatformClient.shopifyHeaders(near))
                .get(1, TimeUnit.MINUTES);
        String nearCoordinates = coordinates(md);
        // a binary payload (say an Avro-encoded order) of 900 KB: read as UTF-8, every invalid byte becomes U+FFFD (3 bytes),
        // so its dead letter is about twice the record
        byte[] binary = new byte[900_000];
        new Random(7).nextBytes(binary);
        binary[0] = (byte) 0xFF;
        RecordMetadata bmd = out.sendRaw(DrillPlatform.ORDERS_TOPIC, key, binary,
                raw(PlatformClient.shopifyHeaders(PlatformClient.order("Edge", 9)))).get(1, TimeUnit.MINUTES);
        String binaryCoordinates = coordinates(bmd);
        List<Orders.Published> after = new ArrayList<>();
        for (int i = 2; i <= 4; i++) {
            after.add(out.publish(PlatformClient.order("Edge", i), key).get(1, TimeUnit.MINUTES));
        }
        List<Orders.Published> elsewhere = new ArrayList<>();
        for (String shop : Orders.shops(12)) {
            Orders.Published o = out.publish(PlatformClient.order("Elsewhere", elsewhere.size() + 1), shop).get(1, TimeUnit.MINUTES);
            if (o.partition() != md.partition() && elsewhere.stream().noneMatch(e -> e.partition() == o.partition())) {
                elsewhere.add(o);
            }
        }
        List<String> all = new ArrayList<>(after.stream().map(Orders.Published::coordinates).toList());
        elsewhere.forEach(o -> all.add(o.coordinates()));
        all.add(nearCoordinates);
        all.add(binaryCoordinates);
        Set<String> open = ledger.awaitFinals(WORKFLOW, all, Duration.ofSeconds(120), r);
        long handOffWarnings = p.logLines(p.service(PlatformUnderTest.EXECUTOR, 0), "could not be handed off");
        long sameOpen = after.stream().filter(o -> open.contains(o.coordinates())).count();
        long elsewhereOpen = elsewhere.stream().filter(o -> open.contains(o.coordinates())).count();
        r.measure("2 MiB record", "%s", refused);
        r.measure("1,000,000-byte non-JSON text record", "%s", open.contains(nearCoordinates) ? "NOT dead-lettered within 120 s"
                : "dead-lettered");
        r.measure("'could not be handed off' lines in the executor log", "%d", handOffWarnings);
        r.measure("900,000-byte binary record", "%s", open.contains(binaryCoordinates) ? "NOT dead-lettered within 120 s"
                : "dead-lettered");
        r.measure("valid orders after them", "same partition: %d of %d finished; other partitions: %d of %d finished",
                after.size() - sameOpen, after.size(), elsewhere.size() - elsewhereOpen, elsewhere.size());
        r.check("records near Kafka's size limit are dead-lettered and do not block their partition", !open.contains(nearCoordinates)
                && !open.contains(binaryCoordinates) && sameOpen == 0, "text %s, binary %s; %d of %d later orders on the partition stuck",
                open.contains(nearCoordinates) ? "not dead-lettered" : "dead-lettered",
                open.contains(binaryCoordinates) ? "not dead-lettered" : "dead-lettered", sameOpen, after.size());
    }

    // ==================================================================== helpers

    private static String coordinates(RecordMetadata md) {
        return md.topic() + "/" + md.partition() + "/" + md.offset();
    }

    private static Map<String, byte[]> raw(Map<String, String> h) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        h.forEach((k, v) -> out.put(k, v.getBytes(StandardCharsets.UTF_8)));
        return out;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private static String random() {
        return UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID().toString().replace("-", "");
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static Map<String, String> json() {
        return Map.of("Accept", "application/json");
    }

    private static double zero(double v) {
        return Double.isNaN(v) ? 0 : v;
    }

    private interface Task {
        void run(int i) throws Exception;
    }

    private static void parallel(int n, int threads, Task task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int k = i;
                fs.add(pool.submit(() -> {
                    task.run(k);
                    return null;
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }
}
