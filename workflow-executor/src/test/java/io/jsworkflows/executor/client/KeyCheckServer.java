package io.jsworkflows.executor.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * connections-service's key check as the executor sees it ({@code GET /api/v1/workspace}): {@code good-key} belongs
 * to {@code ws-42}, a key starting {@code huge-} gets a 431, every other key a 401. A stand-in, because the executor's
 * module does not run connections-service; the real pair is walked end to end in e2e-tests.
 */
public class KeyCheckServer implements QuarkusTestResourceLifecycleManager {

    static final AtomicInteger CALLS = new AtomicInteger();
    static volatile HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/api/v1/workspace", ex -> {
            CALLS.incrementAndGet();
            String auth = String.valueOf(ex.getRequestHeaders().getFirst("Authorization"));
            int status = auth.equals("Bearer good-key") ? 200 : auth.startsWith("Bearer huge-") ? 431 : 401;
            byte[] body = (status == 200 ? "{\"id\":\"ws-42\",\"name\":\"Acme\"}" : "{\"status\":" + status + "}")
                    .getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        return Map.of("jsw.connections-url", "http://127.0.0.1:" + server.getAddress().getPort(),
                // the flood below must not outlast the entry in use
                "jsw.executor.api-key-cache-ttl", "PT1H");
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
