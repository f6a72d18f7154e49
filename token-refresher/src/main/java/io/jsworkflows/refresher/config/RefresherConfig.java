package io.jsworkflows.refresher.config;

import java.time.Duration;
import java.util.Optional;

import io.jsworkflows.contracts.config.HubSpotSettings;
import io.jsworkflows.contracts.config.KeyRings;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Typed configuration of the token refresher (every property also reads from its MicroProfile env var). */
@ConfigMapping(prefix = "jsw")
public interface RefresherConfig {

    Crypto crypto();

    Hubspot hubspot();

    Refresher refresher();

    /** Key rings: the grant ring opens refresh tokens and seals rotated ones (refresh chain topic); the token ring seals
     * the access tokens this service publishes. */
    interface Crypto extends KeyRings.GrantKeys, KeyRings.TokenKeys {
    }

    /** HubSpot's API base and the OAuth app whose refresh tokens this service redeems. */
    interface Hubspot extends HubSpotSettings.App {
        /** Not used here; declared because the emulator's shared test resource sets it for every service it serves. */
        Optional<String> authorizeUrl();
    }

    /** Scheduling, concurrency and failure handling. */
    interface Refresher {
        /** Refresh when the token has at most this much life left. */
        @WithDefault("PT10M")
        Duration lead();

        /** Refresh up to this much earlier than {@link #lead()}, at random, so tokens issued together spread out. */
        @WithDefault("PT2M")
        Duration jitter();

        /** Token endpoint calls in flight at once (also the HTTP connection pool size). */
        @WithDefault("64")
        int maxInFlight();

        /** Whole-request timeout of one token endpoint call. */
        @WithDefault("PT10S")
        Duration requestTimeout();

        /** First retry delay after a transient failure (5xx, 429, timeout, connection error). */
        @WithDefault("PT1S")
        Duration backoffMin();

        /** Largest retry delay after transient failures (a longer Retry-After is still honoured). */
        @WithDefault("PT60S")
        Duration backoffMax();

        /** Retry delay while the token endpoint rejects our client credentials (invalid_client). */
        @WithDefault("PT5M")
        Duration configAlarmRetry();

        /** A refresh request is ignored when a refresh of that connection succeeded this recently. */
        @WithDefault("PT5S")
        Duration recentRefreshWindow();

        /** Consumer group of all refresher replicas on the grants topic: one partition, one owner. */
        @WithDefault("jsw-token-refresher")
        String groupId();

        /** How often owned tokens are checked for expiry (EXPIRED status, expired-while-owned metric). */
        @WithDefault("PT1S")
        Duration sweepInterval();

        /** How long a replica waits for its in-flight refreshes of revoked partitions before giving them up. */
        @WithDefault("PT15S")
        Duration handoverTimeout();

        /**
         * How long a refresh waits for the broker to acknowledge a rotated refresh token on the refresh chain topic;
         * without the acknowledgement the new token state is not published and the refresh counts as failed.
         */
        @WithDefault("PT10S")
        Duration chainWriteTimeout();

        /** How long reading back the tokens or refresh chain of newly assigned partitions may take before the consumer stops. */
        @WithDefault("PT5M")
        Duration rebuildTimeout();

        /**
         * How long the grants consumer or the refresh scheduler may go without progress before liveness reports it
         * stalled (Kafka's default max.poll.interval: by then the group has moved the partitions anyway).
         */
        @WithDefault("PT5M")
        Duration loopStallTimeout();
    }
}
