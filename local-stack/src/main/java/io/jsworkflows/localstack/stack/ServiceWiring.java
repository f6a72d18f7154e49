package io.jsworkflows.localstack.stack;

import java.util.Map;
import java.util.Objects;

/**
 * Where a platform's services find each other and the secrets they share: the one input {@link ServiceEnvironment}
 * turns into each service's variables. {@code jsw up} builds it from its settings and {@code .jsw/keys.env}
 * ({@link #local}); the e2e harness from its own free ports, broker, database and fresh key rings.
 *
 * @param connectionsUrl connections-service's address: its public URL (OAuth callback, web pages) and the one the
 *            executor calls
 * @param executorUrl the executor whose deploy API the workflows page uses
 * @param gatewayUrl webhook-gateway: sources' ingress URLs point here
 * @param egressAllow the executor's egress allow list ({@code host:port,...}): lets workflows reach the emulator
 */
public record ServiceWiring(String kafkaBootstrap, String emulatorUrl, String connectionsUrl, String executorUrl,
        String gatewayUrl, Database db, OAuthClient oauth, String egressAllow, Keys keys) {

    public ServiceWiring {
        Objects.requireNonNull(kafkaBootstrap, "kafkaBootstrap");
        Objects.requireNonNull(emulatorUrl, "emulatorUrl");
        Objects.requireNonNull(connectionsUrl, "connectionsUrl");
        Objects.requireNonNull(executorUrl, "executorUrl");
        Objects.requireNonNull(gatewayUrl, "gatewayUrl");
        Objects.requireNonNull(db, "db");
        Objects.requireNonNull(oauth, "oauth");
        Objects.requireNonNull(egressAllow, "egressAllow");
        Objects.requireNonNull(keys, "keys");
    }

    /** connections-service's database. */
    public record Database(String url, String user, String password) {

        public Database {
            Objects.requireNonNull(url, "db url");
            Objects.requireNonNull(user, "db user");
            Objects.requireNonNull(password, "db password");
        }

        @Override
        public String toString() {
            return "Database[url=" + url + ", user=" + user + ", password=***]";
        }
    }

    /** The HubSpot app's OAuth client: connections-service and the refresher only. */
    public record OAuthClient(String clientId, String clientSecret) {

        public OAuthClient {
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(clientSecret, "clientSecret");
        }

        @Override
        public String toString() {
            return "OAuthClient[clientId=" + clientId + ", clientSecret=***]";
        }
    }

    /** The key rings (format of {@code TokenCipher.fromConfig}) and the admin key; who gets which is ServiceEnvironment's call. */
    public record Keys(String grantRing, String tokenRing, String sourceRing, String adminKey) {

        public Keys {
            Objects.requireNonNull(grantRing, "grant ring");
            Objects.requireNonNull(tokenRing, "token ring");
            Objects.requireNonNull(sourceRing, "source ring");
            Objects.requireNonNull(adminKey, "admin key");
        }

        /** From the variables of {@code .jsw/keys.env} (see {@link LocalKeys}). */
        public static Keys of(Map<String, String> keysEnv) {
            return new Keys(keysEnv.get(LocalKeys.GRANT_KEYS), keysEnv.get(LocalKeys.TOKEN_KEYS),
                    keysEnv.get(LocalKeys.SOURCE_KEYS), keysEnv.get(LocalKeys.ADMIN_KEY));
        }

        @Override
        public String toString() {
            return "Keys[***]";
        }
    }

    /** The local stack: its fixed ports, its broker and database (or the external ones), and its keys. */
    public static ServiceWiring local(StackSettings s, Map<String, String> keysEnv) {
        boolean externalDb = s.externalDbUrl() != null;
        return new ServiceWiring(s.kafkaBootstrap(),
                "http://localhost:" + StackSettings.EMULATOR_PORT,
                "http://localhost:" + StackSettings.CONNECTIONS_PORT,
                s.executorUrl(),
                "http://localhost:" + StackSettings.GATEWAY_PORT,
                new Database(s.dbUrl(), externalDb ? s.externalDbUser() : "postgres", externalDb ? s.externalDbPassword() : "postgres"),
                new OAuthClient("jsw-local-client", "jsw-local-secret"),
                loopbackEgress(StackSettings.EMULATOR_PORT),
                Keys.of(keysEnv));
    }

    /**
     * The allow list for an emulator on loopback: workflows call https://api.hubapi.com, which the executor maps to the
     * emulator, and the egress guard refuses loopback unless it is listed.
     */
    public static String loopbackEgress(int emulatorPort) {
        return "localhost:" + emulatorPort + ",127.0.0.1:" + emulatorPort;
    }
}
