package io.jsworkflows.localstack.stack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
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

    /**
     * How long a port that nothing listens on may stay taken before the start gives up (see {@link #taken}): longer than
     * Linux keeps a closed connection's port in TIME_WAIT (60 s).
     */
    static final Duration CLIENT_PORT_GRACE = Duration.ofSeconds(75);

    private static final Pattern SS_USER = Pattern.compile("users:\\(\\(\"([^\"]+)\",pid=(\\d+)");

    private PortCheck() {
    }

    /** Throws a {@link StackException} naming every taken port, its purpose and, if ss(8) knows, its holder. */
    static void requireFree(StackSettings s, List<StackRunner.ServiceSpec> services, StackConsole console) {
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
        List<String> taken = taken(ports, CLIENT_PORT_GRACE, held -> console.step("ports", held + " is held by a client connection, "
                + "not a server; waiting up to " + CLIENT_PORT_GRACE.toSeconds() + " s for it to end"));
        if (!taken.isEmpty()) {
            throw new StackException("cannot start: " + String.join("; ", taken)
                    + ".\n     Stop whatever holds it (is another ./jsw up running? ./jsw down stops it), or point jsw at an "
                    + "existing Kafka/PostgreSQL with JSW_KAFKA_BOOTSTRAP / JSW_DB_URL, or move ours with JSW_KAFKA_PORT / JSW_POSTGRES_PORT.");
        }
    }

    /**
     * The ports of {@code ports} still taken, each with its purpose and holder. A port that nothing listens on is waited
     * for up to {@code grace}: the stack's ports lie in Linux's ephemeral range, so another program's client connection
     * may hold one as its local port for a while (seen after a benchmark's many connections); a listener fails at once.
     */
    static List<String> taken(Map<Integer, String> ports, Duration grace, java.util.function.Consumer<String> waiting) {
        long deadline = System.nanoTime() + grace.toNanos();
        boolean told = false;
        while (true) {
            List<Integer> taken = ports.keySet().stream().filter(p -> !isFree(p)).toList();
            if (taken.isEmpty() || taken.stream().anyMatch(PortCheck::listening) || System.nanoTime() > deadline) {
                // who holds them (ss) only for the answer, not on every pass of the wait
                return taken.stream().map(p -> label(p, ports) + " is already in use" + holder(p)).toList();
            }
            if (!told) {
                waiting.accept(String.join(", ", taken.stream().map(p -> label(p, ports)).toList()));
                told = true;
            }
            try {
                Thread.sleep(250); // a client connection's end: nothing to wait on but time
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return taken.stream().map(p -> label(p, ports) + " is already in use").toList();
            }
        }
    }

    private static String label(int port, Map<Integer, String> ports) {
        return "port " + port + " (for " + ports.get(port) + ")";
    }

    /** Whether something accepts connections on the port (a server), rather than a client connection holding it. */
    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException e) {
            return false;
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
