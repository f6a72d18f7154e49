package io.jsworkflows.executor.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

import io.jsworkflows.contracts.crypto.TokenCipher;
import io.jsworkflows.contracts.events.ConnectionStatus;
import io.jsworkflows.contracts.events.TokenState;
import io.jsworkflows.executor.config.ExecutorConfig;
import io.jsworkflows.executor.messaging.KafkaClients;
import io.jsworkflows.executor.runtime.ErrorCategory;
import io.jsworkflows.executor.runtime.GraalWorkflowRuntime;
import io.jsworkflows.executor.runtime.ProcessWorkflowRuntime;
import io.jsworkflows.executor.runtime.RunHost;
import io.jsworkflows.executor.runtime.RunRequest;
import io.jsworkflows.executor.runtime.RunResult;
import io.jsworkflows.executor.runtime.RuntimeLimits;
import io.jsworkflows.executor.runtime.WorkflowRuntime;
import io.jsworkflows.executor.service.FetchBudget;
import io.jsworkflows.executor.service.FetchGateway;
import io.jsworkflows.executor.service.TokenView;
import io.jsworkflows.testsupport.HubSpotEmulator;
import io.jsworkflows.testsupport.HubSpotEmulatorTestResource;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * Throughput and latency of the contact workflow (examples/workflows/contact-from-order.js, unmodified) in the
 * executor's runtime: pooled GraalJS contexts, the real token view, the real fetch gateway (egress guard, HubSpot
 * origin mapping, portal budget), against the HubSpot emulator at 0 ms latency with its rate limit off. Kafka is left
 * out: this measures the run path, not the trigger topic. Run it with {@code workflow-executor/bench/run-benchmark.sh}.
 *
 * <p>Arguments: {@code threads=1,2,4 warmup=PT10S measure=PT20S fetch=emulator|stub isolation=in-process|process|both workers=2
 * rounds=3 detail=false}; {@code fetch=stub} answers every fetch with a canned 201 at once, which measures the runtime and
 * bridge alone; {@code isolation=both} alternates windows of the two runtimes ({@code rounds} of each per thread count) in
 * one JVM, so that the load of a shared machine hits both alike; {@code detail=true} adds CPU per run by thread.
 */
public final class ContactWorkflowBenchmark {

    static boolean stub;
    static boolean detail;

    static final String KEYS = "bench:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new java.util.HashMap<>(Map.of("threads", "1,2,4", "warmup", "PT10S", "measure", "PT20S", "fetch", "emulator",
                "isolation", "in-process", "workers", "2", "detail", "false", "rounds", "3"));
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            a.put(kv[0], kv[1]);
        }
        Path root = Path.of(System.getProperty("jswtest.root.dir", "..")).toAbsolutePath().normalize();
        String base = HubSpotEmulatorTestResource.baseUrl();
        HubSpotEmulator emulator = HubSpotEmulator.at(base);
        emulator.setRateLimit(0, Duration.ofSeconds(10)); // 0 = off: measure the runtime, not HubSpot's budget
        HubSpotEmulator.Tokens tokens = emulator.issueTokens(HubSpotEmulator.PORTAL_ID, List.of("crm.objects.contacts.read",
                "crm.objects.contacts.write"));

        SmallRyeConfig cfg = new SmallRyeConfigBuilder().withMapping(ExecutorConfig.class)
                .withDefaultValue("jsw.crypto.token-keys", KEYS)
                .withDefaultValue("jsw.hubspot.api-url", base)
                .withDefaultValue("jsw.executor.rate-limit.max", "1000000")
                .build();
        ExecutorConfig config = cfg.getConfigMapping(ExecutorConfig.class);
        KafkaClients kafka = new KafkaClients(Map.of("bootstrap.servers", "127.0.0.1:1")); // refresh requests are never needed here
        TokenView view = new TokenView(config, kafka);
        view.apply("bench-conn", new TokenState(1, "bench-conn", "bench", "my-hubspot", tokens.hubId(), tokens.scopes(),
                ConnectionStatus.ACTIVE, TokenCipher.fromConfig(KEYS, "bench").seal(tokens.accessToken(), "bench-conn"),
                Instant.now().plusSeconds(tokens.expiresIn()), 1, 1, Instant.now(), null));
        view.markReady();
        FetchGateway gateway = new FetchGateway(config, view, new FetchBudget(config, new SimpleMeterRegistry()),
                new io.jsworkflows.executor.client.OutboundHttpClient(io.vertx.core.Vertx.vertx(), config),
                new io.jsworkflows.executor.service.RunTracing(io.opentelemetry.api.OpenTelemetry.noop()), new SimpleMeterRegistry());
        String source = Files.readString(root.resolve("examples/workflows/contact-from-order.js"));
        String order = Files.readString(root.resolve("examples/shopify/order-created.json"));
        Duration warmup = Duration.parse(a.get("warmup"));
        Duration measure = Duration.parse(a.get("measure"));

        stub = a.get("fetch").equals("stub");
        detail = Boolean.parseBoolean(a.get("detail"));
        String isolation = a.get("isolation");
        int workers = Integer.parseInt(a.get("workers"));
        int rounds = Integer.parseInt(a.get("rounds"));
        System.out.printf("contact workflow benchmark: %s, isolation %s, Java %s, %d cores%n", stub ? "fetch stubbed (canned 201)"
                : "emulator " + base + " (0 ms latency, rate limit off)", switch (isolation) {
                    case "process" -> "process (" + workers + " worker JVMs, -Xmx256m)";
                    case "both" -> "in-process and process (" + workers + " worker JVMs, -Xmx256m) alternating, " + rounds + " rounds";
                    default -> "in-process";
                }, Runtime.version(), Runtime.getRuntime().availableProcessors());
        AtomicLong seq = new AtomicLong();
        if (isolation.equals("both")) {
            // both runtimes in this JVM, measured in alternating windows: a shared machine's load drifts by the minute,
            // so each process window is compared with the in-process windows around it
            try (WorkflowRuntime in = new GraalWorkflowRuntime(RuntimeLimits.DEFAULTS);
                    WorkflowRuntime out = new ProcessWorkflowRuntime(RuntimeLimits.DEFAULTS, workers, 8, "256m", null)) {
                for (String t : a.get("threads").split(",")) {
                    int threads = Integer.parseInt(t.trim());
                    run(in, "in-process", view, gateway, source, order, seq, threads, warmup, false);
                    run(out, "process", view, gateway, source, order, seq, threads, warmup, false);
                    double[] inRate = new double[rounds];
                    double[] outRate = new double[rounds];
                    for (int r = 0; r < rounds; r++) {
                        inRate[r] = run(in, "in-process", view, gateway, source, order, seq, threads, measure, true);
                        outRate[r] = run(out, "process", view, gateway, source, order, seq, threads, measure, true);
                    }
                    double i = median(inRate);
                    double o = median(outRate);
                    System.out.printf("SUMMARY threads=%d  in-process runs/s median=%.0f %s  process runs/s median=%.0f %s  cost=%.0f %%%n", threads, i,
                            java.util.Arrays.toString(java.util.Arrays.stream(inRate).map(Math::rint).toArray()), o,
                            java.util.Arrays.toString(java.util.Arrays.stream(outRate).map(Math::rint).toArray()), 100 * (1 - o / i));
                }
            }
        } else {
            try (WorkflowRuntime runtime = isolation.equals("process")
                    ? new ProcessWorkflowRuntime(RuntimeLimits.DEFAULTS, workers, 8, "256m", null)
                    : new GraalWorkflowRuntime(RuntimeLimits.DEFAULTS)) {
                for (String t : a.get("threads").split(",")) {
                    int threads = Integer.parseInt(t.trim());
                    run(runtime, isolation, view, gateway, source, order, seq, threads, warmup, false);
                    run(runtime, isolation, view, gateway, source, order, seq, threads, measure, true);
                }
            }
        }
        System.exit(0);
    }

    static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** Runs the workflow from {@code threads} threads for {@code duration}; returns runs/s (and prints the figures when {@code report}). */
    static double run(WorkflowRuntime runtime, String label, TokenView view, FetchGateway gateway, String source, String order, AtomicLong seq,
            int threads, Duration duration, boolean report) throws InterruptedException {
        ConcurrentLinkedQueue<long[]> runs = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Long> tokenLookups = new ConcurrentLinkedQueue<>();
        AtomicLong failures = new AtomicLong();
        String[] lastError = new String[1];
        Map<String, Long> cpu0 = cpu(runtime);
        Map<String, Long> threads0 = threadCpu(runtime);
        long end = System.nanoTime() + duration.toNanos();
        CountDownLatch done = new CountDownLatch(threads);
        for (int i = 0; i < threads; i++) {
            Thread.ofPlatform().name("bench-" + i).start(() -> {
                while (System.nanoTime() < end) {
                    String email = "bench-" + seq.incrementAndGet() + "@example.com";
                    String data = order.replace("ada.lovelace@example.com", email);
                    long[] stages = new long[2]; // host-call nanos, first host call (or token lookup) at
                    long t0 = System.nanoTime();
                    RunResult r = runtime.run(new RunRequest("contact-from-order", 1, source, data, Map.of("X-Shopify-Topic", "orders/create"),
                            Duration.ofSeconds(30)), host(view, gateway, tokenLookups, stages));
                    long t1 = System.nanoTime();
                    if (r.succeeded()) {
                        runs.add(new long[] { t1 - t0, r.durationNanos(), stages[0], stages[1] - t0 });
                    } else {
                        failures.incrementAndGet();
                        lastError[0] = r.error();
                    }
                }
                done.countDown();
            });
        }
        done.await();
        if (!report) {
            return 0;
        }
        Map<String, Long> cpu1 = cpu(runtime);
        Map<String, Long> threads1 = threadCpu(runtime);
        long[] lat = runs.stream().mapToLong(x -> x[0]).sorted().toArray();
        long[] tok = tokenLookups.stream().mapToLong(Long::longValue).sorted().toArray();
        System.out.printf("%s threads=%d  runs=%d  failures=%d  runs/s=%.0f  latency ms p50=%.2f p90=%.2f p99=%.2f max=%.2f  "
                + "getOAuthToken us p50=%.1f p99=%.1f  (load %s)%n", label, threads, lat.length, failures.get(), lat.length / (duration.toMillis() / 1000.0),
                pct(lat, 50) / 1e6, pct(lat, 90) / 1e6, pct(lat, 99) / 1e6, lat.length == 0 ? 0 : lat[lat.length - 1] / 1e6,
                pct(tok, 50) / 1e3, pct(tok, 99) / 1e3, loadAverage());
        if (lat.length > 0) {
            // where a run's time goes (means): outside the runtime's own measure (channel to and from a worker), before its
            // first host call (hand-off, context, JavaScript up to getOAuthToken), host calls as the executor served them
            double mean = runs.stream().mapToLong(x -> x[0]).average().orElse(0) / 1e6;
            double inRuntime = runs.stream().mapToLong(x -> x[1]).average().orElse(0) / 1e6;
            double host = runs.stream().mapToLong(x -> x[2]).average().orElse(0) / 1e6;
            double first = runs.stream().mapToLong(x -> x[3]).average().orElse(0) / 1e6;
            System.out.printf("  stages ms (mean): total=%.2f outside-runtime=%.2f to-first-host-call=%.2f host-calls=%.2f rest-in-runtime=%.2f%n",
                    mean, mean - inRuntime, first, host, inRuntime - host);
            // CPU time per run of each process: what isolation adds beyond waiting
            StringBuilder b = new StringBuilder("  cpu ms/run:");
            long total = 0;
            for (var e : cpu1.entrySet()) {
                long d = e.getValue() - cpu0.getOrDefault(e.getKey(), 0L);
                total += d;
                b.append(String.format(" %s=%.2f", e.getKey(), d / 1e6 / lat.length));
            }
            System.out.println(b.append(String.format(" total=%.2f", total / 1e6 / lat.length)));
        }
        if (lat.length > 0 && detail) {
            // CPU per run by thread (name without digits) of this JVM and the workers, from /proc: JIT, GC, channel, JavaScript
            StringBuilder b = new StringBuilder("  cpu ms/run by thread:");
            threads1.entrySet().stream().map(e -> Map.entry(e.getKey(), e.getValue() - threads0.getOrDefault(e.getKey(), 0L)))
                    .filter(e -> e.getValue() > 0).sorted((x, y) -> Long.compare(y.getValue(), x.getValue())).limit(14)
                    .forEach(e -> b.append(String.format("%n    %-32s %.3f", e.getKey(), e.getValue() * 10.0 / lat.length)));
            System.out.println(b);
        }
        if (lastError[0] != null) {
            System.out.println("  last failure: " + lastError[0]);
        }
        return lat.length / (duration.toMillis() / 1000.0);
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException e) {
            return "?";
        }
    }

    /** CPU nanoseconds so far of this JVM, the workers (if any) and the emulator (every other descendant). */
    static Map<String, Long> cpu(WorkflowRuntime runtime) {
        java.util.Set<Long> workers = runtime instanceof ProcessWorkflowRuntime p ? new java.util.HashSet<>(p.workerPids()) : java.util.Set.of();
        Map<String, Long> m = new java.util.TreeMap<>();
        m.put("executor", ProcessHandle.current().info().totalCpuDuration().map(Duration::toNanos).orElse(0L));
        ProcessHandle.current().descendants().forEach(h -> {
            long n = h.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
            m.merge(workers.contains(h.pid()) ? "workers" : "emulator", n, Long::sum);
        });
        return m;
    }

    /** Clock ticks (10 ms) so far per "process/thread name" (digits dropped) of this JVM and the workers, from /proc. */
    static Map<String, Long> threadCpu(WorkflowRuntime runtime) {
        Map<String, Long> m = new java.util.TreeMap<>();
        List<Long> pids = new java.util.ArrayList<>(List.of(ProcessHandle.current().pid()));
        if (runtime instanceof ProcessWorkflowRuntime p) {
            pids.addAll(p.workerPids());
        }
        for (long pid : pids) {
            String who = pid == ProcessHandle.current().pid() ? "executor" : "worker";
            try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
                tasks.forEach(t -> {
                    try {
                        String st = Files.readString(t.resolve("stat"));
                        String name = st.substring(st.indexOf('(') + 1, st.lastIndexOf(')')).replaceAll("[0-9]+", "#");
                        String[] f = st.substring(st.lastIndexOf(')') + 2).split(" ");
                        m.merge(who + "/" + name, Long.parseLong(f[11]) + Long.parseLong(f[12]), Long::sum);
                    } catch (java.io.IOException | RuntimeException e) {
                        // the thread ended meanwhile
                    }
                });
            } catch (java.io.IOException e) {
                // the process ended meanwhile
            }
        }
        return m;
    }

    static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    static RunHost host(TokenView view, FetchGateway gateway, ConcurrentLinkedQueue<Long> tokenLookups, long[] stages) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        FetchBudget.Share share = gateway.openShare(); // each body is released as soon as it arrives: the benchmark keeps none
        FetchGateway.CallSink sink = new FetchGateway.CallSink() {
            @Override
            public FetchBudget.Share share() {
                return share;
            }

            @Override
            public void call(String method, String host, String path, int status, long millis) {
            }

            @Override
            public void transientFailure(ErrorCategory category) {
            }

            @Override
            public Duration remaining() {
                return Duration.ofNanos(deadline - System.nanoTime());
            }
        };
        return new RunHost() {
            @Override
            public String tokenNow(String handle) {
                // as the executor's own host does: the ready token travels with the run to a worker
                long t0 = System.nanoTime();
                if (stages[1] == 0) {
                    stages[1] = t0;
                }
                String token = view.tokenNow("bench", handle, Duration.ofSeconds(30)).orElse(null);
                if (token != null) {
                    tokenLookups.add(System.nanoTime() - t0);
                }
                return token;
            }

            @Override
            public CompletableFuture<TokenResult> getOAuthToken(String handle) {
                long t0 = System.nanoTime();
                if (stages[1] == 0) {
                    stages[1] = t0;
                }
                return view.lookup("bench", handle, Duration.ofSeconds(30)).thenApply(l -> {
                    tokenLookups.add(System.nanoTime() - t0);
                    stages[0] += System.nanoTime() - t0;
                    return l.token() != null ? TokenResult.ok(l.token()) : TokenResult.error(l.error());
                });
            }

            @Override
            public CompletableFuture<FetchResponse> fetch(FetchRequest request) {
                if (stub) {
                    return CompletableFuture.completedFuture(new FetchResponse(201, "", request.url(),
                            List.of(List.of("content-type", "application/json")), "{\"id\":\"1\"}"));
                }
                long t0 = System.nanoTime();
                return gateway.fetch(request, sink).whenComplete((r, e) -> {
                    stages[0] += System.nanoTime() - t0;
                    share.releaseBody(r);
                });
            }
        };
    }

    private ContactWorkflowBenchmark() {
    }
}
