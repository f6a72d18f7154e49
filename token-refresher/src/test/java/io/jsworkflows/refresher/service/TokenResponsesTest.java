package io.jsworkflows.refresher.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class TokenResponsesTest {

    private static final Instant NOW = Instant.parse("2026-11-29T06:00:00Z");

    @Test
    void successCarriesTokensAndLifetime() {
        RefreshOutcome o = TokenResponses.classify(200, null,
                "{\"token_type\":\"bearer\",\"refresh_token\":\"na1-r\",\"access_token\":\"at\",\"expires_in\":1800,\"hub_id\":1}", NOW);
        assertThat(o).isEqualTo(new RefreshOutcome.Success("at", "na1-r", 1800));
        assertThat(o.toString()).doesNotContain("at,").doesNotContain("na1-r");
    }

    @Test
    void successWithoutExpiresInAssumesHubSpotsThirtyMinutes() {
        assertThat(TokenResponses.classify(200, null, "{\"access_token\":\"at\"}", NOW))
                .isEqualTo(new RefreshOutcome.Success("at", null, 1800));
    }

    @Test
    void successWithoutAccessTokenIsTransient() {
        assertThat(TokenResponses.classify(200, null, "{}", NOW)).isInstanceOf(RefreshOutcome.Transient.class);
    }

    @Test
    void invalidGrantAndBadRefreshTokenNeedReauth() {
        String v3 = "{\"error\":\"invalid_grant\",\"error_description\":\"refresh token is invalid, expired or revoked\","
                + "\"status\":\"BAD_REFRESH_TOKEN\",\"message\":\"refresh token is invalid, expired or revoked\"}";
        assertThat(TokenResponses.classify(400, null, v3, NOW)).isInstanceOf(RefreshOutcome.Rejected.class);
        String v1 = "{\"status\":\"BAD_REFRESH_TOKEN\",\"message\":\"missing or invalid refresh token\"}";
        RefreshOutcome o = TokenResponses.classify(400, null, v1, NOW);
        assertThat(o).isInstanceOf(RefreshOutcome.Rejected.class);
        assertThat(((RefreshOutcome.Rejected) o).reason()).contains("HTTP 400").contains("BAD_REFRESH_TOKEN");
    }

    @Test
    void invalidClientIsAConfigurationProblem() {
        RefreshOutcome o = TokenResponses.classify(400, null,
                "{\"error\":\"invalid_client\",\"status\":\"BAD_CLIENT_ID\",\"message\":\"missing or invalid client id\"}", NOW);
        assertThat(o).isInstanceOf(RefreshOutcome.Misconfigured.class);
        assertThat(((RefreshOutcome.Misconfigured) o).reason()).contains("jsw.hubspot.client-id");
        assertThat(TokenResponses.classify(401, null, "{\"error\":\"invalid_client\"}", NOW))
                .isInstanceOf(RefreshOutcome.Misconfigured.class);
    }

    @Test
    void serverErrorsAndRateLimitsAreTransientAndHonourRetryAfter() {
        assertThat(TokenResponses.classify(503, "7", "unavailable", NOW))
                .isEqualTo(new RefreshOutcome.Transient("token endpoint answered HTTP 503", Duration.ofSeconds(7)));
        RefreshOutcome rate = TokenResponses.classify(429, "Sun, 29 Nov 2026 06:00:30 GMT",
                "{\"status\":\"error\",\"category\":\"RATE_LIMITS\"}", NOW);
        assertThat(((RefreshOutcome.Transient) rate).retryAfter()).isEqualTo(Duration.ofSeconds(30));
        assertThat(TokenResponses.classify(500, null, "", NOW)).isInstanceOf(RefreshOutcome.Transient.class);
        // a 429 body that happens to say invalid_grant is still a rate limit
        assertThat(TokenResponses.classify(429, null, "{\"error\":\"invalid_grant\"}", NOW))
                .isInstanceOf(RefreshOutcome.Transient.class);
    }

    @Test
    void reasonsNeverRepeatFreeText() {
        RefreshOutcome o = TokenResponses.classify(400, null, "{\"error\":\"invalid grant for token na1-secret\"}", NOW);
        assertThat(o).isInstanceOf(RefreshOutcome.Transient.class);
        assertThat(((RefreshOutcome.Transient) o).reason()).doesNotContain("na1-secret");
    }

    @Test
    void retryAfterParsing() {
        assertThat(TokenResponses.retryAfter(null, NOW)).isNull();
        assertThat(TokenResponses.retryAfter("soon", NOW)).isNull();
        assertThat(TokenResponses.retryAfter("-1", NOW)).isNull();
        assertThat(TokenResponses.retryAfter("Sun, 29 Nov 2026 05:00:00 GMT", NOW)).isEqualTo(Duration.ZERO);
    }
}
