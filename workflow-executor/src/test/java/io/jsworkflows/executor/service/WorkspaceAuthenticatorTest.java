package io.jsworkflows.executor.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import io.jsworkflows.executor.config.ExecutorConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/** API keys checked against connections-service's GET /api/v1/workspace (a stand-in server here), cached by hash. */
class WorkspaceAuthenticatorTest {

    HttpServer server;
    final AtomicInteger calls = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/workspace", ex -> {
            calls.incrementAndGet();
            boolean ok = "Bearer good-key".equals(ex.getRequestHeaders().getFirst("Authorization"));
            byte[] body = (ok ? "{\"id\":\"ws-42\",\"name\":\"Acme\"}" : "{\"status\":401}").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(ok ? 200 : 401, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    WorkspaceAuthenticator authenticator(String connectionsUrl) {
        var b = new SmallRyeConfigBuilder().withMapping(ExecutorConfig.class).withDefaultValue("jsw.executor.api-keys", "ws-static:static-key");
        if (connectionsUrl != null) {
            b.withDefaultValue("jsw.connections-url", connectionsUrl);
        }
        return new WorkspaceAuthenticator(b.build().getConfigMapping(ExecutorConfig.class));
    }

    @Test
    void keysAreCheckedWithConnectionsServiceAndCached() {
        WorkspaceAuthenticator auth = authenticator("http://127.0.0.1:" + server.getAddress().getPort());
        assertThat(auth.workspaceOf("Bearer good-key")).isEqualTo("ws-42");
        assertThat(auth.workspaceOf("Bearer good-key")).isEqualTo("ws-42");
        assertThat(calls).hasValue(1);
        assertThatThrownBy(() -> auth.workspaceOf("Bearer bad-key")).isInstanceOf(ProblemException.class)
                .satisfies(e -> assertThat(((ProblemException) e).status()).isEqualTo(401)).hasMessageNotContaining("bad-key");
        assertThat(auth.workspaceOf("Bearer static-key")).isEqualTo("ws-static");
        assertThat(calls).hasValue(2);
    }

    @Test
    void aFloodOfBogusKeysDoesNotEvictAKeyInUse() {
        var b = new SmallRyeConfigBuilder().withMapping(ExecutorConfig.class)
                .withDefaultValue("jsw.connections-url", "http://127.0.0.1:" + server.getAddress().getPort())
                .withDefaultValue("jsw.executor.api-key-cache-ttl", "PT1H"); // the flood must not outlast the entry
        WorkspaceAuthenticator auth = new WorkspaceAuthenticator(b.build().getConfigMapping(ExecutorConfig.class));
        int flood = 10_001;
        for (int i = 0; i < flood; i++) {
            if (i % 100 == 0) {
                // the workspace keeps using its key while someone sends bogus ones
                assertThat(auth.workspaceOf("Bearer good-key")).isEqualTo("ws-42");
            }
            String bogus = "Bearer bogus-" + i;
            assertThatThrownBy(() -> auth.workspaceOf(bogus)).isInstanceOf(ProblemException.class);
        }
        assertThat(calls).hasValue(1 + flood);
        // the key in use is still cached: the flood did not clear the cache
        assertThat(auth.workspaceOf("Bearer good-key")).isEqualTo("ws-42");
        assertThat(calls).hasValue(1 + flood);
    }

    @Test
    void anOversizedKeyIsA401WithoutAskingAndA4xxOfTheCheckIsAnInvalidKey() {
        WorkspaceAuthenticator auth = authenticator("http://127.0.0.1:" + server.getAddress().getPort());
        assertThatThrownBy(() -> auth.workspaceOf("Bearer " + "k".repeat(8 * 1024))).isInstanceOf(ProblemException.class)
                .satisfies(e -> assertThat(((ProblemException) e).status()).isEqualTo(401));
        assertThat(calls).hasValue(0);
        server.removeContext("/api/v1/workspace");
        server.createContext("/api/v1/workspace", ex -> {
            calls.incrementAndGet();
            ex.sendResponseHeaders(431, -1); // e.g. a header the check would not read
            ex.close();
        });
        assertThatThrownBy(() -> auth.workspaceOf("Bearer " + "k".repeat(900))).isInstanceOf(ProblemException.class)
                .satisfies(e -> assertThat(((ProblemException) e).status()).isEqualTo(401));
        assertThat(calls).hasValue(1);
    }

    @Test
    void anUnreachableConnectionsServiceIsA503() {
        int port = server.getAddress().getPort();
        server.stop(0);
        WorkspaceAuthenticator auth = authenticator("http://127.0.0.1:" + port);
        assertThatThrownBy(() -> auth.workspaceOf("Bearer good-key")).isInstanceOf(ProblemException.class)
                .satisfies(e -> assertThat(((ProblemException) e).status()).isEqualTo(503));
    }

    @Test
    void withoutConnectionsServiceOnlyStaticKeysWork() {
        WorkspaceAuthenticator auth = authenticator(null);
        assertThat(auth.workspaceOf("Bearer static-key")).isEqualTo("ws-static");
        assertThatThrownBy(() -> auth.workspaceOf("Bearer good-key")).isInstanceOf(ProblemException.class);
        assertThatThrownBy(() -> auth.workspaceOf(null)).hasMessageContaining("Authorization: Bearer");
    }
}
