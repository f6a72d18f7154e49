package io.jsworkflows.executor.service;

import static io.jsworkflows.executor.service.TokenViewLazyUnsealTest.KEY;
import static io.jsworkflows.executor.service.TokenViewLazyUnsealTest.state;
import static io.jsworkflows.executor.service.TokenViewLazyUnsealTest.view;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.jsworkflows.contracts.events.ConnectionStatus;
import io.jsworkflows.contracts.events.TokenState;
import io.jsworkflows.contracts.json.ContractsJson;

/** Records read from the topic are indexed by a few fields; the whole state is parsed when a run first uses it, once. */
class TokenViewLazyParseTest {

    static String record(String connectionId, String handle, String token, long tokenVersion) {
        return ContractsJson.write(state(connectionId, handle, KEY.seal(token, connectionId), tokenVersion));
    }

    @Test
    void aRecordIsParsedWholeOnlyWhenFirstUsedAndThenOnce() {
        TokenView v = view(KEY);
        for (int i = 0; i < 1000; i++) {
            v.applyRecord("c" + i, record("c" + i, "h" + i, "token-" + i, 1));
        }
        assertThat(v.size()).isEqualTo(1000);
        assertThat(v.parses()).as("nothing parsed whole on arrival").isZero();

        assertThat(v.tokenNow("ws-1", "h7", Duration.ofSeconds(30))).contains("token-7");
        assertThat(v.tokenNow("ws-1", "h7", Duration.ofSeconds(30))).contains("token-7");
        assertThat(v.parses()).isEqualTo(1);
        assertThat(v.byId("c7").orElseThrow().state().expiresAt()).isAfter(java.time.Instant.now());
        assertThat(v.statesOf("ws-2")).isEmpty();
        assertThat(v.parses()).as("another workspace's records are not parsed to answer for ws-2").isEqualTo(1);
    }

    @Test
    void versionsAreOrderedByTheIndexAlone() {
        TokenView v = view(KEY);
        v.applyRecord("c1", record("c1", "h", "newer", 2));
        v.applyRecord("c1", record("c1", "h", "older", 1));
        v.applyRecord("c1", record("c1", "h", "same-version", 2));
        assertThat(v.tokenNow("ws-1", "h", Duration.ofSeconds(30))).contains("newer");
        v.applyRecord("c1", record("c1", "h", "newest", 3));
        assertThat(v.tokenNow("ws-1", "h", Duration.ofSeconds(30))).contains("newest");
        v.applyRecord("c1", null);
        assertThat(v.tokenNow("ws-1", "h", Duration.ofSeconds(30))).isEmpty();
        assertThat(v.size()).isZero();
    }

    @Test
    void theIndexReadsWhatDataBindingReads() {
        TokenState s = new TokenState(TokenState.SCHEMA_VERSION, "c9", "ws-9", "crm", 42L, List.of("crm.objects.contacts.write", "oauth"),
                ConnectionStatus.DEGRADED, KEY.seal("t", "c9"), Instant.now(), 7, 3, Instant.now(), "HubSpot answered 503");
        assertThat(TokenIndex.read(ContractsJson.write(s))).isEqualTo(TokenIndex.of(s))
                .isEqualTo(new TokenIndex("c9", "ws-9", "crm", ConnectionStatus.DEGRADED, 7, 3));
        // fields of a newer schema, nested or not, are skipped wherever they are
        assertThat(TokenIndex.read("{\"extra\":{\"connectionId\":\"other\",\"a\":[1,{\"b\":2}]},\"connectionId\":\"c1\",\"workspaceId\":\"w\","
                + "\"list\":[\"x\"],\"handle\":\"h\",\"status\":\"ACTIVE\",\"tokenVersion\":2,\"grantVersion\":1,\"n\":null}"))
                .isEqualTo(new TokenIndex("c1", "w", "h", ConnectionStatus.ACTIVE, 2, 1));
    }

    @Test
    void aRecordWithoutItsIndexIsRefusedOnArrival() {
        TokenView v = view(KEY);
        assertThatThrownBy(() -> v.applyRecord("c1", "{\"connectionId\":\"c1\",\"workspaceId\":\"ws-1\",\"status\":\"ACTIVE\"}"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> v.applyRecord("c1", "not json")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> v.applyRecord("c1", "{\"connectionId\":\"c1\",\"workspaceId\":\"ws-1\",\"handle\":\"h\",\"status\":\"ACT"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("ACT");
        assertThatThrownBy(() -> v.applyRecord("c1", "[1]")).isInstanceOf(IllegalArgumentException.class);
        assertThat(v.size()).isZero();
    }

    @Test
    void aRecordWhoseRestCannotBeReadAnswersAsUnopenableOnUse() {
        TokenView v = view(KEY);
        String sealed = KEY.seal("secret-token", "c1");
        v.applyRecord("c1", "{\"schemaVersion\":1,\"connectionId\":\"c1\",\"workspaceId\":\"ws-1\",\"handle\":\"h\",\"status\":\"ACTIVE\","
                + "\"sealedAccessToken\":\"" + sealed + "\",\"expiresAt\":\"not an instant\",\"tokenVersion\":1,\"grantVersion\":1}");
        assertThat(v.tokenNow("ws-1", "h", Duration.ofSeconds(30))).isEmpty();
        TokenView.Lookup l = v.evaluate(v.byId("c1").orElseThrow());
        assertThat(l.token()).isNull();
        assertThat(l.error()).contains("cannot be opened by this executor").doesNotContain("secret-token");
        assertThat(v.byId("c1").orElseThrow().state().status()).isEqualTo(ConnectionStatus.ACTIVE);
        assertThat(v.byId("c1").orElseThrow().state().sealedAccessToken()).isNull();
    }
}
