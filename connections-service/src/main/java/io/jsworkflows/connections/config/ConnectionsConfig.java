package io.jsworkflows.connections.config;

import java.time.Duration;
import java.util.Optional;

import jakarta.validation.constraints.Pattern;

import io.jsworkflows.contracts.config.HubSpotSettings;
import io.jsworkflows.contracts.config.KeyRings;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * Typed configuration of connections-service; every property also reads from its env var (jsw.x.y ⇄ JSW_X_Y). The
 * shared groups ({@code jsw.crypto.*}, {@code jsw.hubspot.*}) come from platform-contracts; this service's own settings
 * live under {@code jsw.connections.*}.
 */
@ConfigMapping(prefix = "jsw")
public interface ConnectionsConfig {

    Crypto crypto();

    Hubspot hubspot();

    Connections connections();

    /**
     * Key rings: grant (seals refresh tokens, shared with token-refresher), token (opens access tokens, shared with
     * token-refresher and executors) and source (seals trigger sources' webhook signing secrets, shared with
     * webhook-gateway only).
     */
    interface Crypto extends KeyRings.GrantKeys, KeyRings.TokenKeys, KeyRings.SourceKeys {
    }

    /** HubSpot's API base, the OAuth app and where browsers are sent to grant access. */
    interface Hubspot extends HubSpotSettings.App, HubSpotSettings.Authorize {
    }

    /** connections-service itself. */
    interface Connections {

        /**
         * External base URL of this service; redirect_uri = public-url + /oauth/hubspot/callback. Unset: derived per
         * request.
         */
        Optional<String> publicUrl();

        /** Bootstrap admin key that may create workspaces. Unset: the admin API refuses every call. */
        Optional<String> adminKey();

        Oauth oauth();

        Ingress ingress();

        Outbox outbox();

        Web web();

        Runs runs();
    }

    interface Ingress {
        /**
         * External base URL of webhook-gateway, where sources' webhooks are sent (ingress URL = public-url +
         * /webhooks/shopify/{sourceId}). Required: an absolute http(s) URL without query or fragment.
         */
        @WithName("public-url")
        @Pattern(regexp = "https?://[^\\s?#]+", message = "must be an absolute http(s) URL without query or fragment, "
                + "e.g. https://hooks.example.com "
                + "(set jsw.connections.ingress.public-url / JSW_CONNECTIONS_INGRESS_PUBLIC_URL)")
        String publicUrl();
    }

    interface Oauth {
        /** How long an authorize URL (its state) stays usable. */
        @WithDefault("PT10M")
        Duration stateTtl();

        /** OAuth states are deleted this long after they expired (used or not). */
        @WithDefault("P1D")
        Duration stateRetention();

        /** A connection still PENDING (never authorized) this long after its last change is purged. */
        @WithDefault("P7D")
        Duration pendingRetention();

        /** Upper bound for one call to HubSpot's token or metadata endpoint. */
        @WithDefault("PT15S")
        Duration httpTimeout();
    }

    interface Outbox {
        /** Whether this replica relays the outbox to Kafka (replicas take turns through an advisory lock). */
        @WithDefault("true")
        boolean enabled();

        /** At least 1s (the scheduler's finest interval). */
        @WithDefault("1s")
        String pollInterval();

        @WithDefault("200")
        int batchSize();

        /** Published rows are kept this long for inspection, then purged. */
        @WithDefault("P1D")
        Duration retention();
    }

    interface Web {
        /** Marks the session cookie Secure (set when the service is reached over https). */
        @WithDefault("false")
        boolean secureCookie();

        /**
         * Base URL of workflow-executor's deploy API, which the workflows page calls to deploy on behalf of the signed-in
         * workspace. Unset: the page lists workflows but cannot deploy.
         */
        Optional<java.net.URI> executorUrl();
    }

    interface Runs {
        /** Runs whose latest event is older than this are purged (the run events topic keeps 7 days too). */
        @WithDefault("P7D")
        Duration retention();

        /** Dead letters are kept this long (like the dead letter topic), replayed or not. */
        @WithDefault("P30D")
        Duration deadLetterRetention();

        /** How often the purge runs. */
        @WithDefault("1h")
        String purgeInterval();
    }
}
