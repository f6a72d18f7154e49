package io.jsworkflows.executor.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.inject.Inject;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.jsworkflows.executor.PlatformTopicsResource;
import io.jsworkflows.executor.service.ProblemException;
import io.jsworkflows.executor.service.WorkspaceAuthenticator;
import io.jsworkflows.testsupport.HubSpotApiTestResource;
import io.jsworkflows.testsupport.KafkaTestResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * API keys checked through the REST client against connections-service's {@code GET /api/v1/workspace}, cached by
 * hash in the {@code workspace-keys} cache; static keys first. The unreachable case runs last: it
 * stops the stand-in server and opens the breaker.
 */
@QuarkusTest
@WithTestResource(KafkaTestResource.class)
@WithTestResource(HubSpotApiTestResource.class)
@WithTestResource(PlatformTopicsResource.class)
@WithTestResource(KeyCheckServer.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkspaceKeyCheckTest {

    @Inject
    WorkspaceAuthenticator auth;

    @Test
    @Order(1)
    void keysAreCheckedWithConnectionsServiceAndCachedStaticKeysFirst() {
        int before = KeyCheckServer.CALLS.get();
        assertThat(auth.workspaceOf("Bearer good-key")).isEqualTo("ws-42");
        assertThat(auth.workspaceOf("Bearer good-key")).isEqualTo("ws-42");
        assertThat(KeyCheckServer.CALLS.get() - before).isEqualTo(1);
        assertThatThrownBy(() -> auth.workspaceOf("Bearer bad-key")).isInstanceOf(ProblemException.class)
                .satisfies(e -> assertThat(((ProblemException) e).status()).isEqualTo(401)).hasMessageNotContaining("bad-key");
        assertThatThrownBy(() -> auth.workspaceOf("Bearer bad-key")).isInstanceOf(ProblemException.class);
        assertThat(KeyCheckServer.CALLS.get() - before).as("a refused key is an answer, cached too").isEqualTo(2);
        assertThat(auth.workspaceOf("Bearer test-key-1")).isEqualTo("ws-test"); // jsw.executor.api-keys of the test profile
        assertThat(KeyCheckServer.CALLS.get() - before).isEqualTo(2);
        assertThatThrownBy(() -> auth.workspaceOf(null)).hasMessageContaining("Authorization: Bearer");
    }

    @Test
    @Order(2)
    void aFloodOfBogusKeysDoesNotEvictAKeyInUse() {
        int before = KeyCheckServer.CALLS.get();
        int flood = 10_001; // more than the cache holds
        for (int i = 0; i < flood; i++) {
            if (i % 100 == 0) {
                // the workspace keeps using its key while someone sends bogus ones
                assertThat(auth.workspaceOf("Bearer good-key")).isEqualTo("ws-42");
            }
            String bogus = "Bearer bogus-" + i;
            assertThatThrownBy(() -> auth.workspaceOf(bogus)).isInstanceOf(ProblemException.class);
        }
        assertThat(KeyCheckServer.CALLS.get() - before).isEqualTo(flood);
        // the key in use is still cached: the flood did not push it out
        assertThat(auth.workspaceOf("Bearer good-key")).isEqualTo("ws-42");
        assertThat(KeyCheckServer.CALLS.get() - before).isEqualTo(flood);
    }

    @Test
    @Order(3)
    void anOversizedKeyIsA401WithoutAskingAndA4xxOfTheCheckIsAnInvalidKey() {
        int before = KeyCheckServer.CALLS.get();
        assertThatThrownBy(() -> auth.workspaceOf("Bearer " + "k".repeat(8 * 1024))).isInstanceOf(ProblemException.class)
                .satisfies(e -> assertThat(((ProblemException) e).status()).isEqualTo(401));
        assertThat(KeyCheckServer.CALLS.get() - before).isZero();
        assertThatThrownBy(() -> auth.workspaceOf("Bearer huge-" + "k".repeat(900))).isInstanceOf(ProblemException.class)
                .satisfies(e -> assertThat(((ProblemException) e).status()).isEqualTo(401));
        assertThat(KeyCheckServer.CALLS.get() - before).isEqualTo(1);
    }

    @Test
    @Order(4)
    void anUnreachableConnectionsServiceIsA503WhileCachedAnswersKeepServing() {
        KeyCheckServer.server.stop(0);
        for (int i = 0; i < 6; i++) {
            String key = "Bearer while-down-" + i;
            assertThatThrownBy(() -> auth.workspaceOf(key)).isInstanceOf(ProblemException.class)
                    .satisfies(e -> assertThat(((ProblemException) e).status()).isEqualTo(503));
        }
        // a key checked before the outage keeps working until its answer expires
        assertThat(auth.workspaceOf("Bearer good-key")).isEqualTo("ws-42");
    }
}
