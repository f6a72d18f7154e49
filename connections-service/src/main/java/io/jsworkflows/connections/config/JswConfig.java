package io.jsworkflows.connections.config;

import java.time.Duration;
import java.util.Optional;

import jakarta.validation.constraints.Pattern;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** Typed configuration of connections-service; every property also reads from its env var (JSW_HUBSPOT_API_URL, ...). */
@ConfigMapping(prefix = "jsw")
public interface JswConfig {

    Crypto crypto();

    Hubspot hubspot();

    /** External base URL of this service; redirect_uri = public-url + /oauth/hubspot/callback. Unset: derived per request. */
    Optional<String> publicUrl();

    /** Bootstrap admin key that may create workspaces. Unset: the admin API refuses every call. */
    Optional<String> adminKey();

    Oauth oauth();

    Ingress ingress();

    Outbox outbox();

    Web web();

    Runs runs();

    interface Crypto {
        /** Key ring sealing refresh tokens (shared with token-refresher). */
        Optional<String> grantKeys();

        /** Key ring sealing access tokens (shared with token-refresher and executors). */
        Optional<String> tokenKeys();

        /** Key ring sealing trigger sources' webhook signing secrets (shared with webhook-gateway only). */
        Optional<String> sourceKeys();
    }

    interface Hubspot {
        @WithDefault("https://api.hubapi.com")
        String apiUrl();

        @WithDefault("https://app.hubspot.com/oauth/authorize")
        String authorizeUrl();

        Optional<String> clientId();

        Optional<String> clientSecret();
    }

    interface Ingress {
        /**
         * External base URL of webhook-gateway, where sources' webhooks are sent (ingress URL = public-url +
         * /webhooks/shopify/{sourceId}). Required: an absolute http(s) URL without query or fragment.
         */
        @WithName("public-url")
        @Pattern(regexp = "https?://[^\\s?#]+", message = "must be an absolute http(s) URL without query or fragment, "
                + "e.g. https://hooks.example.com (set jsw.ingress.public-url / JSW_INGRESS_PUBLIC_URL)")
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
