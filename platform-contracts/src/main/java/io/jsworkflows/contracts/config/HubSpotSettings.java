package io.jsworkflows.contracts.config;

import java.util.Optional;

import io.smallrye.config.WithDefault;

/**
 * HubSpot settings ({@code jsw.hubspot.*}), each defined once. Like {@link KeyRings}, a service extends only what it
 * needs in its own {@code Hubspot} group: the executor calls the API but never holds the OAuth app.
 */
public final class HubSpotSettings {

    private HubSpotSettings() {
    }

    /** {@code jsw.hubspot.api-url}: HubSpot's API base (the emulator in dev and tests). */
    public interface Api {
        @WithDefault("https://api.hubapi.com")
        String apiUrl();
    }

    /** The platform's OAuth app: its client credentials (connections-service and the refresher only). */
    public interface App extends Api {
        Optional<String> clientId();

        Optional<String> clientSecret();
    }

    /** Where browsers are sent to grant access (connections-service only). */
    public interface Authorize {
        @WithDefault("https://app.hubspot.com/oauth/authorize")
        String authorizeUrl();
    }
}
