package io.jsworkflows.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;

import io.jsworkflows.contracts.Topics;
import io.jsworkflows.contracts.crypto.TokenCipher;
import io.jsworkflows.contracts.events.SourceKind;
import io.jsworkflows.contracts.events.SourceState;
import io.jsworkflows.contracts.json.ContractsJson;
import io.jsworkflows.kafkabroker.KafkaProcessBroker;

/**
 * Webhook ingress throughput and latency: signed Shopify deliveries against a running webhook-gateway, each with its
 * own webhook id, so that every one is a record on {@code shopify.orders}. The latency is to the 200, which the gateway
 * answers only after Kafka acknowledged the record.
 *
 * <p>The driver starts nothing: {@code IngressBenchmark url=http://127.0.0.1:8084 source=src_.. secret=.. shop=..}
 * hits any gateway. Three phases on keep-alive HTTP/1.1 connections: a warm-up, a closed loop ({@code connections}
 * requests in flight: the most the gateway accepts per second), and an open loop at {@code rate}/s whose latency counts
 * from each request's scheduled time (so a stall is not hidden by the requests it held back).
 *
 * <p>{@link Launcher} is the small launcher bench/run.sh uses: its own broker, the packaged gateway (with ZGC, as its
 * image runs it; {@code -Dingress.gc=-XX:+UseG1GC} compares), one sealed source, then the driver, then a check that the
 * topic holds exactly the accepted deliveries.
 *
 * <p>Longer than a class should be: its launcher, the three phases and the final count are one script, read top to
 * bottom as the report lists them.
 */
public final class IngressBenchmark {

    /** What one phase measured. */
    record Phase(String name, long accepted, long failed, double seconds, long[] sortedNanos) {
        double perSecond() {
            return accepted / seconds;
        }

        double ms(double p) {
            return Bench.pct(sortedNanos, p) / 1e6;
        }
    }

    private final URI url;
    private final String sourceId;
    private final String shop;
    private final byte[] body;
    private final String hmac;
    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final AtomicLong seq = new AtomicLong();

    IngressBenchmark(URI url, String sourceId, String secret, String shop, byte[] body) throws Exception {
        this.url = url;
        this.sourceId = sourceId;
        this.shop = shop;
        this.body = body;
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        this.hmac = java.util.Base64.getEncoder().encodeToString(mac.doFinal(body)); // the body is the same, the ids differ
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> a = Bench.args(argv, defaults(Map.of("url", "http://127.0.0.1:8084", "source", "", "secret", "", "shop", "")));
        Map<String, Object> results = new LinkedHashMap<>();
        int rc = drive(a, results);
        Bench.saveResults(Path.of(a.get("results")), results);
        System.exit(rc);
    }

    static Map<String, String> defaults(Map<String, String> more) {
        Map<String, String> d = new LinkedHashMap<>(Map.of("body", "examples/shopify/order-created.json", "connections", "16",
                "rate", "2000", "warmup", "PT20S", "measure", "PT20S", "results", "bench/target/results.properties",
                "gateway-pid", "-1", "broker-pid", "-1"));
        d.putAll(more);
        return d;
    }

    /** Runs the three phases; results under {@code ingress.*}. Returns 0, or 1 when a phase had failures. */
    static int drive(Map<String, String> a, Map<String, Object> results) throws Exception {
        IngressBenchmark b = new IngressBenchmark(URI.create(a.get("url")), a.get("source"), a.get("secret"), a.get("shop"),
                Files.readAllBytes(Path.of(a.get("body"))));
        int connections = Integer.parseInt(a.get("connections"));
        Duration warmup = Duration.parse(a.get("warmup"));
        Duration measure = Duration.parse(a.get("measure"));
        int rate = Integer.parseInt(a.get("rate"));
        Bench.log("ingress: %d-byte signed orders/create deliveries to %s, %d connections", b.body.length, b.url, connections);
        Phase w = b.phase("warm-up", connections, warmup, 0);
        Bench.log("ingress: warm-up %,d accepted (%.0f/s), %d failed", w.accepted(), w.perSecond(), w.failed());
        long gatewayPid = Long.parseLong(a.get("gateway-pid"));
        long brokerPid = Long.parseLong(a.get("broker-pid"));
        double load = Bench.load1();
        long g0 = Bench.cpuNanos(gatewayPid);
        long k0 = Bench.cpuNanos(brokerPid);
        Phase closed = b.phase("closed", connections, measure, 0);
        report("closed loop", closed, load, results, "ingress.closed");
        cpu(closed, gatewayPid, g0, brokerPid, k0, results, "ingress.closed");
        load = Bench.load1();
        g0 = Bench.cpuNanos(gatewayPid);
        k0 = Bench.cpuNanos(brokerPid);
        Phase open = b.phase("open", connections, measure, rate);
        report("open loop at " + rate + "/s", open, load, results, "ingress.open");
        cpu(open, gatewayPid, g0, brokerPid, k0, results, "ingress.open");
        results.put("ingress.open.rate", rate);
        results.put("ingress.connections", connections);
        results.put("ingress.body-bytes", b.body.length);
        results.put("ingress.total-accepted", w.accepted() + closed.accepted() + open.accepted());
        return w.failed() + closed.failed() + open.failed() == 0 ? 0 : 1;
    }

    private static void report(String what, Phase p, double load, Map<String, Object> results, String key) {
        Bench.log("ingress: %s: %,.0f accepted/s over %.1f s, latency to 200 p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.1f ms; "
                + "%d failed (load before %.2f)", what, p.perSecond(), p.seconds(), p.ms(50), p.ms(99), p.ms(99.9), p.ms(100), p.failed(), load);
        results.put(key + ".per-second", Math.round(p.perSecond()));
        results.put(key + ".p50.ms", round2(p.ms(50)));
        results.put(key + ".p99.ms", round2(p.ms(99)));
        results.put(key + ".p999.ms", round2(p.ms(99.9)));
        results.put(key + ".failed", p.failed());
        results.put(key + ".load1", load);
    }

    /** CPU per accepted delivery of the gateway and the broker over one phase, when their pids are known. */
    private static void cpu(Phase p, long gatewayPid, long g0, long brokerPid, long k0, Map<String, Object> results, String key) {
        if (gatewayPid <= 0 || p.accepted() == 0) {
            return;
        }
        double g = (Bench.cpuNanos(gatewayPid) - g0) / 1e3 / p.accepted();
        double k = brokerPid > 0 ? (Bench.cpuNanos(brokerPid) - k0) / 1e3 / p.accepted() : -1;
        Bench.log("ingress:   CPU per accepted delivery: gateway %.0f µs, broker %.0f µs", g, k);
        results.put(key + ".gateway-cpu-us", Math.round(g));
        results.put(key + ".broker-cpu-us", Math.round(k));
    }

    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }

    /** One phase: {@code connections} threads, each on its own connection; {@code rate} 0 = closed loop. */
    Phase phase(String name, int connections, Duration length, int rate) throws InterruptedException {
        long start = System.nanoTime();
        long end = start + length.toNanos();
        long[][] samples = new long[connections][];
        long[] accepted = new long[connections];
        long[] failed = new long[connections];
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            int id = c;
            threads.add(Thread.ofPlatform().name("ingress-" + name + "-" + c).start(() -> {
                long interval = rate > 0 ? TimeUnit.SECONDS.toNanos(connections) / rate : 0;
                long[] lat = new long[1 << 16];
                int n = 0;
                long next = start + (interval * id) / connections; // spread the connections' schedules
                Connection conn = null;
                while (true) {
                    long scheduled;
                    if (interval > 0) {
                        scheduled = next;
                        next += interval;
                        if (scheduled >= end) {
                            break;
                        }
                        long wait = scheduled - System.nanoTime();
                        if (wait > 0) {
                            LockSupport.parkNanos(wait);
                        }
                    } else {
                        scheduled = System.nanoTime();
                        if (scheduled >= end) {
                            break;
                        }
                    }
                    int status;
                    try {
                        if (conn == null) {
                            conn = new Connection(url);
                        }
                        status = conn.post(request());
                        if (conn.closed) {
                            conn.close();
                            conn = null;
                        }
                    } catch (IOException e) {
                        status = -1;
                        if (conn != null) {
                            conn.close();
                            conn = null;
                        }
                    }
                    long done = System.nanoTime();
                    if (status == 200) {
                        accepted[id]++;
                        if (n == lat.length) {
                            lat = Arrays.copyOf(lat, n * 2);
                        }
                        lat[n++] = done - scheduled;
                    } else {
                        failed[id]++;
                    }
                }
                if (conn != null) {
                    conn.close();
                }
                samples[id] = Arrays.copyOf(lat, n);
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        long[] all = Arrays.stream(samples).flatMapToLong(Arrays::stream).sorted().toArray();
        return new Phase(name, Arrays.stream(accepted).sum(), Arrays.stream(failed).sum(), seconds, all);
    }

    /** A delivery as Shopify sends it, with a webhook id of its own. */
    private byte[] request() {
        String id = "bench-" + run + "-" + seq.incrementAndGet();
        String head = "POST /webhooks/shopify/" + sourceId + " HTTP/1.1\r\n"
                + "Host: " + url.getHost() + ":" + url.getPort() + "\r\n"
                + "Content-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + "X-Shopify-Topic: orders/create\r\n"
                + "X-Shopify-Shop-Domain: " + shop + "\r\n"
                + "X-Shopify-API-Version: 2026-01\r\n"
                + "X-Shopify-Hmac-Sha256: " + hmac + "\r\n"
                + "X-Shopify-Webhook-Id: " + id + "\r\n"
                + "X-Shopify-Event-Id: " + id + "\r\n"
                + "X-Shopify-Triggered-At: 2026-12-06T10:00:00.000Z\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        byte[] r = Arrays.copyOf(h, h.length + body.length);
        System.arraycopy(body, 0, r, h.length, body.length);
        return r;
    }

    /** A keep-alive HTTP/1.1 connection that reads just enough of each response. */
    private static final class Connection implements AutoCloseable {
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;
        private final byte[] line = new byte[8192];
        boolean closed;

        Connection(URI url) throws IOException {
            socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(url.getHost(), url.getPort()), 5000);
            socket.setSoTimeout(30_000);
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
        }

        int post(byte[] request) throws IOException {
            out.write(request);
            out.flush();
            String status = readLine();
            if (status == null || !status.startsWith("HTTP/1.1 ")) {
                throw new IOException("bad status line");
            }
            int code = Integer.parseInt(status.substring(9, 12));
            long length = 0;
            String h;
            while ((h = readLine()) != null && !h.isEmpty()) {
                int colon = h.indexOf(':');
                String name = colon < 0 ? h : h.substring(0, colon).trim();
                if (name.equalsIgnoreCase("content-length")) {
                    length = Long.parseLong(h.substring(colon + 1).trim());
                } else if (name.equalsIgnoreCase("connection") && h.substring(colon + 1).trim().equalsIgnoreCase("close")) {
                    closed = true;
                }
            }
            in.skipNBytes(length);
            return code;
        }

        private String readLine() throws IOException {
            int n = 0;
            int b;
            while ((b = in.read()) != -1) {
                if (b == '\n') {
                    return new String(line, 0, n > 0 && line[n - 1] == '\r' ? n - 1 : n, StandardCharsets.US_ASCII);
                }
                if (n < line.length) {
                    line[n++] = (byte) b;
                }
            }
            closed = true;
            return n == 0 ? null : new String(line, 0, n, StandardCharsets.US_ASCII);
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    /**
     * Starts a broker of its own and the packaged gateway ({@code webhook-gateway/target/quarkus-app}), publishes one
     * sealed source, runs the driver, then checks that {@code shopify.orders} holds exactly the accepted deliveries and
     * stops both. Usage: {@code IngressBenchmark$Launcher root=. work=bench/target/work results=...} plus the driver's
     * {@code connections}, {@code rate}, {@code warmup}, {@code measure}.
     */
    public static final class Launcher {

        public static void main(String[] argv) throws Exception {
            Map<String, String> a = Bench.args(argv, defaults(Map.of("root", ".", "work", "bench/target/work")));
            Path root = Path.of(a.get("root")).toAbsolutePath().normalize();
            Path work = Path.of(a.get("work")).toAbsolutePath().normalize().resolve("ingress");
            Files.createDirectories(work);
            Map<String, Object> results = new LinkedHashMap<>();
            int rc = 1;
            try (KafkaProcessBroker broker = new KafkaProcessBroker(new KafkaProcessBroker.Options(work.resolve("kafka-" + System.nanoTime()),
                    0, 0, 1, false, "512m"))) {
                broker.start(Duration.ofSeconds(120));
                String bootstrap = broker.bootstrapServers();
                createTopics(bootstrap);
                String keys = TokenCipher.generateKey("bench-src");
                String sourceId = "src_bench_" + UUID.randomUUID().toString().substring(0, 8);
                String secret = "shpss_" + UUID.randomUUID().toString().replace("-", "");
                String shop = "bench-shop.myshopify.com";
                publishSource(bootstrap, keys, sourceId, shop, secret);

                int port = Bench.freePort();
                Map<String, String> env = new HashMap<>();
                env.put("KAFKA_BOOTSTRAP_SERVERS", bootstrap);
                env.put("JSW_CRYPTO_SOURCE_KEYS", keys);
                env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
                Path jar = root.resolve("webhook-gateway/target/quarkus-app/quarkus-run.jar");
                String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
                ProcessBuilder pb = new ProcessBuilder(java, System.getProperty("ingress.gc", "-XX:+UseZGC"), "-Xmx512m",
                        "-Xlog:gc:file=" + work.resolve("gateway-gc.log"), "-jar", jar.toString())
                        .redirectErrorStream(true).redirectOutput(work.resolve("gateway.log").toFile());
                pb.environment().putAll(env);
                Process gateway = pb.start();
                try {
                    awaitReady("http://127.0.0.1:" + port + "/q/health/ready", gateway, Duration.ofSeconds(180));
                    Map<String, String> d = new LinkedHashMap<>(a);
                    d.remove("root");
                    d.remove("work");
                    d.put("url", "http://127.0.0.1:" + port);
                    d.put("source", sourceId);
                    d.put("secret", secret);
                    d.put("shop", shop);
                    d.put("gateway-pid", Long.toString(gateway.pid()));
                    d.put("broker-pid", Long.toString(broker.pid()));
                    rc = drive(d, results);
                    long accepted = (long) results.get("ingress.total-accepted");
                    long onTopic = endOffsets(bootstrap, Topics.SHOPIFY_ORDERS);
                    results.put("ingress.records", onTopic);
                    Bench.log("ingress: %,d accepted in all, %,d records on %s (%s)", accepted, onTopic, Topics.SHOPIFY_ORDERS,
                            onTopic == accepted ? "one each" : "MISMATCH");
                    if (onTopic != accepted) {
                        rc = 1;
                    }
                } finally {
                    gateway.destroy();
                    if (!gateway.waitFor(20, TimeUnit.SECONDS)) {
                        gateway.destroyForcibly();
                    }
                }
            } catch (Exception e) {
                Bench.log("ingress FAILED: %s", e);
                results.put("ingress.error", String.valueOf(e.getMessage()));
                rc = 1;
            }
            Bench.saveResults(Path.of(a.get("results")), results);
            System.exit(rc);
        }

        private static void createTopics(String bootstrap) throws Exception {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                List<NewTopic> topics = new ArrayList<>();
                List<Topics.Spec> specs = new ArrayList<>(Topics.ALL);
                specs.addAll(Topics.SOURCE_TOPICS);
                for (Topics.Spec s : specs) {
                    topics.add(new NewTopic(s.name(), s.partitions(), (short) 1)
                            .configs(Map.of("cleanup.policy", s.compacted() ? "compact" : "delete")));
                }
                admin.createTopics(topics).all().get();
            }
        }

        /** The source as connections-service publishes it: its secret sealed with the source key ring for its id. */
        private static void publishSource(String bootstrap, String keys, String sourceId, String shop, String secret) throws Exception {
            TokenCipher cipher = TokenCipher.fromConfig(keys, "bench source key");
            SourceState s = new SourceState(SourceState.SCHEMA_VERSION, sourceId, "ws-bench", SourceKind.shopify, shop,
                    cipher.seal(secret, sourceId), 1, Instant.now());
            Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all");
            try (KafkaProducer<String, String> p = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
                p.send(new ProducerRecord<>(Topics.SOURCES, sourceId, ContractsJson.write(s))).get();
            }
        }

        private static void awaitReady(String url, Process p, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("the gateway exited with " + p.exitValue() + "; see its log");
                }
                if (Bench.http("GET", url, null, null).status() == 200) {
                    return;
                }
                Bench.sleep(Duration.ofMillis(250));
            }
            throw new IllegalStateException("the gateway was not ready within " + timeout);
        }

        private static long endOffsets(String bootstrap, String topic) throws Exception {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
                Map<TopicPartition, OffsetSpec> q = new HashMap<>();
                for (int i = 0; i < partitions; i++) {
                    q.put(new TopicPartition(topic, i), OffsetSpec.latest());
                }
                return admin.listOffsets(q).all().get().values().stream().mapToLong(x -> x.offset()).sum();
            }
        }
    }
}
