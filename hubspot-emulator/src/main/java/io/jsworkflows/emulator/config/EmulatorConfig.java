package io.jsworkflows.emulator.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/**
 * Start-up configuration of the emulator. Every value that tests want to change while the emulator runs is copied
 * into {@link io.jsworkflows.emulator.service.Settings} and can be changed through the operator API.
 * Where HubSpot's behaviour is undocumented, the switch lives here with the default we believe is closest.
 */
@ConfigMapping(prefix = "emulator")
public interface EmulatorConfig {

    /** The one registered OAuth app. */
    App app();

    Consent consent();

    OAuth oauth();

    @WithName("rate-limit")
    RateLimit rateLimit();

    Search search();

    Validation validation();

    Pipelines pipelines();

    /** Portals (hub ids) that exist at start-up, with their domain and installing user. */
    Map<String, PortalConfig> portals();

    /** Extra (custom) property names per object type, e.g. {@code emulator.extra-properties.contacts=shopify_order_id}. */
    @WithName("extra-properties")
    Map<String, List<String>> extraProperties();

    interface App {
        @WithName("client-id")
        @WithDefault("jsw-local-client")
        String clientId();

        @WithName("client-secret")
        @WithDefault("jsw-local-secret")
        String clientSecret();

        @WithName("app-id")
        @WithDefault("1001")
        long appId();

        /** Loopback URIs (localhost, 127.0.0.1, [::1]) match on any port, as RFC 8252 §7.3 requires. */
        @WithName("redirect-uris")
        @WithDefault("http://localhost/oauth/hubspot/callback,http://127.0.0.1/oauth/hubspot/callback")
        List<String> redirectUris();
    }

    interface Consent {
        /** Skip the consent page: /oauth/authorize redirects at once with a code for the first or path-pinned portal. */
        @WithName("auto-approve")
        @WithDefault("false")
        boolean autoApprove();
    }

    interface OAuth {
        @WithName("access-token-lifetime")
        @WithDefault("1800s")
        Duration accessTokenLifetime();

        /** Open question 7: HubSpot only says "a short window". RFC 6749 recommends at most ten minutes. */
        @WithName("auth-code-lifetime")
        @WithDefault("10m")
        Duration authCodeLifetime();

        /** Open question 1: HubSpot returns the same refresh token (observed); true issues a new one and revokes the old. */
        @WithName("refresh-token-rotation")
        @WithDefault("false")
        boolean refreshTokenRotation();

        /** Open question 2: whether v1 token errors carry RFC 6749 error/error_description next to status/message. */
        @WithName("v1-rfc6749-error-fields")
        @WithDefault("true")
        boolean v1Rfc6749ErrorFields();
    }

    interface RateLimit {
        /** Requests per interval and portal; 0 or less disables the limit (headers still sent). */
        @WithDefault("110")
        int max();

        @WithDefault("10s")
        Duration interval();

        /** Open question 4: HubSpot does not document Retry-After on REST 429s. */
        @WithName("retry-after")
        @WithDefault("false")
        boolean retryAfter();

        /** Search responses carry no rate-limit headers at HubSpot and do not count against the ten-secondly budget. */
        @WithName("search-headers")
        @WithDefault("false")
        boolean searchHeaders();
    }

    interface Search {
        /** Open question 5: sources give 3, 5 or 6 groups; the facts file recommends 5 × 6, 18 in total. */
        @WithName("max-filter-groups")
        @WithDefault("5")
        int maxFilterGroups();

        @WithName("max-filters-per-group")
        @WithDefault("6")
        int maxFiltersPerGroup();

        @WithName("max-filters")
        @WithDefault("18")
        int maxFilters();
    }

    interface Validation {
        /** Open question 3: the INVALID_OPTION message lists the options as HubSpot's YAML-like dump (yaml) or ids only (short). */
        @WithName("invalid-option-message")
        @WithDefault("yaml")
        String invalidOptionMessage();
    }

    interface Pipelines {
        /** Open question 6: stage label capitalisation: title ("Closed Won") or sentence ("Closed won"). */
        @WithName("label-style")
        @WithDefault("title")
        String labelStyle();
    }

    interface PortalConfig {
        String domain();

        String user();

        @WithName("user-id")
        Optional<Long> userId();
    }
}
