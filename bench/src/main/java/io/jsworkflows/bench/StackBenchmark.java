package io.jsworkflows.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.jsworkflows.contracts.Topics;
import io.jsworkflows.contracts.events.RunEvent;
import io.jsworkflows.contracts.json.ContractsJson;

/**
 * Measures against the stack that {@code ./jsw up} started (after {@code ./jsw demo} connected {@code my-hubspot}):
 *
 * <ol>
 * <li>the executor ("jsw"): {@code examples/workflows/contact-from-order.js} deployed as {@code bench-contact} on
 * {@code shopify.orders} (records stamped with the demo workspace, as the gateway stamps them, and a header only its
 * binding matches); warm-up, then a burst of {@code orders} orders (throughput, CPU per run), then half that throughput for
 * {@code half} (trigger-to-completion latency: the order record's timestamp → the run's {@code succeeded} event's);</li>
 * <li>the Node.js alternative ({@code bench/node/consumer.mjs}, kafkajs, the same workflow file, Node's fetch, its own
 * OAuth token) on a topic of its own against the same emulator: the same phases, completion = when the run's promise
 * resolved;</li>
 * <li>the rate budget: the emulator's real limit on (110 per 10 s), the stack's executor (warm; its budget for the portal
 * learnt from HubSpot's rate-limit headers), one portal, {@code 110 × windows + 1} orders at once: share of the limit used
 * and 429s.</li>
 * </ol>
 *
 * <p>Usage: {@code StackBenchmark root=. state=.jsw results=... orders=5000 warmup=PT60S half=PT30S}
 *
 * <p>Longer than a class should be: it is the benchmark's script, phase after phase in the order the report lists
 * them; the reusable parts (Kafka, HTTP, /proc sampling) are in their own classes.
 */
public final class StackBenchmark {

    static final String WORKFLOW_ID = "bench-contact";
    static final String RATE_WORKFLOW_ID = "bench-ratelimit";
    static final int HUBSPOT_MAX = 110;
    static final Duration HUBSPOT_INTERVAL = Duration.ofSeconds(10);

    private final Map<String, String> a;
    private final Path root;
    private final Path work;
    private final Path resultsFile;
    private final Map<String, Object> results = new LinkedHashMap<>();
    private final String kafka;
    private final String emulator;
    private final String executor;
    private final Map<String, Long> pids;
    private final Map<String, String> keys;
    private final Map<String, String> demo;
    private final String tag = Long.toString(System.currentTimeMillis() / 1000, 36);
    private final Orders orders;
    private final Map<String, Target> byWorkflow = new ConcurrentHashMap<>();
    private KafkaProducer<String, byte[]> producer;
    private final List<AutoCloseable> children = new ArrayList<>();
    private AutoCloseable nodeProcess;

    StackBenchmark(Map<String, String> a) throws IOException {
        this.a = a;
        this.root = Path.of(a.get("root")).toAbsolutePath().normalize();
        this.work = Path.of(a.get("work")).toAbsolutePath().normalize().resolve("stack");
        this.resultsFile = Path.of(a.get("results")).toAbsolutePath();
        Path state = Path.of(a.get("state")).toAbsolutePath().normalize();
        this.kafka = a.get("kafka");
        this.emulator = a.get("emulator");
        this.executor = a.get("executor");
        this.keys = Bench.readEnvFile(state.resolve("keys.env"));
        this.demo = Bench.readEnvFile(state.resolve("demo.env"));
        this.pids = new LinkedHashMap<>();
        for (String line : Files.readAllLines(state.resolve("stack.pids"))) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 2) {
                pids.put(f[0], Long.parseLong(f[1]));
            }
        }
        this.orders = new Orders(root, tag, Integer.parseInt(a.get("shops")), demo.get("JSW_WORKSPACE_ID"));
        Files.createDirectories(work);
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> a = Bench.args(argv, new LinkedHashMap<>(Map.ofEntries(Map.entry("root", "."), Map.entry("state", ".jsw"),
                Map.entry("work", "bench/target/work"), Map.entry("results", "bench/target/results.properties"),
                Map.entry("orders", "5000"), Map.entry("warmup", "PT240S"), Map.entry("warmup-min", "PT60S"), Map.entry("half", "PT30S"), Map.entry("shops", "256"),
                Map.entry("rate-windows", "6"), Map.entry("kafka", "127.0.0.1:9092"), Map.entry("emulator", "http://127.0.0.1:8090"),
                Map.entry("executor", "http://127.0.0.1:8083"), Map.entry("connections", "http://localhost:8081"),
                Map.entry("node", "node"), Map.entry("phases", "throughput,rate"))));
        StackBenchmark b = new StackBenchmark(a);
        Runtime.getRuntime().addShutdownHook(new Thread(b::closeChildren));
        int rc = 0;
        try {
            b.run();
        } catch (Exception e) {
            Bench.log("FAILED: %s", e);
            e.printStackTrace(System.out);
            b.results.put("stack.error", e.toString());
            rc = 1;
        } finally {
            Bench.saveResults(b.resultsFile, b.results);
            b.closeChildren();
        }
        System.exit(rc);
    }

    void run() throws Exception {
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka, ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.ACKS_CONFIG, "all"), new StringSerializer(), new ByteArraySerializer());
        children.add(producer);
        Set<String> phases = Set.of(a.get("phases").split(","));
        // the executor reads only topics the platform lists for a workspace: its targets use the shared source topic
        // (3 partitions, as the Node side's own topic), told apart by a header their bindings match
        Target jsw = new Target("jsw", Topics.SHOPIFY_ORDERS, pids.getOrDefault("workflow-executor", -1L));
        Target node = new Target("node", "bench.orders.node." + tag, -1);
        Target rate = new Target("rate", Topics.SHOPIFY_ORDERS, -1);
        createTopics(List.of(node.topic));
        undeployDemoWorkflows();
        byWorkflow.put(WORKFLOW_ID, jsw);
        byWorkflow.put(RATE_WORKFLOW_ID, rate);
        RunEventsListener events = new RunEventsListener();
        children.add(events);
        events.start();

        if (phases.contains("throughput")) {
            throughput(jsw, node);
        }
        if (phases.contains("rate")) {
            rateBudget(rate);
        }
    }

    // ------------------------------------------------------------------ throughput and latency, executor vs Node

    void throughput(Target jsw, Target node) throws Exception {
        // the emulator at 0 ms and without its limit; the stack's executor got a per-portal budget far above what
        // two cores can do (JSW_EXECUTOR_RATE_LIMIT_MAX from bench/run.sh), so neither side is capped at 11 runs/s
        Bench.expect("emulator config", "PATCH", emulator + "/_emulator/config", null, "{\"rateLimitMax\":0}");
        deploy(WORKFLOW_ID, jsw.topic, jsw.name);
        Bench.log("deployed %s (examples/workflows/contact-from-order.js) on %s; waiting for its first run", WORKFLOW_ID, jsw.topic);
        burst(jsw, 1, Duration.ofSeconds(120), "probe");

        node.pid = startNode(node);
        Bench.log("Node consumer (pid %d) joined its group on %s", node.pid, node.topic);
        burst(node, 1, Duration.ofSeconds(60), "probe");

        int n = Integer.parseInt(a.get("orders"));
        Duration warmupMin = Duration.parse(a.get("warmup-min"));
        Duration warmup = Duration.parse(a.get("warmup"));
        Duration half = Duration.parse(a.get("half"));
        for (Target t : List.of(jsw, node)) {
            warmup(t, warmupMin, warmup);
            Path jfr = work.resolve("executor-burst.jfr");
            boolean profiling = t == jsw && Profile.start(t.pid);
            Phase p = burst(t, n, Duration.ofMinutes(10), "burst");
            p.save(results, t.name + ".burst");
            if (profiling) {
                String where = Profile.stopAndSummarize(t.pid, jfr);
                results.put("jsw.burst.profile", where);
                Bench.log("jsw burst: where the executor's CPU went (JFR execution samples, %s): %s", jfr, where);
            }
        }
        for (Target t : List.of(jsw, node)) {
            double full = ((Number) results.get(t.name + ".burst.runs-per-s")).doubleValue();
            Phase p = paced(t, full / 2, half);
            p.save(results, t.name + ".half");
            if (t == jsw) {
                scrapeTokenLookup();
            }
        }
        double ratio = ((Number) results.get("jsw.burst.runs-per-s")).doubleValue()
                / ((Number) results.get("node.burst.runs-per-s")).doubleValue();
        results.put("ratio.throughput", ratio);
        Bench.log("throughput ratio jsw/node = %.2f", ratio);
        // the Node consumer is done: its idle polling stays off the rate run's cores
        children.remove(nodeProcess);
        nodeProcess.close();
    }

    /** The demo's own workflows bound to shopify.orders would run on the bench's orders too: the bench's stack drops them. */
    void undeployDemoWorkflows() throws IOException {
        for (String id : List.of("contact-from-order", "deal-from-order")) {
            Bench.http("DELETE", executor + "/api/v1/workflows/" + id, demo.get("JSW_API_KEY"), null);
        }
    }

    void deploy(String id, String topic, String target) throws IOException {
        ObjectNode body = (ObjectNode) ContractsJson.mapper().readTree(root.resolve("examples/workflows/contact-from-order.json").toFile());
        ((ObjectNode) body.get("trigger")).put("topic", topic);
        // only this target's orders: the header the driver sets on them (the example's own X-Shopify-Topic match would let
        // the throughput workflow and the rate workflow both run every order of the shared topic)
        ((ObjectNode) body.get("trigger")).putObject("headerMatch").put(Orders.TARGET_HEADER, target);
        body.put("source", Files.readString(root.resolve("examples/workflows/contact-from-order.js")));
        Bench.expect("deploying " + id, "PUT", executor + "/api/v1/workflows/" + id, demo.get("JSW_API_KEY"),
                ContractsJson.write(body));
    }

    long startNode(Target node) throws Exception {
        Path dir = root.resolve("bench/node");
        ProcessBuilder pb = new ProcessBuilder(a.get("node"), "consumer.mjs").directory(dir.toFile())
                .redirectError(ProcessBuilder.Redirect.to(work.resolve("node-stderr.log").toFile()));
        Map<String, String> env = pb.environment();
        env.put("KAFKA_BROKERS", kafka);
        env.put("TOPIC", node.topic);
        env.put("GROUP", "bench-node-" + tag);
        env.put("WORKFLOW", root.resolve("examples/workflows/contact-from-order.js").toString());
        env.put("HUBSPOT_URL", emulator);
        env.put("HUBSPOT_PORTAL", "87654321");
        env.put("LANES", "16");
        env.put("NODE_BENCH_LOG", work.resolve("node-console.log").toString());
        Process p = pb.start();
        nodeProcess = () -> {
            p.getOutputStream().close(); // the consumer stops when its stdin closes
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        };
        children.add(nodeProcess);
        CountDownLatch ready = new CountDownLatch(1);
        Thread.ofPlatform().daemon().name("node-stdout").start(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null;) {
                    if (line.equals("READY")) {
                        ready.countDown();
                    } else if (line.startsWith("D ")) {
                        String[] f = line.split(" ", 3);
                        node.done.put(f[1], Long.parseLong(f[2]));
                    } else if (line.startsWith("F ")) {
                        String[] f = line.split(" ", 4);
                        node.failed.putIfAbsent(f[1], f.length > 3 ? f[3] : "failed");
                    } else {
                        Bench.log("node: %s", line);
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        });
        if (!ready.await(90, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the Node consumer did not join its group within 90 s; see " + work.resolve("node-stderr.log"));
        }
        return p.pid();
    }

    /**
     * JIT warm-up of each side (and of the emulator): bursts of 500 orders, each waited for, for at least {@code min} and
     * until the consumer's CPU per run stops falling (the mean of the last 6 bursts not 10 % below the 6 before), at
     * most {@code max}. CPU per run, not runs/s: it hardly depends on what else the machine runs. The executor's GraalJS
     * runs in interpreter mode on a stock JDK, so its host JIT needs minutes; Node's V8 seconds.
     */
    void warmup(Target t, Duration min, Duration max) {
        long start = System.nanoTime();
        List<Double> rates = new ArrayList<>();
        List<Double> cpu = new ArrayList<>();
        while (true) {
            Phase p = burst(t, 500, Duration.ofMinutes(5), null);
            rates.add(p.runsPerSecond());
            cpu.add(p.perRunMillis(p.cpuNanos));
            long elapsed = System.nanoTime() - start;
            if (elapsed >= max.toNanos() || elapsed >= min.toNanos() && settled(cpu)) {
                break;
            }
        }
        String list = String.join(", ", rates.stream().map(r -> Bench.fmt("%.0f", r)).toList());
        String cpuList = String.join(", ", cpu.stream().map(c -> Bench.fmt("%.2f", c)).toList());
        Bench.log("%s warm-up: %d bursts of 500 in %d s at %s runs/s; CPU per run %s ms", t.name, rates.size(),
                (System.nanoTime() - start) / 1_000_000_000L, list, cpuList);
        results.put(t.name + ".warmup.runs-per-s", list.replace(" ", ""));
        results.put(t.name + ".warmup.cpu-ms-per-run", cpuList.replace(" ", ""));
        results.put(t.name + ".warmup.seconds", (System.nanoTime() - start) / 1_000_000_000L);
    }

    static boolean settled(List<Double> cpuPerRun) {
        int n = cpuPerRun.size();
        if (n < 12) {
            return false;
        }
        double last = cpuPerRun.subList(n - 6, n).stream().mapToDouble(Double::doubleValue).average().orElse(0);
        double before = cpuPerRun.subList(n - 12, n - 6).stream().mapToDouble(Double::doubleValue).average().orElse(0);
        return last > before * 0.90;
    }

    Phase burst(Target t, int n, Duration timeout, String label) {
        List<Orders.Order> batch = orders.next(t.topic, t.name, n);
        Probe probe = new Probe(t);
        for (Orders.Order o : batch) {
            send(t, o);
        }
        producer.flush();
        Phase p = collect(t, batch, timeout, probe);
        if (label != null) {
            Bench.log("%s %s: %s", t.name, label, p);
        }
        return p;
    }

    /** Open loop: orders sent at a fixed rate whatever the consumer does, for {@code duration}. */
    Phase paced(Target t, double rate, Duration duration) {
        int n = (int) Math.max(1, Math.round(rate * duration.toMillis() / 1000.0));
        List<Orders.Order> batch = orders.next(t.topic, t.name, n);
        Probe probe = new Probe(t);
        long t0 = System.nanoTime();
        double gap = 1e9 / rate;
        for (int i = 0; i < n; i++) {
            long due = t0 + (long) (i * gap);
            for (long now; (now = System.nanoTime()) < due;) {
                LockSupport.parkNanos(due - now);
            }
            send(t, batch.get(i));
        }
        producer.flush();
        Phase p = collect(t, batch, Duration.ofMinutes(5), probe);
        p.offeredRate = rate;
        Bench.log("%s at %.0f orders/s for %d s: %s", t.name, rate, duration.toSeconds(), p);
        return p;
    }

    void send(Target t, Orders.Order o) {
        producer.send(o.record(), (md, e) -> {
            if (e == null) {
                t.triggered.put(o.webhookId(), md.timestamp());
            } else {
                t.failed.put(o.webhookId(), "not published: " + e.getMessage());
            }
        });
    }

    Phase collect(Target t, List<Orders.Order> batch, Duration timeout, Probe probe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> ids = batch.stream().map(Orders.Order::webhookId).toList();
        while (System.nanoTime() < deadline && !t.allFinished(ids)) {
            Bench.sleep(Duration.ofMillis(20));
        }
        Phase p = new Phase();
        p.cpuNanos = probe.cpu();
        p.emulatorCpuNanos = probe.emulatorCpu();
        p.kafkaCpuNanos = probe.kafkaCpu();
        p.load1 = Bench.load1();
        long first = Long.MAX_VALUE;
        long lastDone = Long.MIN_VALUE;
        long lastTrigger = Long.MIN_VALUE;
        List<Long> lat = new ArrayList<>();
        for (String id : ids) {
            Long trig = t.triggered.get(id);
            Long done = t.done.get(id);
            if (trig != null) {
                first = Math.min(first, trig);
                lastTrigger = Math.max(lastTrigger, trig);
            }
            if (t.failed.containsKey(id)) {
                p.failures++;
                p.lastFailure = t.failed.get(id);
            } else if (trig == null || done == null) {
                p.missing++;
            } else {
                p.succeeded++;
                lastDone = Math.max(lastDone, done);
                lat.add(done - trig);
            }
        }
        p.published = ids.size();
        p.latencies = lat.stream().mapToLong(Long::longValue).sorted().toArray();
        p.spanMillis = lastDone > first ? lastDone - first : -1;
        p.publishSpanMillis = lastTrigger > first ? lastTrigger - first : 0;
        return p;
    }

    /** CPU counters of the consumer under test, the emulator and the broker at the start of a phase. */
    final class Probe {
        final Target t;
        final long cpu0;
        final long emu0;
        final long kafka0;

        Probe(Target t) {
            this.t = t;
            this.cpu0 = t.pid > 0 ? Bench.cpuNanos(t.pid) : -1;
            this.emu0 = Bench.cpuNanos(pids.getOrDefault("hubspot-emulator", -1L));
            this.kafka0 = Bench.cpuNanos(pids.getOrDefault("kafka", -1L));
        }

        long cpu() {
            return cpu0 < 0 ? -1 : Bench.cpuNanos(t.pid) - cpu0;
        }

        long emulatorCpu() {
            return emu0 < 0 ? -1 : Bench.cpuNanos(pids.get("hubspot-emulator")) - emu0;
        }

        long kafkaCpu() {
            return kafka0 < 0 ? -1 : Bench.cpuNanos(pids.get("kafka")) - kafka0;
        }
    }

    void scrapeTokenLookup() {
        Bench.Reply m = Bench.http("GET", executor + "/q/metrics", null, null);
        if (m.status() != 200) {
            return;
        }
        double p50 = Bench.metric(m.body(), "jsw_token_lookup_seconds", "quantile=\"0.5\"");
        double p99 = Bench.metric(m.body(), "jsw_token_lookup_seconds", "quantile=\"0.99\"");
        double count = Bench.metric(m.body(), "jsw_token_lookup_seconds_count", null);
        results.put("tokenlookup.stack.p50-us", p50 * 1e6);
        results.put("tokenlookup.stack.p99-us", p99 * 1e6);
        results.put("tokenlookup.stack.count", count);
        Bench.log("getOAuthToken in the stack's executor (jsw_token_lookup_seconds, last ~2 min): p50 %.1f us, p99 %.1f us (%.0f lookups in all)",
                p50 * 1e6, p99 * 1e6, count);
    }

    // ------------------------------------------------------------------ rate budget

    void rateBudget(Target rate) throws Exception {
        int windows = Integer.parseInt(a.get("rate-windows"));
        // the stack's executor, warm from the throughput run, the same workflow on a topic of its own
        deploy(RATE_WORKFLOW_ID, rate.topic, rate.name);
        rate.pid = pids.getOrDefault("workflow-executor", -1L);
        // HubSpot's limit on at the emulator (one portal: the demo's 12345678)
        Bench.expect("emulator config", "PATCH", emulator + "/_emulator/config", null,
                "{\"rateLimitMax\":" + HUBSPOT_MAX + ",\"rateLimitIntervalMillis\":" + HUBSPOT_INTERVAL.toMillis() + "}");
        // one run first: from its response's X-HubSpot-RateLimit-* headers the executor's budget for the portal becomes
        // 110 per 10 s (+ its 0.2 s margin), as in production; JSW_EXECUTOR_RATE_LIMIT_MAX only sized it for the
        // throughput run. Then both windows (the emulator's and the budget's) are let close, and counting starts.
        burst(rate, 1, Duration.ofSeconds(120), "probe at 110/10 s");
        Bench.sleep(HUBSPOT_INTERVAL.plusSeconds(1));
        rate.done.clear(); // the share is computed over the burst's runs only
        rate.with429.clear();
        Bench.expect("emulator counters", "DELETE", emulator + "/_emulator/requests", null, null);
        Bench.Reply before = Bench.http("GET", executor + "/q/metrics", null, null);
        double executor429Before = before.status() == 200 ? Math.max(0, Bench.metric(before.body(), "jsw_hubspot_429_total", null)) : 0;
        double foreignBefore = before.status() == 200 ? Math.max(0, Bench.metric(before.body(), "jsw_hubspot_budget_foreign_total", null)) : 0;
        double waitBefore = before.status() == 200 ? Math.max(0, Bench.metric(before.body(), "jsw_hubspot_budget_wait_seconds_sum", null)) : 0;
        int n = HUBSPOT_MAX * windows + 1;
        Phase p;
        try {
            p = burst(rate, n, Duration.ofSeconds(windows * 11L + 120), "rate budget burst");
        } finally {
            Bench.http("PATCH", emulator + "/_emulator/config", null, "{\"rateLimitMax\":0}");
        }
        long[] done = rate.done.values().stream().mapToLong(Long::longValue).sorted().toArray();
        long emulator429 = count("POST", "/crm/v3/objects/contacts", 429);
        long emulator201 = count("POST", "/crm/v3/objects/contacts", 201);
        Bench.Reply m = Bench.http("GET", executor + "/q/metrics", null, null);
        double executor429 = m.status() == 200 ? Math.max(0, Bench.metric(m.body(), "jsw_hubspot_429_total", null)) - executor429Before : -1;
        // slots the budget gave to requests HubSpot counted beyond the executor's own: none are someone else's here
        double foreign = m.status() == 200 ? Math.max(0, Bench.metric(m.body(), "jsw_hubspot_budget_foreign_total", null)) - foreignBefore : -1;
        double waitSum = m.status() == 200 ? Math.max(0, Bench.metric(m.body(), "jsw_hubspot_budget_wait_seconds_sum", null)) - waitBefore : -1;
        results.put("rate.windows", windows);
        results.put("rate.orders", n);
        results.put("rate.succeeded", p.succeeded);
        results.put("rate.failures", p.failures + p.missing);
        results.put("rate.emulator-429", emulator429);
        results.put("rate.emulator-201", emulator201);
        results.put("rate.executor-429", executor429);
        results.put("rate.budget-wait-s", waitSum);
        results.put("rate.foreign", foreign);
        results.put("rate.load1", p.load1);
        results.put("rate.bursts", bursts(done));
        int edge = HUBSPOT_MAX * windows; // the first request of window windows+1
        if (done.length > edge) {
            long elapsed = done[edge] - done[0];
            double share = windows * (double) HUBSPOT_INTERVAL.toMillis() / elapsed;
            results.put("rate.elapsed-ms", elapsed);
            results.put("rate.share", share);
            Bench.log("rate budget: %d requests in %d windows took %d ms from the first to the first of window %d = %.1f %% of 110/10 s; "
                    + "429s: %d at the emulator, %.0f seen by the executor; %d failed runs", edge, windows, elapsed, windows + 1,
                    share * 100, emulator429, executor429, p.failures + p.missing);
            Bench.log("rate budget: completions per window (offset:runs/spread): %s", results.get("rate.bursts"));
            Bench.log("rate budget: %.0f slots given to requests HubSpot counted beyond the executor's own (there are none here)", foreign);
            for (String v : rate.with429.values()) {
                String[] f = v.split(" ", 2);
                Bench.log("rate budget: a run that met a 429 finished at +%.1f s, its calls %s", (Long.parseLong(f[0]) - done[0]) / 1000.0, f[1]);
            }
        } else {
            results.put("rate.share", -1);
            Bench.log("rate budget: only %d of %d runs succeeded; no share computed (last failure: %s)", done.length, n, p.lastFailure);
        }
    }

    /** Completions grouped where they pause for over 2 s: "start offset s:runs/spread ms" per budget window. */
    static String bursts(long[] sorted) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= sorted.length; i++) {
            if (i == sorted.length || sorted[i] - sorted[i - 1] > 2000) {
                out.add(Bench.fmt("+%.1fs:%d/%dms", (sorted[start] - sorted[0]) / 1000.0, i - start, sorted[i - 1] - sorted[start]));
                start = i;
            }
        }
        return String.join(" ", out);
    }

    long count(String method, String path, int status) {
        Bench.Reply r = Bench.http("GET", emulator + "/_emulator/requests/count?method=" + method + "&path=" + path + "&status=" + status,
                null, null);
        return r.status() == 200 ? Long.parseLong(r.body().replaceAll("[^0-9]", "")) : -1;
    }

    // ------------------------------------------------------------------ plumbing

    void createTopics(Collection<String> names) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka))) {
            // as shopify.orders: 3 partitions, delete, 7 days
            admin.createTopics(names.stream().map(n -> new NewTopic(n, 3, (short) 1)
                    .configs(Map.of("cleanup.policy", "delete", "retention.ms", Long.toString(Duration.ofDays(7).toMillis())))).toList())
                    .all().get();
        }
    }

    void closeChildren() {
        for (int i = children.size() - 1; i >= 0; i--) {
            try {
                children.get(i).close();
            } catch (Exception e) {
                // best effort
            }
        }
        children.clear();
    }

    /** One side under test: where its orders go, when each was triggered (record timestamp) and finished. */
    static final class Target {
        final String name;
        final String topic;
        volatile long pid;
        final Map<String, Long> triggered = new ConcurrentHashMap<>();
        final Map<String, Long> done = new ConcurrentHashMap<>();
        final Map<String, String> failed = new ConcurrentHashMap<>();
        /** Runs that met a 429 on the way: completion time and their HTTP calls (status/duration). */
        final Map<String, String> with429 = new ConcurrentHashMap<>();

        Target(String name, String topic, long pid) {
            this.name = name;
            this.topic = topic;
            this.pid = pid;
        }

        boolean allFinished(List<String> ids) {
            for (String id : ids) {
                if (!done.containsKey(id) && !failed.containsKey(id)) {
                    return false;
                }
            }
            return true;
        }
    }

    /** The outcome of one phase. */
    static final class Phase {
        int published;
        int succeeded;
        int failures;
        int missing;
        String lastFailure;
        long[] latencies = new long[0];
        long spanMillis;
        long publishSpanMillis;
        long cpuNanos;
        long emulatorCpuNanos;
        long kafkaCpuNanos;
        double load1;
        double offeredRate;

        double runsPerSecond() {
            return spanMillis > 0 ? succeeded * 1000.0 / spanMillis : 0;
        }

        double perRunMillis(long nanos) {
            return nanos < 0 || succeeded == 0 ? -1 : nanos / 1e6 / succeeded;
        }

        void save(Map<String, Object> r, String prefix) {
            r.put(prefix + ".runs", succeeded);
            r.put(prefix + ".failures", failures + missing);
            if (lastFailure != null) {
                r.put(prefix + ".last-failure", lastFailure);
            }
            r.put(prefix + ".runs-per-s", runsPerSecond());
            r.put(prefix + ".span-ms", spanMillis);
            r.put(prefix + ".p50-ms", Bench.pct(latencies, 50));
            r.put(prefix + ".p95-ms", Bench.pct(latencies, 95));
            r.put(prefix + ".p99-ms", Bench.pct(latencies, 99));
            r.put(prefix + ".max-ms", Bench.pct(latencies, 100));
            r.put(prefix + ".cpu-ms-per-run", perRunMillis(cpuNanos));
            r.put(prefix + ".emulator-cpu-ms-per-run", perRunMillis(emulatorCpuNanos));
            r.put(prefix + ".kafka-cpu-ms-per-run", perRunMillis(kafkaCpuNanos));
            r.put(prefix + ".load1", load1);
            if (offeredRate > 0) {
                r.put(prefix + ".offered-per-s", offeredRate);
                r.put(prefix + ".published-per-s", publishSpanMillis > 0 ? (published - 1) * 1000.0 / publishSpanMillis : 0);
            }
        }

        @Override
        public String toString() {
            return Bench.fmt("%d ok, %d failed, %d missing, %.0f runs/s over %d ms, latency ms p50 %d p95 %d p99 %d max %d, "
                    + "CPU/run %.2f ms (emulator %.2f, broker %.2f), load %.2f%s", succeeded, failures, missing, runsPerSecond(), spanMillis,
                    Bench.pct(latencies, 50), Bench.pct(latencies, 95), Bench.pct(latencies, 99), Bench.pct(latencies, 100),
                    perRunMillis(cpuNanos), perRunMillis(emulatorCpuNanos), perRunMillis(kafkaCpuNanos), load1,
                    lastFailure == null ? "" : "; last failure: " + lastFailure);
        }
    }

    /** Reads jsw.runs.events from "now" on: the outcome and its time of every run of the benchmark's workflows. */
    final class RunEventsListener implements AutoCloseable {
        private final KafkaConsumer<String, String> consumer;
        private volatile boolean running = true;
        private Thread thread;
        final AtomicLong seen = new AtomicLong();

        RunEventsListener() {
            consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka,
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false), new StringDeserializer(), new StringDeserializer());
            List<TopicPartition> tps = consumer.partitionsFor(Topics.RUN_EVENTS).stream()
                    .map(pi -> new TopicPartition(pi.topic(), pi.partition())).toList();
            consumer.assign(tps);
            consumer.seekToEnd(tps);
            tps.forEach(consumer::position); // pin "now" before anything is published
        }

        void start() {
            thread = Thread.ofPlatform().daemon().name("run-events").start(this::loop);
        }

        private void loop() {
            while (running) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(50))) {
                    if (r.value() == null) {
                        continue;
                    }
                    RunEvent e = ContractsJson.read(r.value(), RunEvent.class);
                    Target t = byWorkflow.get(e.workflowId());
                    if (t == null) {
                        continue;
                    }
                    seen.incrementAndGet();
                    switch (e.type()) {
                        case SUCCEEDED -> {
                            t.done.put(e.idempotencyKey(), r.timestamp());
                            if (e.httpCalls().stream().anyMatch(c -> c.status() == 429)) {
                                t.with429.put(e.idempotencyKey(), r.timestamp() + " " + e.httpCalls().stream()
                                        .map(c -> c.status() + "/" + c.durationMillis() + "ms").toList());
                            }
                        }
                        case FAILED, DEAD_LETTERED, PARKED -> t.failed.putIfAbsent(e.idempotencyKey(),
                                e.type().label() + ": " + e.error());
                        default -> {
                        }
                    }
                }
            }
            consumer.close();
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            if (thread != null) {
                thread.join(5000);
            }
        }
    }
}
