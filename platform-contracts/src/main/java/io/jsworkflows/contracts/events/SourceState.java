package io.jsworkflows.contracts.events;

import java.time.Instant;

/**
 * Value of {@code jsw.sources} (compacted, key = sourceId), written by connections-service's outbox, read by every
 * webhook-gateway replica from the beginning. The webhook signing secret is sealed with the source key ring
 * ({@code jsw.crypto.source-keys}) with the source id as associated data; only connections-service and the gateway
 * hold that ring. A tombstone (null value) means the source was deleted.
 *
 * @param shopDomain the shop's permanent domain ({@code <name>.myshopify.com}) for kind {@code shopify}
 * @param version    increases with every change of the source (e.g. a new secret); consumers keep the highest
 */
public record SourceState(
        int schemaVersion,
        String sourceId,
        String workspaceId,
        SourceKind kind,
        String shopDomain,
        String sealedSecret,
        long version,
        Instant updatedAt) {

    public static final int SCHEMA_VERSION = 1;
}
