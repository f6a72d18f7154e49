package io.jsworkflows.bench;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import io.jsworkflows.contracts.Topics;
import io.jsworkflows.contracts.crypto.TokenCipher;
import io.jsworkflows.contracts.events.ConnectionStatus;
import io.jsworkflows.contracts.events.TokenState;
import io.jsworkflows.contracts.json.ContractsJson;
import io.jsworkflows.kafkabroker.KafkaProcessBroker;

/**
 * Executor cold start: a broker of its own holding {@code tokens} connections' tokens on {@code jsw.connections.tokens}
 * (sealed with a real key, with the refresher's producer settings), then the packaged executor started as
 * {@code ./jsw up} starts it; the figure is process start → first 200 from {@code /q/health/ready} (its token view,
 * definitions and run starts caught up), repeated {@code runs} times.
 *
 * <p>Usage: {@code ColdStartBenchmark root=. work=bench/target/work results=bench/target/results.properties tokens=100000 runs=2
 * [aot=bench/target/work/executor.aot] [jfr=bench/target/work/coldstart]} (aot: a training start with the tokens first writes a
 * JDK AOT cache, the measured starts use it; jfr: each measured start writes a JFR recording, {@code <jfr>-<run>.jfr})
 */
public final class ColdStartBenchmark {

    public static void main(String[] argv) throws Exception {
        Map<String, String> a = Bench.args(argv, Map.of("root", ".", "work", "bench/target/work",
                "results", "bench/target/results.properties", "tokens", "100000", "runs", "2", "aot", "", "jfr", ""));
        Path root = Path.of(a.get("root")).toAbsolutePath().normalize();
        Path work = Path.of(a.get("work")).toAbsolutePath().normalize().resolve("coldstart");
        int tokens = Integer.parseInt(a.get("tokens"));
        int runs = Integer.parseInt(a.get("runs"));
        String tokenKeys = TokenCipher.generateKey("bench-cold");
        Map<String, Object> results = new LinkedHashMap<>();

        int rc = 0;
        try (KafkaProcessBroker broker = new KafkaProcessBroker(new KafkaProcessBroker.Options(work.resolve("kafka-" + System.nanoTime()),
                0, 0, 1, false, "512m"))) {
            broker.start(Duration.ofSeconds(120));
            String bootstrap = broker.bootstrapServers();
            createTopics(bootstrap);
            warmPageCache(root.resolve("workflow-executor/target/quarkus-app"));
            // a baseline first, with no token on the topic: JVM, Quarkus and GraalJS start alone
            startOnce(root, work, bootstrap, tokenKeys, 0, results); // coldstart.baseline.*
            long t0 = System.nanoTime();
            seed(bootstrap, tokenKeys, tokens);
            Bench.log("cold start: %,d tokens published to %s in %.1f s", tokens, Topics.CONNECTION_TOKENS, (System.nanoTime() - t0) / 1e9);

            List<String> jvm = ExecutorProcess.JVM_OPTIONS;
            if (!a.get("aot").isBlank()) {
                // a training start with the tokens writes a JDK AOT cache at exit; the measured starts use it
                Path cache = Path.of(a.get("aot")).toAbsolutePath();
                java.nio.file.Files.deleteIfExists(cache);
                List<String> training = new ArrayList<>(jvm);
                training.add("-XX:AOTCacheOutput=" + cache);
                long t1 = System.nanoTime();
                startOnce(root, work, bootstrap, tokenKeys, -1, results, training);
                Bench.log("cold start: AOT cache %s written by a training start in %.1f s (%,d bytes)", cache, (System.nanoTime() - t1) / 1e9,
                        java.nio.file.Files.exists(cache) ? java.nio.file.Files.size(cache) : -1);
                jvm = new ArrayList<>(jvm);
                jvm.add("-XX:AOTCache=" + cache);
                results.put("coldstart.aot", true);
            }
            List<Long> millis = new ArrayList<>();
            for (int i = 1; i <= runs; i++) {
                List<String> options = jvm;
                if (!a.get("jfr").isBlank()) {
                    // where a start's time goes: one recording per measured start (profile settings: 10 ms samples)
                    options = new ArrayList<>(jvm);
                    options.add("-XX:StartFlightRecording=settings=profile,filename=" + Path.of(a.get("jfr")).toAbsolutePath() + "-" + i + ".jfr");
                }
                millis.add(startOnce(root, work, bootstrap, tokenKeys, i, results, options).millis());
            }
            results.put("coldstart.tokens", tokens);
            long base = ((Number) results.getOrDefault("coldstart.baseline.heap-bytes", -1L)).longValue();
            long withTokens = ((Number) results.getOrDefault("coldstart.run1.heap-bytes", -1L)).longValue();
            if (base > 0 && withTokens > 0 && tokens > 0) {
                // the token view's memory per connection, for the arithmetic of docs/scaling.md
                results.put("coldstart.heap-bytes-per-token", (withTokens - base) / tokens);
                Bench.log("cold start: %,d bytes of heap per token ((%.1f - %.1f MB) / %,d)", (withTokens - base) / tokens, withTokens / 1e6,
                        base / 1e6, tokens);
            }
            results.put("coldstart.runs", runs);
            results.put("coldstart.max.ms", millis.stream().mapToLong(Long::longValue).max().orElse(-1));
            results.put("coldstart.min.ms", millis.stream().mapToLong(Long::longValue).min().orElse(-1));
        } catch (Exception e) {
            Bench.log("cold start FAILED: %s", e);
            e.printStackTrace(System.out);
            results.put("coldstart.error", e.getMessage());
            rc = 1;
        }
        Bench.saveResults(Path.of(a.get("results")), results);
        System.exit(rc);
    }

    /** The executor's default worker JVMs (jsw.executor.workers.count). */
    static final int WORKERS = 2;

    /** Starts the packaged executor once against the broker; run 0 is the baseline without tokens. */
    static ExecutorProcess.Ready startOnce(Path root, Path work, String bootstrap, String tokenKeys, int i, Map<String, Object> results)
            throws Exception {
        return startOnce(root, work, bootstrap, tokenKeys, i, results, ExecutorProcess.JVM_OPTIONS);
    }

    /** As above with the executor's JVM options; run -1 is an AOT training start (not counted, waits for the cache at exit). */
    static ExecutorProcess.Ready startOnce(Path root, Path work, String bootstrap, String tokenKeys, int i, Map<String, Object> results,
            List<String> jvmOptions) throws Exception {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        env.put("JSW_CRYPTO_TOKEN_KEYS", tokenKeys);
        env.put("JSW_HUBSPOT_API_URL", "http://127.0.0.1:9"); // never called: no workflow runs here
        env.put("JSW_EXECUTOR_TRIGGERS_GROUP_ID", "bench-cold-" + i);
        env.put("JSW_EXECUTOR_RETRY_GROUP_ID", "bench-cold-retry-" + i);
        double load = Bench.load1();
        try (ExecutorProcess ex = ExecutorProcess.start(root, work.resolve("executor-" + (i < 0 ? "training" : i) + ".log"), env, jvmOptions)) {
            ExecutorProcess.Ready r = ex.awaitReady(Duration.ofSeconds(180));
            if (i < 0) {
                ex.stop(Duration.ofMinutes(3)); // the JVM writes the AOT cache as it exits
                return r;
            }
            long workers = ex.awaitWorkers(WORKERS, Duration.ofSeconds(120));
            long heap = ex.heapAfterFullGc();
            Bench.log("cold start %s: ready after %,d ms with %,d connections in the token view (Quarkus started in %.2f s; load %.2f); "
                    + "workers connected after %,d ms; heap after a full GC %.1f MB", i == 0 ? "baseline" : Integer.toString(i), r.millis(),
                    r.connections(), ex.quarkusStartedSeconds(), load, workers, heap / 1e6);
            String k = i == 0 ? "coldstart.baseline" : "coldstart.run" + i;
            results.put(k + ".heap-bytes", heap);
            results.put(k + ".workers-ms", workers);
            results.put(k + ".ms", r.millis());
            results.put(k + ".connections", r.connections());
            results.put(k + ".quarkus-started-s", ex.quarkusStartedSeconds());
            results.put(k + ".load1", load);
            return r;
        }
    }

    /** Reads the executor's jars once, so that no run pays for the disk (a replica's image is in the page cache too). */
    static void warmPageCache(Path dir) throws java.io.IOException {
        try (var files = java.nio.file.Files.walk(dir)) {
            for (Path f : files.filter(java.nio.file.Files::isRegularFile).toList()) {
                try (var in = java.nio.file.Files.newInputStream(f)) {
                    in.transferTo(java.io.OutputStream.nullOutputStream());
                }
            }
        }
    }

    static void createTopics(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            List<NewTopic> topics = new ArrayList<>();
            for (Topics.Spec s : Topics.ALL) {
                topics.add(new NewTopic(s.name(), s.partitions(), (short) 1)
                        .configs(Map.of("cleanup.policy", s.compacted() ? "compact" : "delete")));
            }
            topics.add(new NewTopic("jsw.runs.inflight", 6, (short) 1).configs(Map.of("cleanup.policy", "compact")));
            admin.createTopics(topics).all().get();
        }
    }

    /** Tokens as token-refresher publishes them: TokenState JSON, the access token sealed for its connection, lz4. */
    static void seed(String bootstrap, String tokenKeys, int count) throws Exception {
        TokenCipher cipher = TokenCipher.fromConfig(tokenKeys, "bench token key");
        SecureRandom random = new SecureRandom();
        // the refresher's compression and linger (KafkaStatePublisher); without idempotence, which a loaded machine's
        // timeouts turned into OUT_OF_ORDER_SEQUENCE_NUMBER failures: the keys are unique, so a retried duplicate is harmless
        Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4", ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000);
        AtomicLong failed = new AtomicLong();
        Instant now = Instant.now();
        try (KafkaProducer<String, String> p = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < count; i++) {
                String id = "cold-" + i;
                byte[] raw = new byte[72];
                random.nextBytes(raw);
                String accessToken = "CO" + Base64.getUrlEncoder().withoutPadding().encodeToString(raw); // the emulator's shape
                TokenState t = new TokenState(TokenState.SCHEMA_VERSION, id, "ws-cold-" + (i % 1000), "hubspot-" + i, 10_000_000L + i,
                        List.of("crm.objects.contacts.write", "crm.objects.deals.write", "oauth"), ConnectionStatus.ACTIVE,
                        cipher.seal(accessToken, id), now.plusSeconds(600 + i % 1200), 1, 1, now, null);
                p.send(new ProducerRecord<>(Topics.CONNECTION_TOKENS, id, ContractsJson.write(t)), (md, e) -> {
                    if (e != null) {
                        failed.incrementAndGet();
                    }
                });
                if (i % 10_000 == 9_999) {
                    p.flush(); // bounded batches in flight on a loaded machine
                }
            }
            p.flush();
        }
        if (failed.get() > 0) {
            throw new IllegalStateException(failed.get() + " token records were not published");
        }
    }
}
