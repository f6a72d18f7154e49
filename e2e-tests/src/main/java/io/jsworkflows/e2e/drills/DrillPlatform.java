package io.jsworkflows.e2e.drills;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.TopicPartition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.jsworkflows.e2e.platform.PlatformClient;
import io.jsworkflows.e2e.platform.PlatformUnderTest;
import io.jsworkflows.localstack.client.Http;
import io.jsworkflows.localstack.stack.ManagedService;

/**
 * The e2e harness ({@link PlatformUnderTest}) plus what the drills need around it and the harness does not offer:
 * connections-service environment, readiness and metrics of each process, consumer-group assignments, process ids
 * (a restart would change them), and deploying a workflow with its own retry policy.
 */
public final class DrillPlatform implements AutoCloseable {

    /** Extra environment per service; empty maps keep the harness's defaults. */
    public record Env(Map<String, String> emulator, Map<String, String> connections, Map<String, String> refresher,
            Map<String, String> executor) {

        public static Env defaults() {
            return new Env(Map.of(), Map.of(), Map.of(), Map.of());
        }

        public Env emulator(Map<String, String> e) {
            return new Env(e, connections, refresher, executor);
        }

        public Env connections(Map<String, String> e) {
            return new Env(emulator, e, refresher, executor);
        }

        public Env refresher(Map<String, String> e) {
            return new Env(emulator, connections, e, executor);
        }

        public Env executor(Map<String, String> e) {
            return new Env(emulator, connections, refresher, e);
        }
    }

    public static final String ORDERS_TOPIC = "shopify.orders";

    private final PlatformUnderTest platform;
    private final PlatformClient client;
    private final Path workDir;
    private final Map<String, Long> startPids = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private Admin admin;

    private DrillPlatform(PlatformUnderTest platform, Path workDir) {
        this.platform = platform;
        this.workDir = workDir;
        this.client = new PlatformClient(platform);
        platform.services().forEach(s -> startPids.put(s.name(), s.pid()));
    }

    /** Starts the platform in {@code e2e-tests/target/drills/<drill>-<time>} and waits until every service is ready. */
    public static DrillPlatform start(Report r, int refreshers, int executors, Env env) throws Exception {
        Path root = PlatformUnderTest.repositoryRoot();
        Path work = root.resolve("e2e-tests/target/drills").resolve(r.name() + "-"
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        Files.createDirectories(work);
        r.log("starting the platform (%d refresher(s), %d executor(s)) in %s", refreshers, executors, work);
        long t0 = System.nanoTime();
        PlatformUnderTest p = new PlatformUnderTest(new PlatformUnderTest.Options(work, refreshers, executors, env.emulator(),
                env.connections(), env.refresher(), env.executor())).start();
        r.measure("platform start to all ready", "%.1f s", (System.nanoTime() - t0) / 1e9);
        return new DrillPlatform(p, work);
    }

    public PlatformUnderTest platform() {
        return platform;
    }

    public PlatformClient client() {
        return client;
    }

    public Path workDir() {
        return workDir;
    }

    public String bootstrap() {
        return platform.bootstrapServers();
    }

    public List<ManagedService> services() {
        return platform.services();
    }

    // ------------------------------------------------------------------ deploy

    /**
     * Deploys a workflow from a file with the trigger of the examples (shopify.orders, X-Shopify-Topic orders/create) and
     * the given retry policy (null: the examples' own, 5 attempts from 10 s, ×4, at most 7 min).
     */
    public JsonNode deploy(PlatformClient.Workspace ws, String id, Path source, Map<String, Object> retryPolicy) throws IOException {
        ObjectNode body = Http.JSON.createObjectNode();
        body.put("source", Files.readString(source));
        ObjectNode trigger = body.putObject("trigger");
        trigger.put("topic", ORDERS_TOPIC);
        trigger.putObject("headerMatch").put("X-Shopify-Topic", "orders/create");
        body.put("timeout", "PT30S");
        Map<String, Object> policy = retryPolicy != null ? retryPolicy
                : Map.of("maxAttempts", 5, "initialBackoff", "PT10S", "maxBackoff", "PT7M", "multiplier", 4.0);
        body.set("retryPolicy", Http.JSON.valueToTree(policy));
        return client.http().expect("deploying " + id, "PUT", platform.executorUrl() + "/api/v1/workflows/" + id, ws.apiKey(), body)
                .json();
    }

    /** A workflow source kept with the drills ({@code e2e-tests/drills/workflows/}). */
    public static Path drillWorkflow(String file) {
        return PlatformUnderTest.repositoryRoot().resolve("e2e-tests/drills/workflows").resolve(file);
    }

    public static Path exampleWorkflow(String id) {
        return PlatformUnderTest.repositoryRoot().resolve("examples/workflows").resolve(id + ".js");
    }

    // ------------------------------------------------------------------ processes

    /** HTTP status of the service's {@code /q/health/ready}, or -1 when it does not answer. */
    public int readiness(ManagedService s) {
        return status(s, "/q/health/ready");
    }

    public int status(ManagedService s, String path) {
        try {
            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.discarding());
            return r.statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The service's Prometheus metrics, or null when it does not answer. */
    public String metrics(ManagedService s) {
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + "/q/metrics"))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    public ManagedService service(String module, int replica) {
        return platform.service(module, replica);
    }

    /** Per process: alive or not, and whether its pid is still the one it started with (no restart). */
    public Map<String, String> processes() {
        Map<String, String> out = new LinkedHashMap<>();
        for (ManagedService s : platform.services()) {
            Long first = startPids.get(s.name());
            String restarted = first != null && first != s.pid() ? ", restarted (pid was " + first + ")" : "";
            out.put(s.name(), (s.isAlive() ? "alive" : "DEAD") + ", pid " + s.pid() + restarted);
        }
        return out;
    }

    /** Processes that are not alive, or whose pid changed since the drill began (a restart). */
    public List<String> deadOrRestarted() {
        List<String> out = new ArrayList<>();
        for (ManagedService s : platform.services()) {
            Long first = startPids.get(s.name());
            if (!s.isAlive() || (first != null && first != s.pid())) {
                out.add(s.name());
            }
        }
        return out;
    }

    /** Remembers the current pids as the reference (after a deliberate kill and restart). */
    public void rebasePids() {
        platform.services().forEach(s -> startPids.put(s.name(), s.pid()));
    }

    /** Lines of the service's log that contain {@code needle} (e.g. " ERROR "). */
    public long logLines(ManagedService s, String needle) {
        try (var lines = Files.lines(s.log())) {
            return lines.filter(l -> l.contains(needle)).count();
        } catch (IOException | java.io.UncheckedIOException e) {
            return -1;
        }
    }

    // ------------------------------------------------------------------ consumer groups

    /** Partitions of {@code topic} per member (client id) of {@code group}; empty when the group has no members. */
    public Map<String, List<Integer>> assignment(String group, String topic) {
        try {
            if (admin == null) {
                Properties p = new Properties();
                p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
                p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
                p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
                admin = Admin.create(p);
            }
            ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).all().get(15, TimeUnit.SECONDS).get(group);
            Map<String, List<Integer>> out = new TreeMap<>();
            for (MemberDescription m : d.members()) {
                out.put(m.clientId() + "/" + m.consumerId().substring(Math.max(0, m.consumerId().length() - 8)),
                        m.assignment().topicPartitions().stream().filter(tp -> tp.topic().equals(topic))
                                .map(TopicPartition::partition).sorted().toList());
            }
            return out;
        } catch (Exception e) {
            return Map.of();
        }
    }

    @Override
    public void close() {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
        client.close();
        platform.close();
    }
}
