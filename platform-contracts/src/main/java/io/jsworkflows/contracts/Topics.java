package io.jsworkflows.contracts;

import java.time.Duration;
import java.util.List;

/** Platform topic names and their settings: the one place producers, consumers and deployment read them from. */
public final class Topics {

    public static final String CONNECTION_GRANTS = "jsw.connections.grants";
    public static final String CONNECTION_TOKENS = "jsw.connections.tokens";
    public static final String REFRESH_REQUESTS = "jsw.connections.refresh-requests";
    public static final String CONNECTION_EVENTS = "jsw.connections.events";
    /**
     * The refresher's own record of each connection's current refresh token where HubSpot rotated it (sealed with the
     * grant key), so that whichever replica owns the connection next continues the chain. Co-partitioned with grants.
     */
    public static final String REFRESH_CHAIN = "jsw.connections.refresh-chain";
    public static final String WORKFLOW_DEFINITIONS = "jsw.workflows.definitions";
    public static final String RUN_EVENTS = "jsw.runs.events";
    public static final String RUN_RETRY = "jsw.runs.retry";
    public static final String RUN_DLQ = "jsw.runs.dlq";
    /** Trigger sources (e.g. a Shopify store and its sealed webhook secret), key = sourceId; read by webhook-gateway. */
    public static final String SOURCES = "jsw.sources";

    /** The example trigger topic: raw Shopify orders, one record per webhook delivery. */
    public static final String SHOPIFY_ORDERS = "shopify.orders";

    /**
     * The shared source topics webhook-gateway writes: {@code shopify.<resource>}, where the resource is the part of
     * {@code X-Shopify-Topic} before the slash ({@code orders/create} goes to {@code shopify.orders}). Every record on
     * them carries the platform's {@code jsw-workspace} header; any workspace may bind them and sees only its own.
     */
    public static final List<String> SHOPIFY_SOURCE_TOPICS = List.of(
            SHOPIFY_ORDERS, "shopify.customers", "shopify.products", "shopify.fulfillments", "shopify.refunds",
            "shopify.checkouts", "shopify.carts", "shopify.inventory_levels", "shopify.app");

    /** The source topic for a Shopify webhook topic such as {@code orders/create}, or null if it has none. */
    public static String shopifySourceTopic(String webhookTopic) {
        if (webhookTopic == null) {
            return null;
        }
        int slash = webhookTopic.indexOf('/');
        String resource = slash < 0 ? webhookTopic : webhookTopic.substring(0, slash);
        String topic = "shopify." + resource.trim().toLowerCase(java.util.Locale.ROOT);
        return SHOPIFY_SOURCE_TOPICS.contains(topic) ? topic : null;
    }

    /** Grants and tokens must have the same partition count: a refresher owning grants partition p reads tokens partition p. */
    public static final int CONNECTION_PARTITIONS = 12;

    /** Cleanup policy and retention of one topic, as deployment creates it. */
    public record Spec(String name, int partitions, boolean compacted, Duration retention) {
    }

    public static final List<Spec> ALL = List.of(
            new Spec(CONNECTION_GRANTS, CONNECTION_PARTITIONS, true, null),
            new Spec(CONNECTION_TOKENS, CONNECTION_PARTITIONS, true, null),
            new Spec(REFRESH_CHAIN, CONNECTION_PARTITIONS, true, null),
            new Spec(REFRESH_REQUESTS, CONNECTION_PARTITIONS, false, Duration.ofDays(1)),
            new Spec(CONNECTION_EVENTS, 6, false, Duration.ofDays(30)),
            new Spec(WORKFLOW_DEFINITIONS, 1, true, null),
            new Spec(RUN_EVENTS, 6, false, Duration.ofDays(7)),
            new Spec(RUN_RETRY, 6, false, Duration.ofDays(7)),
            new Spec(RUN_DLQ, 3, false, Duration.ofDays(30)),
            new Spec(SOURCES, 3, true, null));

    /** Source topics: delete, 7 days; created by deployment beside the platform topics. */
    public static final List<Spec> SOURCE_TOPICS = SHOPIFY_SOURCE_TOPICS.stream()
            .map(t -> new Spec(t, 3, false, Duration.ofDays(7))).toList();

    private Topics() {
    }
}
