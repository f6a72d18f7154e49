package io.jsworkflows.gateway.config;

import java.time.Duration;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The gateway's settings ({@code jsw.gateway.*}); the source key ring is {@code jsw.crypto.source-keys}. */
@ConfigMapping(prefix = "jsw.gateway")
public interface GatewayConfig {

    /**
     * Largest webhook body accepted; larger ones get 413 while they are read. {@code quarkus.http.limits.max-body-size}
     * is set from it so that the HTTP layer and the gateway agree.
     */
    @WithDefault("1M")
    MemorySize maxBodySize();

    /** Bodies larger than this are verified on the worker pool rather than on the event loop. */
    @WithDefault("64K")
    MemorySize workerThreshold();

    Replay replay();

    Publish publish();

    /** Replay protection: a webhook id seen for a source within the window is answered 200 without a second record. */
    interface Replay {
        @WithDefault("PT10M")
        Duration window();

        /** Bound of the remembered ids (oldest go first): memory stays bounded under a flood of distinct ids. */
        @WithDefault("200000")
        long maxEntries();
    }

    /** Publishing to the source topics. */
    interface Publish {
        /**
         * Outer bound on waiting for Kafka's acknowledgement, above the producer's own bounds (max.block.ms +
         * delivery.timeout.ms) so that a record is never answered 503 and then still written; well inside Shopify's 5 s.
         */
        @WithDefault("PT4.5S")
        Duration timeout();

        /** {@code Retry-After} of a 503. */
        @WithDefault("5")
        int retryAfterSeconds();
    }
}
