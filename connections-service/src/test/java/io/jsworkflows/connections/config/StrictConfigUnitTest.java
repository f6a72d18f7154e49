package io.jsworkflows.connections.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.jsworkflows.testsupport.StrictConfig;
import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * A misspelt {@code jsw.*} key fails the start; the properties file holds no key the mapping does not know. This
 * service's own settings live under {@code jsw.connections.*}: the former top-level keys ({@code jsw.public-url}, ...)
 * are unknown now and fail the start too, instead of being silently ignored.
 */
class StrictConfigUnitTest {

    // what the mapping requires
    static final Map<String, String> OPERATOR = Map.of("jsw.connections.ingress.public-url", "https://hooks.example.com");

    @Test
    void thePropertiesFileHasNoUnknownKey() {
        StrictConfig.assertStarts(ConnectionsConfig.class, OPERATOR);
    }

    @Test
    void aMisspeltKeyFailsTheStart() {
        StrictConfig.assertMisspeltKeyFails(ConnectionsConfig.class, OPERATOR, "jsw.connections.public-ulr");
    }

    @Test
    void theFormerTopLevelKeysFailTheStart() {
        for (String old : new String[] {"jsw.public-url", "jsw.admin-key", "jsw.ingress.public-url", "jsw.oauth.state-ttl",
                "jsw.outbox.enabled", "jsw.web.executor-url", "jsw.web.secure-cookie", "jsw.runs.retention"}) {
            StrictConfig.assertMisspeltKeyFails(ConnectionsConfig.class, OPERATOR, old);
        }
    }

    @Test
    void theNewKeysReachTheMapping() {
        Map<String, String> operator = Map.of("jsw.connections.ingress.public-url", "https://hooks.example.com",
                "jsw.connections.public-url", "https://connections.example.com",
                "jsw.connections.admin-key", "admin-1",
                "jsw.connections.oauth.state-ttl", "PT3M",
                "jsw.connections.outbox.batch-size", "50",
                "jsw.connections.web.executor-url", "http://executor:8083",
                "jsw.connections.runs.retention", "P2D");
        ConnectionsConfig.Connections c = StrictConfig.build(ConnectionsConfig.class, "prod", operator)
                .getConfigMapping(ConnectionsConfig.class).connections();
        assertThat(c.ingress().publicUrl()).isEqualTo("https://hooks.example.com");
        assertThat(c.publicUrl()).contains("https://connections.example.com");
        assertThat(c.adminKey()).contains("admin-1");
        assertThat(c.oauth().stateTtl()).isEqualTo(Duration.ofMinutes(3));
        assertThat(c.outbox().batchSize()).isEqualTo(50);
        assertThat(c.web().executorUrl()).contains(URI.create("http://executor:8083"));
        assertThat(c.runs().retention()).isEqualTo(Duration.ofDays(2));
    }

    @Test
    void theEnvNamesAreTheKeysUnderJswConnections() {
        // what compose, Kubernetes and jsw up set (local-stack's tests keep those three equal); Kubernetes' shared
        // ConfigMap also hands every service the executor's JSW_CONNECTIONS_URL, which must not stop this one
        Map<String, String> env = Map.of("JSW_CONNECTIONS_URL", "http://connections-service:8081",
                "JSW_CONNECTIONS_INGRESS_PUBLIC_URL", "https://hooks.example.com",
                "JSW_CONNECTIONS_PUBLIC_URL", "https://connections.example.com",
                "JSW_CONNECTIONS_ADMIN_KEY", "admin-1",
                "JSW_CONNECTIONS_WEB_EXECUTOR_URL", "http://executor:8083",
                "JSW_CONNECTIONS_WEB_SECURE_COOKIE", "true",
                "JSW_CONNECTIONS_OUTBOX_ENABLED", "false",
                "JSW_CONNECTIONS_RUNS_DEAD_LETTER_RETENTION", "P9D",
                "JSW_CRYPTO_SOURCE_KEYS", "s1:AAAA",
                "JSW_HUBSPOT_AUTHORIZE_URL", "https://hubspot.example.com/authorize");
        SmallRyeConfig config = new SmallRyeConfigBuilder().withMapping(ConnectionsConfig.class)
                .withSources(new EnvConfigSource(env, 300)).build();
        ConnectionsConfig mapped = config.getConfigMapping(ConnectionsConfig.class);
        ConnectionsConfig.Connections c = mapped.connections();
        assertThat(c.ingress().publicUrl()).isEqualTo("https://hooks.example.com");
        assertThat(c.publicUrl()).contains("https://connections.example.com");
        assertThat(c.adminKey()).contains("admin-1");
        assertThat(c.web().executorUrl()).contains(URI.create("http://executor:8083"));
        assertThat(c.web().secureCookie()).isTrue();
        assertThat(c.outbox().enabled()).isFalse();
        assertThat(c.runs().deadLetterRetention()).isEqualTo(Duration.ofDays(9));
        assertThat(mapped.crypto().sourceKeys()).contains("s1:AAAA");
        assertThat(mapped.hubspot().authorizeUrl()).isEqualTo("https://hubspot.example.com/authorize");
        assertThat(mapped.hubspot().apiUrl()).isEqualTo("https://api.hubapi.com");
    }
}
