package io.jsworkflows.localstack.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.jsworkflows.contracts.crypto.TokenCipher;

class StackSettingsTest {

    @TempDir
    Path tmp;

    @Test
    void defaultsStartOurOwnKafkaAndPostgres() {
        StackSettings s = StackSettings.fromEnv(Map.of("JSW_ROOT", tmp.toString()));
        assertThat(s.stateDir()).isEqualTo(tmp.resolve(".jsw"));
        assertThat(s.kafkaBootstrap()).isEqualTo("127.0.0.1:9092");
        assertThat(s.dbUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:55432/jsw");
        assertThat(s.externalKafka()).isNull();
    }

    @Test
    void envVarsPointAtExistingServers() {
        StackSettings s = StackSettings.fromEnv(Map.of("JSW_ROOT", tmp.toString(), "JSW_KAFKA_BOOTSTRAP", "kafka:9092",
                "JSW_DB_URL", "jdbc:postgresql://db:5432/x", "JSW_STATE_DIR", tmp.resolve("st").toString()));
        assertThat(s.kafkaBootstrap()).isEqualTo("kafka:9092");
        assertThat(s.dbUrl()).isEqualTo("jdbc:postgresql://db:5432/x");
        assertThat(s.pidFile()).isEqualTo(tmp.resolve("st/jsw.pid"));
        assertThatThrownBy(() -> StackSettings.fromEnv(Map.of("JSW_KAFKA_PORT", "ninety"))).hasMessageContaining("JSW_KAFKA_PORT");
    }

    @Test
    void keysAreGeneratedOnceValidAndPrivate() throws Exception {
        StackSettings s = StackSettings.fromEnv(Map.of("JSW_ROOT", tmp.toString()));
        Map<String, String> first = LocalKeys.loadOrCreate(s);
        Map<String, String> again = LocalKeys.loadOrCreate(s);
        assertThat(again).isEqualTo(first);
        TokenCipher grant = TokenCipher.fromConfig(first.get(LocalKeys.GRANT_KEYS), "grant");
        assertThat(grant.open(grant.seal("secret", "c1"), "c1")).isEqualTo("secret");
        assertThat(first.get(LocalKeys.TOKEN_KEYS)).isNotEqualTo(first.get(LocalKeys.GRANT_KEYS));
        TokenCipher source = TokenCipher.fromConfig(first.get(LocalKeys.SOURCE_KEYS), "source");
        assertThat(source.open(source.seal("shop-secret", "src_1"), "src_1")).isEqualTo("shop-secret");
        assertThat(first.get(LocalKeys.SOURCE_KEYS)).isNotIn(first.get(LocalKeys.GRANT_KEYS), first.get(LocalKeys.TOKEN_KEYS));
        assertThat(LocalKeys.adminKey(s)).startsWith("jsw_admin_").hasSizeGreaterThan(30);
        assertThat(Files.getPosixFilePermissions(s.keysFile()).toString()).isEqualTo("[OWNER_READ, OWNER_WRITE]");
        assertThat(Files.readString(s.keysFile())).doesNotContain("'");
    }

    /** A keys.env from before sources keeps its rings and gains a source ring on the next jsw up. */
    @Test
    void anOlderKeysFileGainsTheSourceRing() throws Exception {
        StackSettings s = StackSettings.fromEnv(Map.of("JSW_ROOT", tmp.toString()));
        Map<String, String> first = LocalKeys.loadOrCreate(s);
        Map<String, String> old = new java.util.LinkedHashMap<>(first);
        old.remove(LocalKeys.SOURCE_KEYS);
        EnvFile.write(s.keysFile(), "older", old);

        Map<String, String> upgraded = LocalKeys.loadOrCreate(s);

        assertThat(upgraded).containsEntry(LocalKeys.GRANT_KEYS, first.get(LocalKeys.GRANT_KEYS))
                .containsEntry(LocalKeys.TOKEN_KEYS, first.get(LocalKeys.TOKEN_KEYS))
                .containsEntry(LocalKeys.ADMIN_KEY, first.get(LocalKeys.ADMIN_KEY))
                .containsKey(LocalKeys.SOURCE_KEYS);
        assertThat(EnvFile.read(s.keysFile())).containsKey(LocalKeys.SOURCE_KEYS);
    }

    @Test
    void aTakenPortIsNoticed() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            assertThat(PortCheck.isFree(taken.getLocalPort())).isFalse();
        }
    }
}
