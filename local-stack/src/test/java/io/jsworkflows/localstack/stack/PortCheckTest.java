package io.jsworkflows.localstack.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * The stack's fixed ports lie in Linux's ephemeral range: another program's client connection can hold one as its local
 * port. After a benchmark, {@code jsw up} once refused to start because of such a connection on PostgreSQL's port.
 */
class PortCheckTest {

    @Test
    void aPortHeldByAClientConnectionIsWaitedFor() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = freePort();
            Socket client = new Socket();
            client.setReuseAddress(false);
            client.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)); // the port as a client's local port
            client.connect(server.getLocalSocketAddress());
            Socket accepted = server.accept();
            assertThat(PortCheck.isFree(port)).as("held by the client connection").isFalse();
            CompletableFuture.runAsync(() -> {
                try {
                    accepted.close(); // the server ends it: the client's port does not linger in TIME_WAIT
                    client.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS));
            List<String> told = new java.util.ArrayList<>();
            List<String> taken = PortCheck.taken(Map.of(port, "PostgreSQL"), Duration.ofSeconds(20), told::add);
            assertThat(taken).as("free once the client connection ended").isEmpty();
            assertThat(told).as("said what it waits for").singleElement().asString().isEqualTo("port " + port + " (for PostgreSQL)");
        }
    }

    @Test
    void aPortAServerListensOnFailsAtOnce() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            // no wait for a listener: the callback that announces a wait fails the test
            List<String> taken = PortCheck.taken(Map.of(server.getLocalPort(), "Kafka"), Duration.ofSeconds(20), held -> {
                throw new AssertionError("waited for a listener: " + held);
            });
            assertThat(taken).singleElement().asString().contains("port " + server.getLocalPort() + " (for Kafka) is already in use");
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
