package io.jsworkflows.localstack.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * The one environment builder for ./jsw up and the e2e harness: the exact maps ./jsw up has always given each service,
 * the same names for a harness-style wiring with values only from that wiring, and who holds which secret.
 */
class ServiceEnvironmentTest {

    private static final List<String> MODULES = List.of("hubspot-emulator", "connections-service", "webhook-gateway",
            "token-refresher", "workflow-executor");

    private static final Map<String, String> KEYS = Map.of(LocalKeys.GRANT_KEYS, "g:AAAA", LocalKeys.TOKEN_KEYS, "t:AAAA",
            LocalKeys.SOURCE_KEYS, "s:AAAA", LocalKeys.ADMIN_KEY, "a");

    private final ServiceWiring local = ServiceWiring.local(StackSettings.fromEnv(Map.of("JSW_ROOT", Path.of(".").toString())), KEYS);

    /** Like the e2e harness: free ports, its own broker and database, fresh rings, the emulator's client. */
    private final ServiceWiring harness = new ServiceWiring("127.0.0.1:41001", "http://localhost:41002", "http://localhost:41003",
            "http://localhost:41004", "http://localhost:41005",
            new ServiceWiring.Database("jdbc:postgresql://127.0.0.1:41006/e2e_1", "e2e-user", "e2e-password"),
            new ServiceWiring.OAuthClient("e2e-client", "e2e-client-secret"), ServiceWiring.loopbackEgress(41002),
            new ServiceWiring.Keys("e2e-grant", "e2e-token", "e2e-source", "e2e-admin"));

    /**
     * What jsw up gives each service, to the letter (connections-service's own settings under JSW_CONNECTIONS_*; the admin
     * key comes from keys.env's JSW_ADMIN_KEY).
     */
    @Test
    void jswUpGetsTheSameMapsAsBefore() {
        assertThat(ServiceEnvironment.of("hubspot-emulator", local)).containsExactlyInAnyOrderEntriesOf(Map.of("QUARKUS_LOG_CONSOLE_COLOR", "false"));
        assertThat(ServiceEnvironment.of("connections-service", local)).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry("QUARKUS_LOG_CONSOLE_COLOR", "false"),
                Map.entry("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"),
                Map.entry("JSW_HUBSPOT_API_URL", "http://localhost:8090"),
                Map.entry("JSW_HUBSPOT_AUTHORIZE_URL", "http://localhost:8090/oauth/authorize"),
                Map.entry("JSW_HUBSPOT_CLIENT_ID", "jsw-local-client"),
                Map.entry("JSW_HUBSPOT_CLIENT_SECRET", "jsw-local-secret"),
                Map.entry("JSW_CONNECTIONS_PUBLIC_URL", "http://localhost:8081"),
                Map.entry("JSW_CONNECTIONS_ADMIN_KEY", "a"),
                Map.entry("JSW_CRYPTO_GRANT_KEYS", "g:AAAA"),
                Map.entry("JSW_CRYPTO_TOKEN_KEYS", "t:AAAA"),
                Map.entry("JSW_CRYPTO_SOURCE_KEYS", "s:AAAA"),
                Map.entry("JSW_CONNECTIONS_INGRESS_PUBLIC_URL", "http://localhost:8084"),
                Map.entry("JSW_CONNECTIONS_WEB_EXECUTOR_URL", "http://localhost:8083"),
                Map.entry("JSW_DB_URL", "jdbc:postgresql://127.0.0.1:55432/jsw"),
                Map.entry("JSW_DB_USER", "postgres"),
                Map.entry("JSW_DB_PASSWORD", "postgres")));
        assertThat(ServiceEnvironment.of("webhook-gateway", local)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "QUARKUS_LOG_CONSOLE_COLOR", "false", "KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092", "JSW_CRYPTO_SOURCE_KEYS", "s:AAAA"));
        assertThat(ServiceEnvironment.of("token-refresher", local)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "QUARKUS_LOG_CONSOLE_COLOR", "false", "KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092",
                "JSW_HUBSPOT_API_URL", "http://localhost:8090", "JSW_HUBSPOT_AUTHORIZE_URL", "http://localhost:8090/oauth/authorize",
                "JSW_HUBSPOT_CLIENT_ID", "jsw-local-client", "JSW_HUBSPOT_CLIENT_SECRET", "jsw-local-secret",
                "JSW_CRYPTO_GRANT_KEYS", "g:AAAA", "JSW_CRYPTO_TOKEN_KEYS", "t:AAAA"));
        assertThat(ServiceEnvironment.of("workflow-executor", local)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "QUARKUS_LOG_CONSOLE_COLOR", "false", "KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092",
                "JSW_HUBSPOT_API_URL", "http://localhost:8090", "JSW_CRYPTO_TOKEN_KEYS", "t:AAAA",
                "JSW_CONNECTIONS_URL", "http://localhost:8081",
                "JSW_EXECUTOR_EGRESS_ALLOW", "localhost:8090,127.0.0.1:8090"));
    }

    @Test
    void anExternalDatabaseBringsItsOwnUserAndPassword() {
        ServiceWiring external = ServiceWiring.local(StackSettings.fromEnv(Map.of("JSW_ROOT", ".", "JSW_DB_URL",
                "jdbc:postgresql://db:5432/x", "JSW_DB_USER", "app", "JSW_DB_PASSWORD", "pw")), KEYS);

        assertThat(ServiceEnvironment.of("connections-service", external)).containsEntry("JSW_DB_URL", "jdbc:postgresql://db:5432/x")
                .containsEntry("JSW_DB_USER", "app").containsEntry("JSW_DB_PASSWORD", "pw");
    }

    /** The harness's services get the variables jsw up's get (what it adds, such as its HTTP port, is its own). */
    @Test
    void theHarnessGetsTheSameNamesWithItsOwnValues() {
        for (String module : MODULES) {
            Map<String, String> env = ServiceEnvironment.of(module, harness);

            assertThat(env.keySet()).as(module).isEqualTo(ServiceEnvironment.of(module, local).keySet());
            assertThat(env.values()).as(module).noneMatch(v -> v.matches(".*(:(8081|8083|8084|8090|9092|55432)\\b|jsw-local|g:AAAA|t:AAAA|s:AAAA).*"));
        }
        assertThat(ServiceEnvironment.of("connections-service", harness)).containsEntry("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:41001")
                .containsEntry("JSW_CONNECTIONS_PUBLIC_URL", "http://localhost:41003")
                .containsEntry("JSW_HUBSPOT_AUTHORIZE_URL", "http://localhost:41002/oauth/authorize")
                .containsEntry("JSW_HUBSPOT_CLIENT_ID", "e2e-client")
                .containsEntry("JSW_CONNECTIONS_INGRESS_PUBLIC_URL", "http://localhost:41005")
                .containsEntry("JSW_CONNECTIONS_WEB_EXECUTOR_URL", "http://localhost:41004")
                .containsEntry("JSW_DB_URL", "jdbc:postgresql://127.0.0.1:41006/e2e_1")
                .containsEntry("JSW_DB_USER", "e2e-user");
        assertThat(ServiceEnvironment.of("workflow-executor", harness)).containsEntry("JSW_HUBSPOT_API_URL", "http://localhost:41002")
                .containsEntry("JSW_CONNECTIONS_URL", "http://localhost:41003")
                .containsEntry("JSW_EXECUTOR_EGRESS_ALLOW", "localhost:41002,127.0.0.1:41002");
    }

    /** Each service holds the secrets its job needs and no other, whoever built the wiring. */
    @Test
    void eachServiceHoldsOnlyItsSecrets() {
        Map<String, String> secrets = Map.of("e2e-grant", "grant ring", "e2e-token", "token ring", "e2e-source", "source ring",
                "e2e-admin", "admin key", "e2e-client-secret", "OAuth client secret", "e2e-password", "database password");
        Map<String, Set<String>> expected = Map.of(
                "hubspot-emulator", Set.of(),
                "connections-service", Set.copyOf(secrets.values()),
                "token-refresher", Set.of("grant ring", "token ring", "OAuth client secret"),
                "workflow-executor", Set.of("token ring"),
                "webhook-gateway", Set.of("source ring"));
        for (String module : MODULES) {
            Set<String> held = new HashSet<>();
            ServiceEnvironment.of(module, harness).values().forEach(v -> {
                if (secrets.containsKey(v)) {
                    held.add(secrets.get(v));
                }
            });
            assertThat(held).as(module).isEqualTo(expected.get(module));
        }
        assertThat(ServiceEnvironment.of("workflow-executor", local)).doesNotContainKeys("JSW_HUBSPOT_CLIENT_SECRET",
                "JSW_HUBSPOT_CLIENT_ID", "JSW_HUBSPOT_AUTHORIZE_URL", "JSW_CRYPTO_GRANT_KEYS", "JSW_CRYPTO_SOURCE_KEYS",
                "JSW_CONNECTIONS_ADMIN_KEY");
        assertThat(ServiceEnvironment.of("webhook-gateway", local)).containsOnlyKeys("QUARKUS_LOG_CONSOLE_COLOR", "KAFKA_BOOTSTRAP_SERVERS",
                "JSW_CRYPTO_SOURCE_KEYS");
    }

    @Test
    void theWiringNeverPrintsASecret() {
        assertThat(harness.toString()).contains("http://localhost:41003", "e2e-client")
                .doesNotContain("e2e-grant", "e2e-token", "e2e-source", "e2e-admin", "e2e-client-secret", "e2e-password");
    }

    @Test
    void aMissingKeyOrAddressIsRefusedAtOnce() {
        assertThatThrownBy(() -> ServiceWiring.local(StackSettings.fromEnv(Map.of("JSW_ROOT", ".")), Map.of(LocalKeys.GRANT_KEYS, "g")))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("token ring");
        assertThatThrownBy(() -> ServiceEnvironment.of("billing-service", local)).isInstanceOf(IllegalArgumentException.class);
    }
}
