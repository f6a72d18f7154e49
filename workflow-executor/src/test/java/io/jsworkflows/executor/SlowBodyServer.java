package io.jsworkflows.executor;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A fetch target for workflows: {@code GET /big} streams a 1 MiB body without a Content-Length and holds back its last
 * 16 KiB until the test opens the gate ({@code POST /control/open}), so that every large body is in flight at once;
 * {@code GET /small} answers 2 KiB at once; {@code GET /control/waiting} says how many large bodies wait at the gate.
 * Allow-listed for the egress guard ({@code jsw.executor.egress.allow}); its base URL is in the system property
 * {@value #BASE_PROPERTY} (the test reaches it over HTTP, not through this class, which another class loader may hold).
 */
public class SlowBodyServer implements QuarkusTestResourceLifecycleManager {

    static final String BASE_PROPERTY = "jswtest.slow-body-server";
    static final int BIG = 1 << 20;
    static final int TAIL = 16 << 10;

    private HttpServer server;
    private final CountDownLatch gate = new CountDownLatch(1);
    private final AtomicInteger waiting = new AtomicInteger();

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/big", this::big);
        server.createContext("/small", ex -> answer(ex, 200, "s".repeat(2048)));
        server.createContext("/control/waiting", ex -> answer(ex, 200, Integer.toString(waiting.get())));
        server.createContext("/control/open", ex -> {
            gate.countDown();
            answer(ex, 204, null);
        });
        server.start();
        int port = server.getAddress().getPort();
        System.setProperty(BASE_PROPERTY, "http://127.0.0.1:" + port);
        return Map.of("jsw.executor.egress.allow", "127.0.0.1:" + port);
    }

    private void big(HttpExchange ex) throws IOException {
        byte[] chunk = new byte[64 << 10];
        Arrays.fill(chunk, (byte) 'x');
        try (ex) {
            ex.sendResponseHeaders(200, 0); // chunked: the executor learns the size only by reading
            OutputStream out = ex.getResponseBody();
            for (int sent = 0; sent < BIG - TAIL;) {
                int n = Math.min(chunk.length, BIG - TAIL - sent);
                out.write(chunk, 0, n);
                out.flush();
                sent += n;
            }
            waiting.incrementAndGet();
            try {
                gate.await(120, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                waiting.decrementAndGet();
            }
            out.write(chunk, 0, TAIL);
        } catch (IOException e) {
            // the executor gave up on this body (a limit): nothing more to send
        }
    }

    private static void answer(HttpExchange ex, int status, String body) throws IOException {
        try (ex) {
            byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
            if (b.length > 0) {
                ex.getResponseBody().write(b);
            }
        }
    }

    @Override
    public void stop() {
        gate.countDown();
        if (server != null) {
            server.stop(0);
        }
    }
}
