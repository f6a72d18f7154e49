package io.jsworkflows.localstack.stack;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where the local stack lives and what it connects to, from environment variables (the {@code jsw} script sets
 * {@code JSW_ROOT}). Unset variables mean "start our own": a Kafka broker and a PostgreSQL under {@code .jsw/}.
 */
public record StackSettings(
        Path root,
        Path stateDir,
        String externalKafka,
        int kafkaPort,
        int kafkaControllerPort,
        String externalDbUrl,
        String externalDbUser,
        String externalDbPassword,
        int postgresPort,
        String connectionsUrl,
        String executorUrl,
        String emulatorUrl,
        String gatewayUrl) {

    public static final int EMULATOR_PORT = 8090;
    public static final int CONNECTIONS_PORT = 8081;
    public static final int REFRESHER_PORT = 8082;
    public static final int EXECUTOR_PORT = 8083;
    /** webhook-gateway: the stack's ingress for Shopify webhooks (sources' ingress URLs point here). */
    public static final int GATEWAY_PORT = 8084;

    public static StackSettings fromEnv() {
        return fromEnv(System.getenv());
    }

    public static StackSettings fromEnv(Map<String, String> env) {
        Path root = Path.of(env.getOrDefault("JSW_ROOT", ".")).toAbsolutePath().normalize();
        Path state = env.containsKey("JSW_STATE_DIR") ? Path.of(env.get("JSW_STATE_DIR")).toAbsolutePath().normalize()
                : root.resolve(".jsw");
        return new StackSettings(root, state,
                blankToNull(env.get("JSW_KAFKA_BOOTSTRAP")),
                intOf(env, "JSW_KAFKA_PORT", 9092),
                intOf(env, "JSW_KAFKA_CONTROLLER_PORT", 9093),
                blankToNull(env.get("JSW_DB_URL")),
                env.getOrDefault("JSW_DB_USER", "postgres"),
                env.getOrDefault("JSW_DB_PASSWORD", "postgres"),
                intOf(env, "JSW_POSTGRES_PORT", 55432),
                env.getOrDefault("JSW_CONNECTIONS_URL", "http://localhost:" + CONNECTIONS_PORT),
                env.getOrDefault("JSW_EXECUTOR_URL", "http://localhost:" + EXECUTOR_PORT),
                env.getOrDefault("JSW_EMULATOR_URL", "http://localhost:" + EMULATOR_PORT),
                env.getOrDefault("JSW_GATEWAY_URL", "http://localhost:" + GATEWAY_PORT));
    }

    /** The Kafka bootstrap the stack uses: the external one if set, else our broker's port. */
    public String kafkaBootstrap() {
        return externalKafka != null ? externalKafka : "127.0.0.1:" + kafkaPort;
    }

    public String dbUrl() {
        return externalDbUrl != null ? externalDbUrl : "jdbc:postgresql://127.0.0.1:" + postgresPort + "/jsw";
    }

    public Path logs() {
        return stateDir.resolve("logs");
    }

    public Path pidFile() {
        return stateDir.resolve("jsw.pid");
    }

    public Path pidsFile() {
        return stateDir.resolve("stack.pids");
    }

    public Path keysFile() {
        return stateDir.resolve("keys.env");
    }

    /** Written by {@code jsw demo}: the demo workspace's API key, used by {@code jsw workflows deploy}. */
    public Path demoFile() {
        return stateDir.resolve("demo.env");
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static int intOf(Map<String, String> env, String name, int dflt) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a port number, not '" + v + "'");
        }
    }
}
