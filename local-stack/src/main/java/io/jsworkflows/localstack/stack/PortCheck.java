package io.jsworkflows.localstack.stack;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Before anything starts: every port the stack will listen on must be free, so a second {@code jsw up} (or anything
 * else on those ports) fails at once with who holds them, instead of half a stack failing one service at a time.
 */
public final class PortCheck {

    private static final Pattern SS_USER = Pattern.compile("users:\\(\\(\"([^\"]+)\",pid=(\\d+)");

    private PortCheck() {
    }

    /** Throws a {@link StackException} naming every taken port, its purpose and, if ss(8) knows, its holder. */
    static void requireFree(StackSettings s, List<StackRunner.ServiceSpec> services) {
        Map<Integer, String> ports = new LinkedHashMap<>();
        if (s.externalKafka() == null) {
            ports.put(s.kafkaPort(), "Kafka (JSW_KAFKA_PORT)");
            ports.put(s.kafkaControllerPort(), "the Kafka controller (JSW_KAFKA_CONTROLLER_PORT)");
        }
        if (s.externalDbUrl() == null) {
            ports.put(s.postgresPort(), "PostgreSQL (JSW_POSTGRES_PORT)");
        }
        for (StackRunner.ServiceSpec spec : services) {
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

    public static boolean isFree(int port) {
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
            var m = SS_USER.matcher(o);
            return m.find() ? " by " + m.group(1) + " (pid " + m.group(2) + ")" : "";
        } catch (IOException | InterruptedException | RuntimeException e) {
            return "";
        }
    }
}
