package io.jsworkflows.contracts;

import java.time.Duration;
import java.util.List;

/** Platform topic names and their settings: the one place producers, consumers and deployment read them from. */
public final class Topics {

    public static final String CONNECTION_GRANTS = "jsw.connections.grants";
    public static final String CONNECTION_TOKENS = "jsw.connections.tokens";
    public static final String REFRESH_REQUESTS = "jsw.connections.refresh-requests";
    public static final String CONNECTION_EVENTS = "jsw.connections.events";
    public static final String WORKFLOW_DEFINITIONS = "jsw.workflows.definitions";
    public static final String RUN_EVENTS = "jsw.runs.events";
    public static final String RUN_RETRY = "jsw.runs.retry";
    public static final String RUN_DLQ = "jsw.runs.dlq";

    /** The example trigger topic: raw Shopify orders, one record per webhook delivery. */
    public static final String SHOPIFY_ORDERS = "shopify.orders";

    /** Grants and tokens must have the same partition count: a refresher owning grants partition p reads tokens partition p. */
    public static final int CONNECTION_PARTITIONS = 12;

    /** Cleanup policy and retention of one topic, as deployment creates it. */
    public record Spec(String name, int partitions, boolean compacted, Duration retention) {
    }

    public static final List<Spec> ALL = List.of(
            new Spec(CONNECTION_GRANTS, CONNECTION_PARTITIONS, true, null),
            new Spec(CONNECTION_TOKENS, CONNECTION_PARTITIONS, true, null),
            new Spec(REFRESH_REQUESTS, CONNECTION_PARTITIONS, false, Duration.ofDays(1)),
            new Spec(CONNECTION_EVENTS, 6, false, Duration.ofDays(30)),
            new Spec(WORKFLOW_DEFINITIONS, 1, true, null),
            new Spec(RUN_EVENTS, 6, false, Duration.ofDays(7)),
            new Spec(RUN_RETRY, 6, false, Duration.ofDays(7)),
            new Spec(RUN_DLQ, 3, false, Duration.ofDays(30)));

    private Topics() {
    }
}
