package io.jsworkflows.localstack.stack;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The environment each service gets, with the same names docker-compose.yml and the Kubernetes manifests use: the one
 * place for both {@code jsw up} and the e2e harness, each of which only says where things are ({@link ServiceWiring}).
 * It also decides who holds which key ring, so a service gets only the secrets its job needs: connections-service the
 * grant, token and source rings; the refresher grant and token; the executor the token ring only and no OAuth client;
 * the gateway the source ring only; the emulator nothing.
 */
public final class ServiceEnvironment {

    private ServiceEnvironment() {
    }

    /** The variables for one module. */
    public static Map<String, String> of(String module, ServiceWiring w) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARKUS_LOG_CONSOLE_COLOR", "false");
        if (!module.equals("hubspot-emulator")) {
            env.put("KAFKA_BOOTSTRAP_SERVERS", w.kafkaBootstrap());
        }
        ServiceWiring.Keys keys = w.keys();
        switch (module) {
            case "hubspot-emulator" -> {
                // no extra settings: the default app (jsw-local-client) and portals are what the demo and the tests use
            }
            case "connections-service" -> {
                env.putAll(hubspot(w));
                env.put("JSW_CONNECTIONS_PUBLIC_URL", w.connectionsUrl());
                env.put("JSW_CONNECTIONS_ADMIN_KEY", keys.adminKey());
                env.put("JSW_CRYPTO_GRANT_KEYS", keys.grantRing());
                env.put("JSW_CRYPTO_TOKEN_KEYS", keys.tokenRing());
                env.put("JSW_CRYPTO_SOURCE_KEYS", keys.sourceRing());
                // a source's ingress URL (what the shop owner enters in Shopify) points at the gateway
                env.put("JSW_CONNECTIONS_INGRESS_PUBLIC_URL", w.gatewayUrl());
                // the workflows page deploys through the executor's deploy API
                env.put("JSW_CONNECTIONS_WEB_EXECUTOR_URL", w.executorUrl());
                env.put("JSW_DB_URL", w.db().url());
                env.put("JSW_DB_USER", w.db().user());
                env.put("JSW_DB_PASSWORD", w.db().password());
            }
            case "webhook-gateway" -> {
                // the one service a shop talks to: it needs the source ring to unseal webhook secrets, nothing else
                env.put("JSW_CRYPTO_SOURCE_KEYS", keys.sourceRing());
            }
            case "token-refresher" -> {
                env.putAll(hubspot(w));
                env.put("JSW_CRYPTO_GRANT_KEYS", keys.grantRing());
                env.put("JSW_CRYPTO_TOKEN_KEYS", keys.tokenRing());
            }
            case "workflow-executor" -> {
                // it never talks OAuth: only the API base that https://api.hubapi.com is mapped to
                env.put("JSW_HUBSPOT_API_URL", w.emulatorUrl());
                env.put("JSW_CRYPTO_TOKEN_KEYS", keys.tokenRing());
                env.put("JSW_CONNECTIONS_URL", w.connectionsUrl());
                env.put("JSW_EXECUTOR_EGRESS_ALLOW", w.egressAllow());
            }
            default -> throw new IllegalArgumentException(module);
        }
        return env;
    }

    /** What the services that talk OAuth to HubSpot get. */
    private static Map<String, String> hubspot(ServiceWiring w) {
        return Map.of(
                "JSW_HUBSPOT_API_URL", w.emulatorUrl(),
                "JSW_HUBSPOT_AUTHORIZE_URL", w.emulatorUrl() + "/oauth/authorize",
                "JSW_HUBSPOT_CLIENT_ID", w.oauth().clientId(),
                "JSW_HUBSPOT_CLIENT_SECRET", w.oauth().clientSecret());
    }
}
