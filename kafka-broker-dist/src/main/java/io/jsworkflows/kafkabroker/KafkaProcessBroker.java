package io.jsworkflows.kafkabroker;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A single-node KRaft Kafka broker (broker + controller) in its own JVM, from the Maven Central jars whose classpath
 * this module recorded. Uses only the JDK, so callers need none of Kafka's jars. The broker halts when the JVM that
 * started it exits (even by SIGKILL) unless {@link Options#outliveParent()} is set.
 */
public final class KafkaProcessBroker implements AutoCloseable {

    /** Where and how to run the broker; ports 0 mean "pick free ones". */
    public record Options(Path dir, int port, int controllerPort, int defaultPartitions, boolean outliveParent, String maxHeap) {

        public static Options forTests(Path workDir) {
            return new Options(workDir.resolve("kafka-" + ProcessHandle.current().pid() + "-" + System.nanoTime()), 0, 0, 1,
                    false, "512m");
        }
    }

    private final Options options;
    private final int port;
    private final int controllerPort;
    private Process process;

    public KafkaProcessBroker(Options options) throws IOException {
        this.options = options;
        Files.createDirectories(options.dir());
        this.port = options.port() > 0 ? options.port() : freePort();
        this.controllerPort = options.controllerPort() > 0 ? options.controllerPort() : freePort();
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public Path logFile() {
        return options.dir().resolve("broker.log");
    }

    public long pid() {
        return process == null ? -1 : process.pid();
    }

    public KafkaProcessBroker start(Duration timeout) throws IOException, InterruptedException {
        Path dir = options.dir();
        String classpath = ownLocation() + File.pathSeparator + resource("kafka-broker-classpath.txt").trim();
        Files.writeString(dir.resolve("log4j2.properties"), resource("kafka-broker-log4j2.properties"));
        Path props = dir.resolve("server.properties");
        Files.writeString(props, String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.bootstrap.servers=127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "inter.broker.listener.name=PLAINTEXT",
                "log.dirs=" + dir.resolve("data"),
                "num.partitions=" + options.defaultPartitions(),
                "auto.create.topics.enable=true",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                // the 128 MiB default dedupe buffer alone doubles the broker's memory
                "log.cleaner.dedupe.buffer.size=2097152",
                ""));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java, "-Xms64m", "-Xmx" + options.maxHeap(), "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-Dlog4j2.configurationFile=" + dir.resolve("log4j2.properties"), "-cp", classpath,
                BrokerMain.class.getName(), props.toString(), clusterId(dir), Boolean.toString(!options.outliveParent())));
        Path log = logFile();
        process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        if (!options.outliveParent()) {
            Process p = process;
            Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly, "kafka-broker-kill"));
        }
        long logStart = Files.size(log);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Kafka broker exited with " + process.exitValue() + "; see " + log);
            }
            if (logSince(log, logStart).contains("Kafka Server started")) {
                return this;
            }
            Thread.sleep(50);
        }
        close();
        throw new IllegalStateException("Kafka broker did not start within " + timeout + "; see " + log);
    }

    private static String logSince(Path log, long from) throws IOException {
        byte[] all = Files.readAllBytes(log);
        return new String(all, (int) Math.min(from, all.length), (int) Math.max(0, all.length - from), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }

    /** A data directory keeps its cluster id across restarts; a new one gets a fresh id (kafka-storage random-uuid format). */
    private static String clusterId(Path dir) throws IOException {
        Path file = dir.resolve("cluster.id");
        if (Files.exists(file)) {
            return Files.readString(file).trim();
        }
        String id;
        do {
            UUID u = UUID.randomUUID();
            ByteBuffer b = ByteBuffer.allocate(16).putLong(u.getMostSignificantBits()).putLong(u.getLeastSignificantBits());
            id = Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
            // like Kafka's Uuid.randomUuid: an id starting with '-' would be read as an option by kafka-storage format
        } while (id.startsWith("-"));
        Files.writeString(file, id);
        return id;
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    /** The jar (or classes directory) holding this module, which the broker JVM needs for BrokerMain. */
    private static String ownLocation() throws IOException {
        try {
            URL url = KafkaProcessBroker.class.getProtectionDomain().getCodeSource().getLocation();
            return Path.of(url.toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IOException(e);
        }
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = KafkaProcessBroker.class.getResourceAsStream("/" + name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is not on the classpath: build io.jsworkflows:kafka-broker-dist first");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
