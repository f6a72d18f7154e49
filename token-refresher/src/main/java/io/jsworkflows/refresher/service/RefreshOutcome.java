package io.jsworkflows.refresher.service;

import java.time.Duration;

/** What one call to the token endpoint came to. Reasons name error codes and statuses only, never a token. */
public sealed interface RefreshOutcome {

    /** A new access token (and the refresh token the provider returned, which may be the same one). */
    record Success(String accessToken, String refreshToken, long expiresInSeconds) implements RefreshOutcome {
        @Override
        public String toString() {
            return "Success[expiresIn=" + expiresInSeconds + "s]";
        }
    }

    /** The refresh token is rejected (invalid_grant / BAD_REFRESH_TOKEN): only the user reconnecting helps. */
    record Rejected(String reason) implements RefreshOutcome {
    }

    /**
     * An operator must fix the configuration: the token endpoint rejects our client credentials (invalid_client), or
     * the grant key ring cannot open the refresh token.
     */
    record Misconfigured(String reason) implements RefreshOutcome {
    }

    /** 5xx, 429, timeouts, connection errors: try again later. {@code retryAfter} is null unless the server said. */
    record Transient(String reason, Duration retryAfter) implements RefreshOutcome {
    }
}
