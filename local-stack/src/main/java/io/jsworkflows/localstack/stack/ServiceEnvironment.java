package io.jsworkflows.localstack.stack;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The environment {@code jsw up} gives each service: the same names docker-compose.yml and the Kubernetes manifests
 * use. It also decides who holds which key ring, so a service gets only the secrets its job needs.
 */
public final class ServiceEnvironment {

    private final StackSettings s;

    public ServiceEnvironment(StackSettings settings) {
        this.s = settings;
    }

    /** The variables for one module, given the stack's keys (see {@link LocalKeys}). */
    public Map<String, String> of(String module, Map<String, String> keys) {
        String emulator = "http://localhost:" + StackSettings.EMULATOR_PORT;
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARKUS_LOG_CONSOLE_COLOR", "false");
        if (!module.equals("hubspot-emulator")) {
            env.put("KAFKA_BOOTSTRAP_SERVERS", s.kafkaBootstrap());
        }
        switch (module) {
            case "hubspot-emulator" -> {
                // no extra settings: the default app (jsw-local-client) and portals are what the demo uses
            }
            case "connections-service" -> {
                env.putAll(hubspot(emulator));
                env.put("JSW_PUBLIC_URL", "http://localhost:" + StackSettings.CONNECTIONS_PORT);
                env.put("JSW_ADMIN_KEY", keys.get(LocalKeys.ADMIN_KEY));
                env.put("JSW_CRYPTO_GRANT_KEYS", keys.get(LocalKeys.GRANT_KEYS));
                env.put("JSW_CRYPTO_TOKEN_KEYS", keys.get(LocalKeys.TOKEN_KEYS));
                env.put("JSW_CRYPTO_SOURCE_KEYS", keys.get(LocalKeys.SOURCE_KEYS));
                // a source's ingress URL (what the shop owner enters in Shopify) points at the gateway
                env.put("JSW_INGRESS_PUBLIC_URL", "http://localhost:" + StackSettings.GATEWAY_PORT);
                // the workflows page deploys through the executor's deploy API
                env.put("JSW_WEB_EXECUTOR_URL", s.executorUrl());
                env.put("JSW_DB_URL", s.dbUrl());
                env.put("JSW_DB_USER", s.externalDbUrl() != null ? s.externalDbUser() : "postgres");
                env.put("JSW_DB_PASSWORD", s.externalDbUrl() != null ? s.externalDbPassword() : "postgres");
            }
            case "webhook-gateway" -> {
                // the one service a shop talks to: it needs the source ring to unseal webhook secrets, nothing else
                env.put("JSW_CRYPTO_SOURCE_KEYS", keys.get(LocalKeys.SOURCE_KEYS));
            }
            case "token-refresher" -> {
                env.putAll(hubspot(emulator));
                env.put("JSW_CRYPTO_GRANT_KEYS", keys.get(LocalKeys.GRANT_KEYS));
                env.put("JSW_CRYPTO_TOKEN_KEYS", keys.get(LocalKeys.TOKEN_KEYS));
            }
            case "workflow-executor" -> {
                // it never talks OAuth: only the API base that https://api.hubapi.com is mapped to
                env.put("JSW_HUBSPOT_API_URL", emulator);
                env.put("JSW_CRYPTO_TOKEN_KEYS", keys.get(LocalKeys.TOKEN_KEYS));
                env.put("JSW_CONNECTIONS_URL", "http://localhost:" + StackSettings.CONNECTIONS_PORT);
                // workflows call https://api.hubapi.com, which the executor maps to the emulator on loopback
                env.put("JSW_EXECUTOR_EGRESS_ALLOW", "localhost:" + StackSettings.EMULATOR_PORT + ",127.0.0.1:" + StackSettings.EMULATOR_PORT);
            }
            default -> throw new IllegalArgumentException(module);
        }
        return env;
    }

    private static Map<String, String> hubspot(String emulator) {
        return Map.of(
                "JSW_HUBSPOT_API_URL", emulator,
                "JSW_HUBSPOT_AUTHORIZE_URL", emulator + "/oauth/authorize",
                "JSW_HUBSPOT_CLIENT_ID", "jsw-local-client",
                "JSW_HUBSPOT_CLIENT_SECRET", "jsw-local-secret");
    }
}
