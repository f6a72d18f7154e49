package io.jsworkflows.e2e.platform;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.jsworkflows.contracts.crypto.TokenCipher;
import io.jsworkflows.kafkabroker.KafkaProcessBroker;
import io.jsworkflows.localstack.client.KafkaTools;
import io.jsworkflows.localstack.stack.ManagedService;
import io.jsworkflows.localstack.stack.ServiceEnvironment;
import io.jsworkflows.localstack.stack.ServiceWiring;
import io.jsworkflows.testsupport.HubSpotEmulator;
import io.jsworkflows.testsupport.SharedPostgres;

/**
 * The whole platform as separate processes, the way it is deployed: a Kafka broker (KRaft) and PostgreSQL, the packaged
 * HubSpot emulator, connections-service, N token-refresher and M workflow-executor replicas, each {@code java -jar
 * target/quarkus-app/quarkus-run.jar} on a free port with the environment the deployment manifests use. Nothing is
 * shared in-process, so a test or drill can only go through APIs and topics, and can SIGKILL any part.
 */
public final class PlatformUnderTest implements AutoCloseable {

    public static final String EMULATOR = "hubspot-emulator";
    public static final String CONNECTIONS = "connections-service";
    public static final String REFRESHER = "token-refresher";
    public static final String EXECUTOR = "workflow-executor";
    public static final String GATEWAY = "webhook-gateway";

    /** What to start; the maps are extra environment variables per service (they win over the defaults). */
    public record Options(Path workDir, int refreshers, int executors, Map<String, String> emulatorEnv,
            Map<String, String> connectionsEnv, Map<String, String> refresherEnv, Map<String, String> executorEnv) {

        public static Options defaults(Path workDir) {
            return new Options(workDir, 1, 1, Map.of(), Map.of(), Map.of(), Map.of());
        }

        public Options replicas(int refresherReplicas, int executorReplicas) {
            return new Options(workDir, refresherReplicas, executorReplicas, emulatorEnv, connectionsEnv, refresherEnv, executorEnv);
        }

        public Options emulator(Map<String, String> env) {
            return new Options(workDir, refreshers, executors, env, connectionsEnv, refresherEnv, executorEnv);
        }

        public Options refresher(Map<String, String> env) {
            return new Options(workDir, refreshers, executors, emulatorEnv, connectionsEnv, env, executorEnv);
        }

        public Options executor(Map<String, String> env) {
            return new Options(workDir, refreshers, executors, emulatorEnv, connectionsEnv, refresherEnv, env);
        }
    }

    private static final Duration READY_TIMEOUT = Duration.ofMinutes(4);

    private final Options options;
    private final Path root;
    private final Map<String, ManagedService> services = new LinkedHashMap<>();
    private final ServiceWiring.Keys keys = new ServiceWiring.Keys(TokenCipher.generateKey("e2e-grant-1"),
            TokenCipher.generateKey("e2e-token-1"), TokenCipher.generateKey("e2e-source-1"), "jsw_admin_" + random(18));
    /*
     * Chosen up front, so the services' wiring is known before any of them starts: connections-service hands out ingress
     * URLs on the gateway's port and deploys through the first executor, the executor calls the emulator and
     * connections-service.
     */
    private final int emulatorPort;
    private final int connectionsPort;
    private final int gatewayPort;
    private final int executorPort;
    private KafkaProcessBroker broker;
    private String bootstrap;
    private String jdbcUrl;
    /** Where everything is, once the broker and the database are up: what {@link ServiceEnvironment} builds from. */
    private ServiceWiring wiring;

    public PlatformUnderTest(Options options) {
        this.options = options;
        try {
            this.emulatorPort = KafkaProcessBroker.freePort();
            this.connectionsPort = KafkaProcessBroker.freePort();
            this.gatewayPort = KafkaProcessBroker.freePort();
            this.executorPort = KafkaProcessBroker.freePort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        this.root = repositoryRoot();
    }

    /** Starts everything and waits until every service reports ready; on failure stops what it started. */
    public PlatformUnderTest start() throws Exception {
        long t0 = System.nanoTime();
        try {
            Files.createDirectories(options.workDir());
            broker = new KafkaProcessBroker(new KafkaProcessBroker.Options(options.workDir().resolve("kafka"), 0, 0, 1, false, "512m"))
                    .start(Duration.ofSeconds(120));
            bootstrap = broker.bootstrapServers();
            jdbcUrl = freshDatabase(SharedPostgres.jdbcUrl());
            KafkaTools.createPlatformTopics(bootstrap);
            wiring = new ServiceWiring(bootstrap, emulatorUrl(), connectionsUrl(), "http://localhost:" + executorPort, gatewayUrl(),
                    new ServiceWiring.Database(jdbcUrl, SharedPostgres.USER, SharedPostgres.PASSWORD),
                    new ServiceWiring.OAuthClient(HubSpotEmulator.CLIENT_ID, HubSpotEmulator.CLIENT_SECRET),
                    ServiceWiring.loopbackEgress(emulatorPort), keys);
            log("kafka %s and postgres ready after %d ms", bootstrap, ms(t0));
            start(EMULATOR, 0);
            start(CONNECTIONS, 0);
            List<ManagedService> replicas = new ArrayList<>();
            replicas.add(launch(GATEWAY, 0));
            for (int i = 0; i < options.refreshers(); i++) {
                replicas.add(launch(REFRESHER, i));
            }
            for (int i = 0; i < options.executors(); i++) {
                replicas.add(launch(EXECUTOR, i));
            }
            for (ManagedService s : replicas) {
                s.awaitReady(READY_TIMEOUT);
            }
            log("platform ready after %d ms: %s", ms(t0), services.keySet());
            return this;
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    private void start(String module, int replica) throws IOException, InterruptedException {
        launch(module, replica).awaitReady(READY_TIMEOUT);
    }

    private ManagedService launch(String module, int replica) throws IOException {
        String name = name(module, replica);
        ManagedService old = services.get(name);
        int port = old != null ? old.port() : switch (module) {
            case EMULATOR -> emulatorPort;
            case CONNECTIONS -> connectionsPort;
            case GATEWAY -> gatewayPort;
            default -> module.equals(EXECUTOR) && replica == 0 ? executorPort : KafkaProcessBroker.freePort();
        };
        // -Djswtest.e2e.jar-root runs the services of another checkout's build (e.g. to compare two versions)
        Path jar = Path.of(System.getProperty("jswtest.e2e.jar-root", root.toString())).resolve(module)
                .resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: package the services first (./mvnw -B -ntp install -DskipTests)");
        }
        List<String> jvm = List.of("-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError", "--enable-native-access=ALL-UNNAMED", "-Xmx" + (module.equals(EXECUTOR) ? "512m" : "256m"));
        ManagedService s = new ManagedService(name, port, jar, options.workDir().resolve("logs").resolve(name + ".log"), jvm,
                environment(module, port));
        s.start();
        services.put(name, s);
        return s;
    }

    /** What jsw up gives the service (the same names as docker-compose.yml and the manifests), then the harness's own. */
    private Map<String, String> environment(String module, int port) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARKUS_HTTP_PORT", Integer.toString(port));
        env.putAll(ServiceEnvironment.of(module, wiring));
        if (module.equals(EXECUTOR)) {
            // started events (off by default): the story and the kill drill account for every run that started
            env.put("JSW_EXECUTOR_EVENTS_STARTED_AFTER", "PT0S");
        }
        env.putAll(switch (module) {
            case EMULATOR -> options.emulatorEnv();
            case CONNECTIONS -> options.connectionsEnv();
            case REFRESHER -> options.refresherEnv();
            case EXECUTOR -> options.executorEnv();
            default -> Map.of();
        });
        return env;
    }

    // ------------------------------------------------------------------ where things are

    public String bootstrapServers() {
        return bootstrap;
    }

    public String jdbcUrl() {
        return jdbcUrl;
    }

    public String adminKey() {
        return keys.adminKey();
    }

    public String emulatorUrl() {
        return "http://localhost:" + emulatorPort;
    }

    public HubSpotEmulator emulator() {
        return HubSpotEmulator.at(emulatorUrl());
    }

    public String connectionsUrl() {
        return "http://localhost:" + connectionsPort;
    }

    public String executorUrl() {
        return executorUrl(0);
    }

    /** Where Shopify delivers: webhook-gateway, the platform's one internet-facing entry. */
    public String gatewayUrl() {
        return "http://localhost:" + gatewayPort;
    }

    public String executorUrl(int replica) {
        return "http://localhost:" + service(EXECUTOR, replica).port();
    }

    public ManagedService service(String module, int replica) {
        ManagedService s = services.get(name(module, replica));
        if (s == null) {
            throw new IllegalArgumentException("no " + name(module, replica));
        }
        return s;
    }

    public List<ManagedService> services() {
        return List.copyOf(services.values());
    }

    public Path logOf(String module, int replica) {
        return service(module, replica).log();
    }

    // ------------------------------------------------------------------ faults

    /** SIGKILL, as the kernel's OOM killer or a lost node would: no shutdown hook, no graceful leave. */
    public void kill(String module, int replica) throws InterruptedException {
        ManagedService s = service(module, replica);
        Process p = s.process();
        p.destroyForcibly();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException(s.name() + " survived SIGKILL");
        }
        log("killed %s (pid %d)", s.name(), p.pid());
    }

    /** Starts a replica again on its old port (after {@link #kill}) and waits for it to be ready. */
    public void restart(String module, int replica) throws IOException, InterruptedException {
        ManagedService s = service(module, replica);
        if (s.isAlive()) {
            s.stop(Duration.ofSeconds(20));
        }
        start(module, replica);
        log("restarted %s", s.name());
    }

    /** Stops the broker (SIGTERM, controlled shutdown) and starts it again on the same ports and data. */
    public Duration restartBroker(Duration down) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        broker.close();
        log("kafka stopped");
        if (!down.isZero()) {
            TimeUnit.MILLISECONDS.sleep(down.toMillis()); // the outage itself is the point of the drill
        }
        broker.start(Duration.ofSeconds(120));
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        log("kafka back after %d ms", took.toMillis());
        return took;
    }

    @Override
    public void close() {
        List<ManagedService> all = new ArrayList<>(services.values());
        java.util.Collections.reverse(all);
        for (ManagedService s : all) {
            s.stop(Duration.ofSeconds(15));
        }
        if (broker != null) {
            broker.close();
        }
        log("platform stopped");
    }

    // ------------------------------------------------------------------ helpers

    static String name(String module, int replica) {
        return module.equals(EMULATOR) || module.equals(CONNECTIONS) ? module : module + "-" + replica;
    }

    /** The repository root: {@code jswtest.root.dir} (set by the build), else the nearest directory with a {@code jsw} launcher. */
    public static Path repositoryRoot() {
        String prop = System.getProperty("jswtest.root.dir");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop).toAbsolutePath().normalize();
        }
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isRegularFile(p.resolve("jsw"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("cannot find the repository root (set -Djswtest.root.dir)");
        }
        return p;
    }

    private static final java.util.concurrent.atomic.AtomicInteger DATABASES = new java.util.concurrent.atomic.AtomicInteger();

    /** One database per platform, so that platforms started one after another in a JVM never see each other's rows. */
    private static String freshDatabase(String sharedUrl) throws java.sql.SQLException {
        String db = "e2e_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(sharedUrl, SharedPostgres.USER, SharedPostgres.PASSWORD);
                java.sql.Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + db);
        }
        return sharedUrl.replaceFirst("/" + SharedPostgres.DATABASE + "(\\?|$)", "/" + db + "$1");
    }

    private static String random(int bytes) {
        byte[] raw = new byte[bytes];
        new SecureRandom().nextBytes(raw);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    private static long ms(long t0) {
        return (System.nanoTime() - t0) / 1_000_000;
    }

    static void log(String format, Object... args) {
        System.out.printf("[platform] " + format + "%n", args);
    }
}
