package io.jsworkflows.localstack.stack;

import io.jsworkflows.kafkabroker.ProcessWatchdog;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.jsworkflows.kafkabroker.KafkaProcessBroker;
import io.jsworkflows.localstack.client.KafkaTools;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * {@code jsw up}: builds what is missing, then starts Kafka, PostgreSQL, the topics, the emulator, connections-service,
 * webhook-gateway (it reads the sources connections-service publishes), token-refresher and workflow-executor in that order, each waited for, and stays in the foreground until Ctrl-C / SIGTERM ({@code jsw down}),
 * when it stops everything in reverse order. Every child also has a watchdog, so a SIGKILLed jsw leaves nothing behind.
 */
public final class StackRunner {

    /** The services, in start order: module, name, port. */
    public record ServiceSpec(String module, int port) {
    }

    public static final List<ServiceSpec> SERVICES = List.of(
            new ServiceSpec("hubspot-emulator", StackSettings.EMULATOR_PORT),
            new ServiceSpec("connections-service", StackSettings.CONNECTIONS_PORT),
            new ServiceSpec("webhook-gateway", StackSettings.GATEWAY_PORT),
            new ServiceSpec("token-refresher", StackSettings.REFRESHER_PORT),
            new ServiceSpec("workflow-executor", StackSettings.EXECUTOR_PORT));

    public static final String READY_LINE = "jsw: ready";
    private static final Duration SERVICE_READY_TIMEOUT = Duration.ofSeconds(180);

    private final StackSettings s;
    private final PrintStream out;
    private final Deque<Stoppable> started = new ArrayDeque<>();
    private final List<String> pidLines = new ArrayList<>();
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private volatile boolean stopping;
    private volatile Thread mainThread;
    private volatile boolean up;

    private interface Stoppable {
        String name();

        void stop();
    }

    public StackRunner(StackSettings settings, PrintStream out) {
        this.s = settings;
        this.out = out;
    }

    /** Runs the stack until asked to stop; returns the exit code. */
    public int run() throws Exception {
        long t0 = System.nanoTime();
        mainThread = Thread.currentThread();
        Files.createDirectories(s.logs());
        claimPidFile();
        installSignalHandlers();
        try {
            checkPorts();
            buildMissing();
            Map<String, String> keys = LocalKeys.loadOrCreate(s);
            startKafka();
            startPostgres();
            createTopics();
            for (ServiceSpec spec : SERVICES) {
                startService(spec, keys);
            }
            printWhereEverythingIs(t0);
        } catch (StackException | InterruptedException e) {
            if (!stopping) {
                out.println("jsw: " + e.getMessage());
            }
            stopAll();
            return stopping ? 130 : 1;
        } catch (Exception e) {
            out.println("jsw: start failed: " + e);
            stopAll();
            return 1;
        }
        up = true;
        Thread.interrupted(); // a signal that came while we were finishing the start is in the latch
        watchForCrashes();
        while (stopRequested.getCount() > 0) {
            try {
                stopRequested.await();
            } catch (InterruptedException e) {
                // only the latch ends the wait
            }
        }
        stopAll();
        return 0;
    }

    // ------------------------------------------------------------------ start steps

    private void claimPidFile() throws IOException {
        Path pidFile = s.pidFile();
        if (Files.exists(pidFile)) {
            try {
                long pid = Long.parseLong(Files.readString(pidFile).trim());
                // a pid file of a jsw that was killed may name a recycled pid: only a live jsw counts
                boolean jswAlive = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                        .map(h -> h.info().commandLine().map(c -> c.contains("jsw.jar") || c.contains("JswCli")).orElse(true))
                        .orElse(false);
                if (jswAlive && pid != ProcessHandle.current().pid()) {
                    throw new StackException("the stack is already running (jsw pid " + pid + ", " + s.stateDir()
                            + "). Stop it with ./jsw down, or use it as it is.");
                }
            } catch (NumberFormatException ignored) {
                // a damaged pid file: overwrite it
            }
        }
        Files.writeString(pidFile, ProcessHandle.current().pid() + "\n");
        pidLines.add("jsw " + ProcessHandle.current().pid());
        writePids();
    }

    private void installSignalHandlers() {
        for (String sig : List.of("INT", "TERM")) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(sig), signal -> onSignal());
            } catch (IllegalArgumentException e) {
                // the signal is reserved on this JVM: the shutdown hook below still stops the stack
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopAllQuietly, "jsw-stop"));
    }

    private void onSignal() {
        if (stopping) {
            out.println("jsw: stopping now (second signal)");
            for (Stoppable st : started) {
                if (st instanceof ProcessStoppable ps && ps.handle() != null) {
                    ps.handle().destroyForcibly();
                }
            }
            Runtime.getRuntime().halt(130);
        }
        stopping = true;
        out.println();
        out.println("jsw: stopping...");
        stopRequested.countDown();
        // only a start in progress needs waking up; once up, the main thread is parked on the latch
        Thread t = mainThread;
        if (t != null && !up) {
            t.interrupt();
        }
    }

    private void checkPorts() {
        Map<Integer, String> ports = new LinkedHashMap<>();
        if (s.externalKafka() == null) {
            ports.put(s.kafkaPort(), "Kafka (JSW_KAFKA_PORT)");
            ports.put(s.kafkaControllerPort(), "the Kafka controller (JSW_KAFKA_CONTROLLER_PORT)");
        }
        if (s.externalDbUrl() == null) {
            ports.put(s.postgresPort(), "PostgreSQL (JSW_POSTGRES_PORT)");
        }
        for (ServiceSpec spec : SERVICES) {
            ports.put(spec.port(), spec.module());
        }
        List<String> taken = new ArrayList<>();
        ports.forEach((port, what) -> {
            if (!isFree(port)) {
                taken.add("port " + port + " (for " + what + ") is already in use" + holder(port));
            }
        });
        if (!taken.isEmpty()) {
            throw new StackException("cannot start: " + String.join("; ", taken)
                    + ".\n     Stop whatever holds it (is another ./jsw up running? ./jsw down stops it), or point jsw at an "
                    + "existing Kafka/PostgreSQL with JSW_KAFKA_BOOTSTRAP / JSW_DB_URL, or move ours with JSW_KAFKA_PORT / JSW_POSTGRES_PORT.");
        }
    }

    static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true); // like the servers themselves: TIME_WAIT leftovers of a previous run do not count
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Best effort: who listens there, from ss(8). */
    private static String holder(int port) {
        try {
            Process p = new ProcessBuilder("ss", "-ltnpH", "sport = :" + port).redirectErrorStream(true).start();
            String o = new String(p.getInputStream().readAllBytes());
            p.waitFor(3, TimeUnit.SECONDS);
            var m = java.util.regex.Pattern.compile("users:\\(\\(\"([^\"]+)\",pid=(\\d+)").matcher(o);
            return m.find() ? " by " + m.group(1) + " (pid " + m.group(2) + ")" : "";
        } catch (IOException | InterruptedException | RuntimeException e) {
            return "";
        }
    }

    private void buildMissing() throws IOException, InterruptedException {
        List<String> missing = SERVICES.stream().map(ServiceSpec::module).filter(m -> !Files.exists(jarOf(m))).toList();
        if (missing.isEmpty()) {
            return;
        }
        Path log = s.logs().resolve("build.log");
        long t = System.nanoTime();
        step("build", "building " + String.join(", ", missing) + " (./mvnw -B -ntp -q install -DskipTests; a few minutes the first time, log "
                + rel(log) + ")");
        Process p = new ProcessBuilder(s.root().resolve("mvnw").toString(), "-B", "-ntp", "-q", "install", "-DskipTests")
                .directory(s.root().toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ProcessWatchdog.guard(p.pid(), "TERM", 10);
        int rc = p.waitFor();
        List<String> still = SERVICES.stream().map(ServiceSpec::module).filter(m -> !Files.exists(jarOf(m))).toList();
        if (rc != 0 || !still.isEmpty()) {
            throw new StackException("the build failed (exit " + rc + ").\n" + ManagedService.tail(log, 30) + "  (full log: " + log + ")");
        }
        done("build", t, "built");
    }

    private Path jarOf(String module) {
        return s.root().resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }

    private void startKafka() throws IOException, InterruptedException {
        if (s.externalKafka() != null) {
            step("kafka", "using the existing Kafka at " + s.externalKafka() + " (JSW_KAFKA_BOOTSTRAP)");
            KafkaTools.awaitReachable(s.externalKafka(), Duration.ofSeconds(30));
            return;
        }
        long t = System.nanoTime();
        Path dir = s.stateDir().resolve("kafka");
        boolean fresh = !Files.exists(dir.resolve("data/meta.properties"));
        step("kafka", "starting Kafka 4.4 (KRaft) on " + s.kafkaBootstrap() + ", data " + rel(dir) + (fresh ? " (new)" : " (kept)"));
        KafkaProcessBroker broker = new KafkaProcessBroker(
                new KafkaProcessBroker.Options(dir, s.kafkaPort(), s.kafkaControllerPort(), 1, false, "512m"));
        started.push(new ProcessStoppable("kafka", () -> broker.pid() < 0 ? null : ProcessHandle.of(broker.pid()).orElse(null)) {
            @Override
            public void stop() {
                broker.close();
            }
        });
        try {
            broker.start(Duration.ofSeconds(120));
        } catch (IllegalStateException e) {
            throw new StackException("Kafka did not start: " + e.getMessage() + "\n" + ManagedService.tail(broker.logFile(), 20));
        }
        pidLines.add("kafka " + broker.pid());
        writePids();
        done("kafka", t, "ready at " + s.kafkaBootstrap());
    }

    private void startPostgres() throws Exception {
        if (s.externalDbUrl() != null) {
            step("postgres", "using the existing PostgreSQL at " + s.externalDbUrl() + " (JSW_DB_URL)");
            try (Connection c = DriverManager.getConnection(s.externalDbUrl(), s.externalDbUser(), s.externalDbPassword())) {
                c.isValid(5);
            } catch (java.sql.SQLException e) {
                throw new StackException("cannot connect to " + s.externalDbUrl() + " as " + s.externalDbUser() + ": " + e.getMessage());
            }
            return;
        }
        long t = System.nanoTime();
        Path dir = s.stateDir().resolve("postgres");
        Path data = dir.resolve("data");
        boolean fresh = !Files.exists(data.resolve("postgresql.conf"));
        step("postgres", "starting PostgreSQL 18 on 127.0.0.1:" + s.postgresPort() + ", data " + rel(data) + (fresh ? " (new)" : " (kept)"));
        Files.createDirectories(dir.resolve("runtime"));
        EmbeddedPostgres pg;
        try {
            pg = EmbeddedPostgres.builder()
                    .setDataDirectory(data)
                    .setCleanDataDirectory(false)
                    .setOverrideWorkingDirectory(dir.resolve("runtime").toFile())
                    .setPort(s.postgresPort())
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("max_connections", "100")
                    .start();
        } catch (IOException e) {
            throw new StackException("PostgreSQL did not start: " + e.getMessage() + " (data " + data + ")");
        }
        long postmaster = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).getFirst().trim());
        // SIGINT = PostgreSQL's fast shutdown: clean, and quick
        ProcessWatchdog.guard(postmaster, "INT", 20);
        started.push(new ProcessStoppable("postgres", () -> ProcessHandle.of(postmaster).orElse(null)) {
            @Override
            public void stop() {
                try {
                    pg.close();
                } catch (IOException e) {
                    ProcessHandle.of(postmaster).ifPresent(ProcessHandle::destroy);
                }
            }
        });
        pidLines.add("postgres " + postmaster);
        writePids();
        try (Connection c = DriverManager.getConnection(pg.getJdbcUrl("postgres", "postgres"), "postgres", "postgres");
                PreparedStatement q = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = 'jsw'")) {
            try (ResultSet rs = q.executeQuery()) {
                if (!rs.next()) {
                    try (Statement st = c.createStatement()) {
                        st.execute("CREATE DATABASE jsw");
                    }
                }
            }
        }
        done("postgres", t, "ready at " + s.dbUrl());
    }

    private void createTopics() {
        long t = System.nanoTime();
        step("topics", "creating the platform topics");
        int created = KafkaTools.createPlatformTopics(s.kafkaBootstrap());
        done("topics", t, KafkaTools.allTopics().size() + " topics present (" + created + " created)");
    }

    private void startService(ServiceSpec spec, Map<String, String> keys) throws IOException, InterruptedException {
        long t = System.nanoTime();
        String name = spec.module();
        step(name, "starting on http://localhost:" + spec.port() + " (log " + rel(s.logs().resolve(name + ".log")) + ")");
        List<String> jvm = new ArrayList<>(List.of("-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError",
                "-Xmx" + (name.equals("workflow-executor") ? "768m" : "384m")));
        ManagedService svc = new ManagedService(name, spec.port(), jarOf(name), s.logs().resolve(name + ".log"), jvm,
                serviceEnv(name, keys));
        svc.start();
        started.push(new ProcessStoppable(name, () -> svc.process().toHandle()) {
            @Override
            public void stop() {
                svc.stop(Duration.ofSeconds(20));
            }
        });
        pidLines.add(name + " " + svc.pid());
        writePids();
        svc.awaitReady(SERVICE_READY_TIMEOUT);
        done(name, t, "ready");
    }

    /** The environment of each service: the same names docker-compose.yml and the Kubernetes manifests use. */
    public Map<String, String> serviceEnv(String module, Map<String, String> keys) {
        String emulator = "http://localhost:" + StackSettings.EMULATOR_PORT;
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARKUS_LOG_CONSOLE_COLOR", "false");
        if (!module.equals("hubspot-emulator")) {
            env.put("KAFKA_BOOTSTRAP_SERVERS", s.kafkaBootstrap());
        }
        switch (module) {
            case "hubspot-emulator" -> {
                // no extra settings: the default app (jsw-local-client) and portals are what the demo uses
            }
            case "connections-service" -> {
                env.putAll(hubspot(emulator));
                env.put("JSW_PUBLIC_URL", "http://localhost:" + StackSettings.CONNECTIONS_PORT);
                env.put("JSW_ADMIN_KEY", keys.get(LocalKeys.ADMIN_KEY));
                env.put("JSW_CRYPTO_GRANT_KEYS", keys.get(LocalKeys.GRANT_KEYS));
                env.put("JSW_CRYPTO_TOKEN_KEYS", keys.get(LocalKeys.TOKEN_KEYS));
                env.put("JSW_CRYPTO_SOURCE_KEYS", keys.get(LocalKeys.SOURCE_KEYS));
                // a source's ingress URL (what the shop owner enters in Shopify) points at the gateway
                env.put("JSW_INGRESS_PUBLIC_URL", "http://localhost:" + StackSettings.GATEWAY_PORT);
                env.put("JSW_DB_URL", s.dbUrl());
                env.put("JSW_DB_USER", s.externalDbUrl() != null ? s.externalDbUser() : "postgres");
                env.put("JSW_DB_PASSWORD", s.externalDbUrl() != null ? s.externalDbPassword() : "postgres");
            }
            case "webhook-gateway" -> {
                // the one service a shop talks to: it needs the source ring to unseal webhook secrets, nothing else
                env.put("JSW_CRYPTO_SOURCE_KEYS", keys.get(LocalKeys.SOURCE_KEYS));
            }
            case "token-refresher" -> {
                env.putAll(hubspot(emulator));
                env.put("JSW_CRYPTO_GRANT_KEYS", keys.get(LocalKeys.GRANT_KEYS));
                env.put("JSW_CRYPTO_TOKEN_KEYS", keys.get(LocalKeys.TOKEN_KEYS));
            }
            case "workflow-executor" -> {
                // it never talks OAuth: only the API base that https://api.hubapi.com is mapped to
                env.put("JSW_HUBSPOT_API_URL", emulator);
                env.put("JSW_CRYPTO_TOKEN_KEYS", keys.get(LocalKeys.TOKEN_KEYS));
                env.put("JSW_CONNECTIONS_URL", "http://localhost:" + StackSettings.CONNECTIONS_PORT);
                // workflows call https://api.hubapi.com, which the executor maps to the emulator on loopback
                env.put("JSW_EXECUTOR_EGRESS_ALLOW", "localhost:" + StackSettings.EMULATOR_PORT + ",127.0.0.1:" + StackSettings.EMULATOR_PORT);
            }
            default -> throw new IllegalArgumentException(module);
        }
        return env;
    }

    private static Map<String, String> hubspot(String emulator) {
        return Map.of(
                "JSW_HUBSPOT_API_URL", emulator,
                "JSW_HUBSPOT_AUTHORIZE_URL", emulator + "/oauth/authorize",
                "JSW_HUBSPOT_CLIENT_ID", "jsw-local-client",
                "JSW_HUBSPOT_CLIENT_SECRET", "jsw-local-secret");
    }

    private void printWhereEverythingIs(long t0) {
        String c = "http://localhost:" + StackSettings.CONNECTIONS_PORT;
        String e = "http://localhost:" + StackSettings.EMULATOR_PORT;
        out.printf(Locale.ROOT, "%njsw: everything is up in %.1f s%n", seconds(t0));
        out.println("  Web page (connections)  " + c + "/ui");
        out.println("  Connections API         " + c + "/api/v1   (admin key: JSW_ADMIN_KEY in " + rel(s.keysFile()) + ")");
        out.println("  Workflows API           http://localhost:" + StackSettings.EXECUTOR_PORT + "/api/v1/workflows");
        out.println("  Webhook ingress         http://localhost:" + StackSettings.GATEWAY_PORT + "/webhooks/shopify/{sourceId}   (./jsw sources add)");
        out.println("  Token refresher         http://localhost:" + StackSettings.REFRESHER_PORT + "/q/health");
        out.println("  HubSpot emulator        " + e + "   (consent page: " + e + "/oauth/authorize?..., operator API: " + e + "/_emulator/state)");
        out.println("  Kafka bootstrap         " + s.kafkaBootstrap());
        out.println("  PostgreSQL              " + s.dbUrl());
        out.println("  Logs                    " + rel(s.logs()) + "/");
        out.println("  Run events              ./jsw tail runs      (also: ./jsw tail connections, ./jsw tail dlq)");
        out.println();
        out.println("  Try it, in another terminal:   ./jsw demo");
        out.println("  Stop: Ctrl-C here, or ./jsw down");
        out.println();
        out.println(READY_LINE);
        out.flush();
    }

    private void watchForCrashes() {
        for (Stoppable st : started) {
            if (st instanceof ProcessStoppable ps && ps.handle() != null) {
                ps.handle().onExit().thenAccept(p -> {
                    if (!stopping) {
                        out.println("jsw: " + ps.name() + " stopped unexpectedly; see " + logOf(ps.name())
                                + ". The rest keeps running; ./jsw down stops it.");
                    }
                });
            }
        }
    }

    private String logOf(String name) {
        return switch (name) {
            case "kafka" -> rel(s.stateDir().resolve("kafka/broker.log"));
            case "postgres" -> rel(s.stateDir().resolve("postgres/data/log"));
            default -> rel(s.logs().resolve(name + ".log"));
        };
    }

    // ------------------------------------------------------------------ stop

    private synchronized void stopAll() {
        stopping = true;
        Thread.interrupted();
        while (!started.isEmpty()) {
            Stoppable st = started.pop();
            long t = System.nanoTime();
            try {
                st.stop();
                out.printf(Locale.ROOT, "jsw: %-20s stopped (%.1f s)%n", st.name(), seconds(t));
            } catch (RuntimeException e) {
                out.println("jsw: " + st.name() + " did not stop cleanly: " + e.getMessage());
            }
        }
        try {
            Files.deleteIfExists(s.pidFile());
            Files.deleteIfExists(s.pidsFile());
        } catch (IOException ignored) {
            // nothing left to protect
        }
        if (!pidLines.isEmpty()) {
            out.println("jsw: stopped");
            pidLines.clear();
        }
        out.flush();
    }

    private void stopAllQuietly() {
        try {
            stopAll();
        } catch (RuntimeException ignored) {
            // the JVM is going away
        }
    }

    private void writePids() throws IOException {
        Files.writeString(s.pidsFile(), String.join("\n", pidLines) + "\n");
    }

    // ------------------------------------------------------------------ output

    private void step(String what, String text) {
        out.printf("jsw: %-20s %s%n", what, text);
        out.flush();
    }

    private void done(String what, long t0, String text) {
        out.printf(Locale.ROOT, "jsw: %-20s %s (%.1f s)%n", what, text, seconds(t0));
        out.flush();
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    private String rel(Path p) {
        Path cwd = Path.of("").toAbsolutePath();
        return p.startsWith(cwd) ? cwd.relativize(p).toString() : p.toString();
    }

    /** Something started that has a process (or stands for one), stoppable in reverse order. */
    private abstract static class ProcessStoppable implements Stoppable {
        private final String name;
        private final java.util.function.Supplier<ProcessHandle> handle;

        ProcessStoppable(String name, java.util.function.Supplier<ProcessHandle> handle) {
            this.name = name;
            this.handle = handle;
        }

        @Override
        public String name() {
            return name;
        }

        ProcessHandle handle() {
            return handle.get();
        }
    }
}
